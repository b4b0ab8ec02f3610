// Full-replica verification throughput against the raw native Ed25519 rate, in one run on one
// machine: verifies a replica with runVerification (prepare workers + chain worker) — a store
// directory (e.g. synced from the devnet), or an in-memory consent-ledger chain built here with
// real signed txs and commits — and measures plain OpenSSL Ed25519 verifies/s on the same
// number of threads. Worker start-up is part of the verification time. On a shared machine the
// wall-clock ratio moves with everyone else's load; the CPU line does not: the process's CPU time
// for the verification (every thread) against the CPU time the same signatures take in a bare
// OpenSSL loop, i.e. the ratio the run would reach with its cores to itself and none idle.
//
//   npx tsx bench/verify-pipeline.ts [--dir REPLICA] [--blocks 200] [--txs 50] [--threads N]
import { generateKeyPairSync, sign, verify } from 'node:crypto';
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
/** Bare OpenSSL Ed25519 verifies per CPU-second of this thread (bench/raw-ed25519.ts's messages and key). */
function rawPerCpuSecond(ms: number): number {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const msgs = Array.from({ length: 64 }, (_, i) => Buffer.from(`message ${i} `.repeat(20)));
  const sigs = msgs.map((m) => sign(null, m, privateKey));
  for (let i = 0; i < 200; i++) verify(null, msgs[i % 64]!, publicKey, sigs[i % 64]!);
  const c0 = process.cpuUsage();
  let n = 0;
  for (const end = performance.now() + ms; performance.now() < end;) for (let i = 0; i < 64; i++) if (verify(null, msgs[i]!, publicKey, sigs[i]!)) n++;
  const c = process.cpuUsage(c0);
  return n / ((c.user + c.system) / 1e6);
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu0 = process.cpuUsage();
const report = await runVerification({ ...(source ? { source } : { dir: args.dir! }), threads, checkpointPath: null });
const cpu = process.cpuUsage(cpu0);
loop.disable();
if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.firstFailure)}`);
const secs = report.durationMs / 1000;
const sigRate = report.counts.signatures / secs;
const raw = await rawEd25519(threads, 2000);
console.log(`verify:  ${report.counts.blocks} blocks, ${report.counts.txs} txs, ${report.counts.signatures} signatures in ${secs.toFixed(2)} s`);
console.log(`         ${(report.counts.blocks / secs).toFixed(0)} blocks/s, ${(report.counts.txs / secs).toFixed(0)} txs/s, ${sigRate.toFixed(0)} signatures/s`);
console.log(`raw native Ed25519 on ${threads} thread(s): ${raw.toFixed(0)} verifies/s`);
console.log(`ratio (verification signatures/s ÷ raw verifies/s): ${(sigRate / raw).toFixed(2)}`);
const cpuSecs = (cpu.user + cpu.system) / 1e6, rawCpu = rawPerCpuSecond(1500);
console.log(`CPU: ${cpuSecs.toFixed(2)} CPU-s for the verification (${((cpuSecs * 1e6) / Math.max(1, report.counts.txs)).toFixed(0)} µs per tx); the same signatures in a bare loop: ${(report.counts.signatures / rawCpu).toFixed(2)} CPU-s (${rawCpu.toFixed(0)} per CPU-s)`);
console.log(`ratio by CPU (bare-loop CPU-s ÷ verification CPU-s): ${(report.counts.signatures / rawCpu / cpuSecs).toFixed(2)}`);
console.log(`caller's event loop during verification: max delay ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
