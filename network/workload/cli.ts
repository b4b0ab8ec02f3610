// npm run workload [-- options]
//
// With no options: plays the next unplayed day (day-1, day-2, …) of about 3000 transactions on
// the devnet running from `npm run devnet` (its devnet.json says where and with which seed),
// writes the FHIR documents under <devnet home>/offchain and the ground truth under
// <devnet home>/workload/<seed>.truth.json.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { defaultDevnetHome, readLayout, runningDevnetEndpoints } from '../devnet/index';
import { parseAnomalyList } from './truth';
import { runWorkload } from './workload';

const USAGE = `usage: npm run workload -- [options]

  --rpc URL[,URL…]     RPC endpoints (default: every node of the running devnet)
  --home DIR           devnet home (default $CUSTOS_DEVNET_HOME or network/.devnet)
  --devnet-seed S      seed of the devnet's genesis keys (default: from devnet.json, else custos-devnet)
  --txs N              transactions to play, approximately (default 3000)
  --seed S             names the day (default: the first of day-1, day-2, … not yet played)
  --anomalies [LIST]   inject anomalies: all (the default when given without a list) or a comma list of
                       no-consent, after-revocation, outside-period, purpose-mismatch,
                       breakglass-unreviewed, volume-spike, after-membership-ended, offchain-altered
  --per-kind K         instances of each anomaly (default 2)
  --offchain DIR       off-chain FHIR store (default <devnet home>/offchain)
  --truth FILE         ground-truth JSON (default <devnet home>/workload/<seed>.truth.json)
  --concurrency C      signer lanes in flight (default 16)
  --epoch T            the simulated day's 00:00 UTC, as Unix seconds or YYYY-MM-DD (default: the day before the chain's time)
  --no-wait-gov        do not wait for the day's governance proposal to be tallied
  --quiet              no progress lines
`;

/** `--anomalies` may come without a value: then it means all. */
function normaliseArgv(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    out.push(a);
    if (a === '--anomalies' && (i + 1 >= argv.length || argv[i + 1]!.startsWith('--'))) out.push('all');
  }
  return out;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} wants a positive integer, got ${v}`);
  return n;
}

function parseEpoch(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(t)) throw new Error(`--epoch: cannot read ${v}`);
  return Math.floor(t / 1000);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: normaliseArgv(process.argv.slice(2)),
    options: {
      rpc: { type: 'string' },
      home: { type: 'string' },
      'devnet-seed': { type: 'string' },
      txs: { type: 'string' },
      seed: { type: 'string' },
      anomalies: { type: 'string' },
      'per-kind': { type: 'string' },
      offchain: { type: 'string' },
      truth: { type: 'string' },
      concurrency: { type: 'string' },
      epoch: { type: 'string' },
      'no-wait-gov': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const home = resolve(values.home ?? defaultDevnetHome());
  let rpc: string[];
  let devnetSeed = values['devnet-seed'];
  let chainId: string | undefined;
  if (values.rpc) {
    rpc = values.rpc.split(',').map((s) => s.trim()).filter(Boolean);
    devnetSeed ??= readLayout(home)?.seed ?? 'custos-devnet';
  } else {
    const ep = runningDevnetEndpoints(home);
    rpc = ep.rpc;
    chainId = ep.chainId;
    devnetSeed ??= ep.seed;
  }
  const t0 = Date.now();
  const say = (l: string) => process.stdout.write(`[workload ${((Date.now() - t0) / 1000).toFixed(1)}s] ${l}\n`);
  const { truth, truthFile, seed } = await runWorkload({
    rpc,
    chainId,
    devnetSeed,
    txs: positive('txs', values.txs),
    seed: values.seed,
    anomalies: values.anomalies !== undefined ? parseAnomalyList(values.anomalies) : [],
    perKind: positive('per-kind', values['per-kind']),
    offchainDir: resolve(values.offchain ?? resolve(home, 'offchain')),
    truthFile: values.truth ? resolve(values.truth) : undefined,
    concurrency: positive('concurrency', values.concurrency),
    epoch: parseEpoch(values.epoch),
    waitGovernanceMs: values['no-wait-gov'] ? 0 : 60_000,
    log: say,
    onProgress: values.quiet
      ? undefined
      : (p) => say(
          `phase ${p.phase}/${p.phases} ${p.phaseName}: ${p.phaseSent}/${p.phaseSize} sent · ${p.included}/${p.planned} included · ` +
            `${p.txPerSec.toFixed(0)} tx/s · height ${p.height}`,
        ),
  });
  const c = truth.counts;
  process.stdout.write(
    `\nday ${seed}: ${c.ok} transactions ok (${c.failed} failed, ${c.refused} refused, ${c.skipped} skipped, ${c.lost} lost) ` +
      `in ${truth.timing.seconds.toFixed(1)} s, ${truth.timing.includedPerSecond.toFixed(0)} tx/s included, heights ${truth.heights.first}–${truth.heights.last}\n` +
      `  ${c.patients.registered} patients registered (${c.patients.genesis} at genesis), ${c.patients.active} active, ${c.records} records, ${c.documents} documents\n` +
      `  by kind: ${Object.entries(c.byKind).sort().map(([k, n]) => `${k} ${n}`).join(', ')}\n` +
      (truth.governance ? `  proposal ${truth.governance.proposalId} "${truth.governance.title}": ${truth.governance.votes.length} votes, ${truth.governance.status ?? 'unknown'}\n` : '') +
      `  anomalies injected: ${truth.anomalies.length ? Object.entries(truth.anomalies.reduce<Record<string, number>>((m, a) => ((m[a.kind] = (m[a.kind] ?? 0) + 1), m), {})).map(([k, n]) => `${k} ${n}`).join(', ') : 'none (pass --anomalies)'}\n` +
      `  ground truth: ${truthFile}\n` +
      `  off-chain documents: ${truth.offchainDir}\n`,
  );
  if (truth.unexpected.length > 0) {
    process.stdout.write(`\n${truth.unexpected.length} transaction(s) did not go as planned:\n`);
    for (const u of truth.unexpected.slice(0, 10)) process.stdout.write(`  ${u.tag} ${u.txId ?? ''} ${u.status} ${u.code ?? ''} ${u.detail ?? u.log ?? ''}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`workload: ${e instanceof Error ? (process.env.CUSTOS_DEBUG ? (e.stack ?? e.message) : e.message) : String(e)}\n`);
    process.exit(1);
  },
);
