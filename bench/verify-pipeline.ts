// Full-replica verification throughput against the raw native Ed25519 rate, in one run on one
// machine: verifies a replica with runVerification (prepare workers + chain worker) — a store
// directory (e.g. synced from the devnet), or an in-memory consent-ledger chain built here with
// real signed txs and commits — and measures plain OpenSSL Ed25519 verifies/s on the same
// number of threads. Worker start-up is part of the verification time.
//
//   npx tsx bench/verify-pipeline.ts [--dir REPLICA] [--blocks 200] [--txs 50] [--threads N]
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { keyFromSeed } from '../shared/ledger/client/keys';
import { buildReplicaChain, type Workload } from '../test/replica-chain';
import { memorySource, runVerification, type HeightRecord, type ReplicaSource } from '../electron/services/verify';
import { rawEd25519 } from './raw-ed25519';

const { values: args } = parseArgs({ options: { dir: { type: 'string' }, blocks: { type: 'string' }, txs: { type: 'string' }, threads: { type: 'string' } } });
const blocks = Number(args.blocks ?? 200);
const perBlock = Number(args.txs ?? 50);
const threads = Number(args.threads ?? availableParallelism());

const PATIENTS = 40;
const workload: Workload = {
  txs(h, w) {
    const seedOf = (label: string) => w.g.members.find((m) => m.label === label)!.seed;
    const staff = ['st-mary-hospital/clinician-1', 'st-mary-hospital/clinician-2', 'st-mary-hospital/nurse-1', 'st-mary-hospital/nurse-2'].map(seedOf);
    const patient = (i: number) => keyFromSeed(w.g.patientSeed(i)).pubkey;
    if (h === 1) return [];
    if (h === 2) return Array.from({ length: PATIENTS }, (_, i) => w.tx('patient.register', { patient: patient(i) }, staff[0]!));
    return Array.from({ length: perBlock }, (_, i) => w.tx('record.anchor', {
      patient: patient((h * perBlock + i) % PATIENTS), resource_type: 'Observation', uri: `urn:obs:${h}:${i}`, sha256: (h * 1000 + i).toString(16).padStart(64, '0'),
    }, staff[i % staff.length]!));
  },
};

function builtChain(): ReplicaSource {
  const t0 = performance.now();
  const chain = buildReplicaChain({ heights: blocks, workload });
  const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
  const records: HeightRecord[] = chain.heights.map((r) => ({
    height: r.height, payloads: { block: enc(r.block), commit: enc(r.commit), validators: enc(r.validators), block_results: enc(r.block_results) },
  }));
  console.log(`chain: ${blocks} blocks, ${chain.txCount} txs, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return memorySource(enc(chain.genesis), records);
}

const source = args.dir ? undefined : builtChain();
console.log(`${args.dir ?? 'in-memory chain'}: ${threads} prepare thread(s) + 1 chain thread`);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const report = await runVerification({ ...(source ? { source } : { dir: args.dir! }), threads, checkpointPath: null });
loop.disable();
if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.firstFailure)}`);
const secs = report.durationMs / 1000;
const sigRate = report.counts.signatures / secs;
const raw = await rawEd25519(threads, 2000);
console.log(`verify:  ${report.counts.blocks} blocks, ${report.counts.txs} txs, ${report.counts.signatures} signatures in ${secs.toFixed(2)} s`);
console.log(`         ${(report.counts.blocks / secs).toFixed(0)} blocks/s, ${(report.counts.txs / secs).toFixed(0)} txs/s, ${sigRate.toFixed(0)} signatures/s`);
console.log(`raw native Ed25519 on ${threads} thread(s): ${raw.toFixed(0)} verifies/s`);
console.log(`ratio (verification signatures/s ÷ raw verifies/s): ${(sigRate / raw).toFixed(2)}`);
console.log(`caller's event loop during verification: max delay ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
