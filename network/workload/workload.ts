// Plays one simulated day (day.ts) against a running ledger and writes its ground truth.
//
//   const { truth } = await runWorkload({ rpc, devnetSeed, txs: 3000, anomalies: ['no_consent'], offchainDir });
//
// Deterministic given the devnet seed, the workload seed, the day's epoch and the chain's
// prior state: the same people do the same things to the same records in the same order with
// the same documents, so on a fresh devnet the transactions and their ids repeat exactly.
// Only heights (and timings) depend on the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { keyFromSeed } from '../../shared/ledger/client/index';
import { LedgerClient, type TxOutcome } from './client';
import { Day, isoAt } from './day';
import { OffchainStore } from './offchain';
import { Population } from './population';
import { Rng } from './rng';
import type { AnomalyKind, GroundTruth } from './truth';

export interface WorkloadOptions {
  rpc: string[];
  /** Expected chain id (default: what the nodes report). */
  chainId?: string;
  /** The devnet seed its genesis keys derive from (devnet.json `seed`). */
  devnetSeed: string;
  /** Transactions to play, approximately (default 3000). */
  txs?: number;
  /** Names the day; default: the first of day-1, day-2, … not yet played on this chain. */
  seed?: string;
  anomalies?: AnomalyKind[];
  /** Instances of each anomaly (default 2). */
  perKind?: number;
  offchainDir: string;
  /** Where to write the ground truth (default <offchainDir>/../workload/<seed>.truth.json). */
  truthFile?: string;
  /** Signer lanes in flight (default 16). */
  concurrency?: number;
  /** Unix seconds of the simulated day's 00:00 UTC (default: the day before the chain's latest block). */
  epoch?: number;
  /** Wait (up to this many ms) for the day's governance proposal to be tallied (default 0: don't). */
  waitGovernanceMs?: number;
  log?: (line: string) => void;
  /** Called about once a second while transactions are in flight. */
  onProgress?: (p: WorkloadProgress) => void;
}

export interface WorkloadProgress {
  phase: number;
  phases: number;
  phaseName: string;
  phaseSize: number;
  phaseSent: number;
  sent: number;
  included: number;
  planned: number;
  height: number;
  elapsedMs: number;
  txPerSec: number;
}

export interface WorkloadResult {
  truth: GroundTruth;
  truthFile: string;
  seed: string;
}

const DAY = 86_400;

export async function runWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  const log = o.log ?? (() => {});
  const client = await LedgerClient.connect({ rpc: o.rpc, chainId: o.chainId, concurrency: o.concurrency, log });
  try {
    return await play(client, o, log);
  } finally {
    await client.close();
  }
}

