// npm run demo:build: the embedded demo replica, produced by the project's own devnet.
//
//   1. a fresh 4-validator devnet on free loopback ports, in a temporary home;
//   2. a modest workload (about 300 transactions of one simulated day, every anomaly kind
//      once, the day's governance proposal voted and tallied);
//   2b. a fifth node promoted to validator by a governance proposal (a validator-set change),
//      and one validator stopped for a few blocks (absent signatures in the commits): what the
//      verification screen's participation heatmap is there to show;
//   3. a replica synced from all four nodes by the sync service, verified from its genesis;
//   4. the replica exported as a bundle to demo/custos-demo.bundle (checked: < 5 MB), and its
//      genesis SHA-256 to demo/custos-demo.genesis-sha256: the pin the console holds it to.
//
// Options: --out FILE (default demo/custos-demo.bundle), --txs N (default 300), --keep (keep
// the temporary devnet home and replica for inspection).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { exportBundle } from '../../electron/services/bundle';
import { DEMO_BUNDLE, DEMO_PIN_FILE } from '../../electron/services/console/demo';
import { openStore } from '../../electron/services/store';
import { syncReplica } from '../../electron/services/sync';
import { formatReport, runVerification } from '../../electron/services/verify';
import { findFreeBasePort, PortInUseError, startDevnet, type Devnet } from '../devnet';
import { ANOMALY_KINDS, runWorkload } from '../workload';
import { promoteAndOutage } from './validator-change';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MAX_BYTES = 5 * 1024 * 1024;
export const DEMO_CHAIN_ID = 'custos-demo';

const say = (line: string) => console.error(`[demo] ${line}`);

/** A new devnet on free ports; other devnets on this machine may take ports meanwhile, so retry. */
async function startFreshDevnet(home: string): Promise<Devnet> {
  for (let attempt = 1; ; attempt++) {
    const basePort = await findFreeBasePort(5); // four validators and the node promoted later
    try {
      return await startDevnet({ home, basePort, chainId: DEMO_CHAIN_ID, seed: DEMO_CHAIN_ID, reset: true, log: say });
    } catch (e) {
      if (!(e instanceof PortInUseError) || attempt >= 5) throw e;
      say(`${e.message.split('.')[0]}; trying other ports`);
    }
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: resolve(root, 'demo', DEMO_BUNDLE) },
      txs: { type: 'string', default: '300' },
      keep: { type: 'boolean', default: false },
    },
  });
  const out = resolve(values.out);
  const txs = Number(values.txs);
  if (!Number.isInteger(txs) || txs < 1) throw new Error(`--txs wants a positive integer, got ${values.txs}`);

  const work = mkdtempSync(join(tmpdir(), 'custos-demo-'));
  const replica = join(work, 'replica');
  say(`working in ${work}`);
  const net = await startFreshDevnet(join(work, 'devnet'));
  try {
    const rpc = net.nodes.map((n) => n.rpc); // the genesis validators (the promoted node joins below)
    say(`devnet up on ${rpc.join(', ')}; playing about ${txs} transactions`);
    const wl = await runWorkload({
      rpc, devnetSeed: net.seed, txs, anomalies: [...ANOMALY_KINDS], perKind: 1,
      offchainDir: join(work, 'offchain'), waitGovernanceMs: 120_000, log: say,
    });
    say(`workload done: governance ${JSON.stringify(wl.truth.governance?.status ?? 'none')}`);
    await promoteAndOutage(net, say);
    // A few empty blocks after the last change, so every transition is inside the replica.
    const tip = Number((await net.rpc(0).status()).sync_info.latest_block_height);
    await net.waitForHeight(BigInt(tip + 3), { nodes: [0, 1, 2] });

    const store = await openStore(replica);
    try {
      const r = await syncReplica({ store, endpoints: net.nodes.map((n) => n.rpc), chainId: DEMO_CHAIN_ID, onEvent: (e) => e.type === 'genesis' && say(`genesis sha256 ${e.sha256}`) });
      say(`synced to ${r.completeHeight} (${r.heightsWritten} heights, ${r.forks.length} forks)`);
    } finally {
      await store.close();
    }
  } finally {
    await net.stop();
  }

  const report = await runVerification({ dir: replica });
  console.error(formatReport(report));
  if (!report.ok) throw new Error('the demo replica does not verify; not exporting it');
  rmSync(out, { force: true });
  const b = await exportBundle(replica, out, { tool: 'custos demo:build' });
  writeFileSync(join(dirname(out), DEMO_PIN_FILE), `${b.manifest.genesisSha256}\n`);
  const size = statSync(out).size;
  say(`wrote ${out}: ${(size / 1024).toFixed(0)} KiB, heights ${b.manifest.heights.lowest}..${b.manifest.heights.highest}, chain ${b.manifest.chainId}, genesis ${b.manifest.genesisSha256}`);
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else say(`kept ${work}`);
  if (size > MAX_BYTES) throw new Error(`${out} is ${size} bytes, over the ${MAX_BYTES}-byte budget; lower --txs`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[demo] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