async function play(client: LedgerClient, o: WorkloadOptions, log: (l: string) => void): Promise<WorkloadResult> {
  const node = client.nodes[client.liveNodes()[0]!]!;
  const genesis = await node.genesis<{ app_state: unknown }>();
  const pop = Population.fromGenesis(genesis.genesis.app_state, o.devnetSeed);

  const seed = o.seed ?? (await firstUnplayedDay(client, pop));
  if (await dayPlayed(client, pop, seed)) {
    throw new Error(`day ${JSON.stringify(seed)} has already been played on this chain; choose another --seed`);
  }
  const st = await node.status();
  const chainTime = Math.floor(Date.parse(st.sync_info.latest_block_time.replace(/\.\d+Z$/, 'Z')) / 1000);
  const epoch = o.epoch ?? (Math.floor(chainTime / DAY) - 1) * DAY;
  if (epoch > chainTime || epoch < chainTime - 30 * DAY) {
    throw new Error(`epoch ${isoAt(epoch)} must be within the 30 days before the chain's time ${isoAt(chainTime)}`);
  }
  const anomalies = o.anomalies ?? [];
  const perKind = o.perKind ?? 2;
  const offchainDir = resolve(o.offchainDir);
  const store = new OffchainStore(offchainDir);
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const day = new Day(pop, store, new Rng(`custos-workload/${o.devnetSeed}/${seed}`), { txs: o.txs ?? 3000, anomalies, perKind, epoch, seed });
  log(
    `day ${seed} of chain ${client.chainId}: ${day.size} transactions planned, ${day.documents} documents in ${offchainDir}; ` +
      `${pop.genesisPatients.length} genesis patients, ${day.newPatients.length} new, ${day.activePatients.length} active today` +
      (anomalies.length ? `; anomalies: ${anomalies.join(', ')} ×${perKind}` : ''),
  );

  const outcomes: { tag: string; o: TxOutcome; expect?: { decision?: string; reason?: string } }[] = [];
  const unexpected: GroundTruth['unexpected'] = [];
  let current = { phase: 0, name: '', size: 0, sentAtStart: 0 };
  const progress = o.onProgress
    ? setInterval(() => {
        const s = client.stats;
        const elapsed = Date.now() - t0;
        o.onProgress!({
          phase: current.phase, phases: day.phases.length, phaseName: current.name, phaseSize: current.size,
          phaseSent: s.sent - current.sentAtStart, sent: s.sent, included: s.included, planned: day.size, height: s.height,
          elapsedMs: elapsed, txPerSec: rate(s.included, s.firstSentAt),
        });
      }, 1000)
    : undefined;
  let first = Infinity, last = 0;
  try {
    for (const [i, phase] of day.phases.entries()) {
      current = { phase: i + 1, name: phase.name, size: phase.ops.length, sentAtStart: client.stats.sent };
      phase.before?.();
      if (i === 1) for (const pk of day.freshSigners()) client.primeNonce(pk, 0);
      const res = await client.submit(phase.ops.map((op) => op.req));
      let top = 0;
      phase.ops.forEach((op, j) => {
        const r = res[j]!;
        op.done?.(r);
        const tag = op.req.tag ?? op.req.kind;
        outcomes.push({ tag, o: r, expect: op.expect });
        if (r.height !== undefined) {
          top = Math.max(top, r.height);
          first = Math.min(first, r.height);
          last = Math.max(last, r.height);
        }
        const note = (detail?: string) =>
          unexpected.push({ tag, kind: op.req.kind, txId: r.id, status: r.status, code: r.code, log: r.log, detail });
        if (r.status !== 'ok') note();
        else if (op.expect?.decision) {
          const d = r.data as { decision?: string; reason?: string } | undefined;
          if (d?.decision !== op.expect.decision || (op.expect.reason !== undefined && d?.reason !== op.expect.reason)) {
            note(`expected ${op.expect.decision}${op.expect.reason ? `/${op.expect.reason}` : ''}, ledger decided ${d?.decision}${d?.reason ? `/${d.reason}` : ''}`);
          }
        }
      });
      if (top > 0) await client.syncNodes(top);
      const s = client.stats;
      log(`phase ${i + 1}/${day.phases.length} ${phase.name}: ${phase.ops.length} txs done at height ${top || s.height} · ${s.included} included · ${rate(s.included, s.firstSentAt).toFixed(0)} tx/s`);
    }
  } finally {
    if (progress) clearInterval(progress);
  }
  const includedPerSecond = rate(client.stats.included, client.stats.firstSentAt, client.stats.lastIncludedAt);

  let govStatus: string | undefined;
  const gov = day.governance;
  if (gov?.proposalId !== undefined && gov.votingEndHeight !== undefined) {
    if ((o.waitGovernanceMs ?? 0) > 0) {
      log(`waiting for proposal ${gov.proposalId} to be tallied at height ${gov.votingEndHeight}`);
      await node.waitForHeight(BigInt(gov.votingEndHeight + 1), o.waitGovernanceMs).catch(() => undefined);
    }
    const t = await client.query<{ status?: string }>(`/tally/${gov.proposalId}`).catch(() => undefined);
    govStatus = t?.status;
  }

  const byKind: Record<string, number> = {};
  for (const { o: r } of outcomes) if (r.status === 'ok') byKind[r.request.kind] = (byKind[r.request.kind] ?? 0) + 1;
  const count = (s: TxOutcome['status']) => outcomes.filter((x) => x.o.status === s).length;
  const finished = Date.now();
  const truth: GroundTruth = {
    format: 'custos-workload-truth/1',
    chainId: client.chainId,
    devnetSeed: o.devnetSeed,
    seed,
    epoch,
    offchainDir,
    requested: { txs: o.txs ?? 3000, anomalies, perKind },
    counts: {
      planned: day.size, ok: count('ok'), failed: count('failed'), refused: count('refused'), skipped: count('skipped'), lost: count('lost'),
      byKind,
      patients: { genesis: pop.genesisPatients.length, registered: day.newPatients.length, active: day.activePatients.length },
      records: day.records.length,
      documents: day.documents,
    },
    heights: { first: Number.isFinite(first) ? first : 0, last },
    governance: gov?.proposalId !== undefined
      ? { proposalId: gov.proposalId, title: gov.title, proposeTxId: gov.proposeTxId!, votingEndHeight: gov.votingEndHeight!, votes: gov.votes, status: govStatus }
      : undefined,
    anomalies: day.anomalies.slice().sort((a, b) => a.height - b.height || a.kind.localeCompare(b.kind)),
    unexpected,
    timing: { startedAt, finishedAt: new Date(finished).toISOString(), seconds: (finished - t0) / 1000, includedPerSecond },
  };
  const truthFile = resolve(o.truthFile ?? resolve(offchainDir, '..', 'workload', `${seed}.truth.json`));
  mkdirSync(dirname(truthFile), { recursive: true });
  writeFileSync(truthFile, `${JSON.stringify(truth, null, 2)}\n`);
  return { truth, truthFile, seed };
}

function rate(n: number, from?: number, to = Date.now()): number {
  if (!from || to <= from) return 0;
  return (n * 1000) / (to - from);
}

/** A day counts as played once its first new patient is registered. */
async function dayPlayed(client: LedgerClient, pop: Population, seed: string): Promise<boolean> {
  const pk = keyFromSeed(pop.newIdentity(`patient/${seed}/0`).seed).pubkey;
  return (await client.query(`/patient/${pk}`)) !== undefined;
}

async function firstUnplayedDay(client: LedgerClient, pop: Population): Promise<string> {
  for (let d = 1; d < 10_000; d++) if (!(await dayPlayed(client, pop, `day-${d}`))) return `day-${d}`;
  throw new Error('every day-N seed up to 10000 has been played; pass --seed');
}
