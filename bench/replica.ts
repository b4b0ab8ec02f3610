// npm run bench [-- --txs N] [--threads T] [--seed S] [--home DIR] [--keep] [--json FILE] [--build-only]
//
// The replica benchmark, on a local 4-validator devnet carrying at least N consent-ledger
// transactions (default 100,000), all figures measured in the same run on this machine:
//   verify    `custos verify DIR --full --json --threads T` in a child process: signatures
//             verified per second (commit and transaction signatures, whole run, worker start-up
//             included) ÷ raw native Ed25519 verifies per second on T worker threads (plain
//             OpenSSL through node:crypto, measured just before and after) — goal ≥ 0.85
//   sync      `custos sync --rpc NODE0 --out DIR --to H --no-verify` in a child process: its
//             blocks/s ÷ a bare fetch loop's blocks/s against the same node (the same four
//             JSON-RPC calls per height in the same batch POSTs with as many in flight, bodies
//             read and dropped; measured just before and after) — goal ≥ 0.8
//   memory    peak RSS (/usr/bin/time -v) of the sync child, the verify child (--no-index: the
//             verification engine) and `custos index DIR` (the sql.js index, built from the
//             replica) at 10k transactions, halfway and at N — goal: flat
// Sync and the bare fetch loop run against the devnet; verify, index and raw Ed25519 run after
// it is stopped, so its four nodes do not compete with them for the CPU.
// The chain is built once per seed and kept under .cache/bench-devnet/<seed> (devnet home,
// bench.json with the heights where each workload day ended); later runs reuse it and only
// add what is missing. Build rate depends on the machine (about 80-100 tx/s on 2 busy cores).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findFreeBasePort, readLayout, startDevnet, type Devnet } from '../network/devnet';
import { PROJECT_ROOT } from '../network/devnet/paths';
import { playLedgerLoad } from '../test/support/ledger-load';
import type { VerificationReport } from '../electron/services/verify';
import { SYNC_DEFAULTS } from '../electron/services/sync';
import { rawEd25519 } from './raw-ed25519';

const { values: args } = parseArgs({
  options: {
    txs: { type: 'string' },
    threads: { type: 'string' },
    seed: { type: 'string' },
    home: { type: 'string' },
    'day-txs': { type: 'string' },
    concurrency: { type: 'string' },
    keep: { type: 'boolean' },
    'build-only': { type: 'boolean' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
  process.exit(0);
}
const posInt = (name: string, v: string | undefined, dflt: number): number => {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} wants a positive integer, got ${v}`);
  return n;
};
const TARGET = posInt('txs', args.txs, 100_000);
const THREADS = posInt('threads', args.threads, availableParallelism());
const DAY_TXS = posInt('day-txs', args['day-txs'], 10_000);
const CONCURRENCY = posInt('concurrency', args.concurrency, 64);
const SEED = args.seed ?? 'custos-bench';
const HOME = resolve(args.home ?? join(PROJECT_ROOT, '.cache', 'bench-devnet', SEED.replace(/[^A-Za-z0-9._-]/g, '_')));
const WORK = join(HOME, 'bench-work');
const BIN = join(PROJECT_ROOT, 'bin', 'custos.mjs');
const SMALL = 10_000;

const t0 = performance.now();
const say = (l: string): void => void process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${l}\n`);
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// ---------------------------------------------------------------------------------------------
// The chain: days of workload, recorded in bench.json

interface Day {
  txs: number;
  ok: number;
  first: number;
  last: number;
  via: string;
  seconds: number;
}
interface BenchChain {
  format: 1;
  seed: string;
  days: Day[];
}

const chainFile = join(HOME, 'bench.json');
function readChain(): BenchChain {
  if (!existsSync(chainFile)) return { format: 1, seed: SEED, days: [] };
  return JSON.parse(readFileSync(chainFile, 'utf8')) as BenchChain;
}
function saveChain(c: BenchChain): void {
  writeFileSync(`${chainFile}.tmp`, JSON.stringify(c, null, 2));
  renameSync(`${chainFile}.tmp`, chainFile);
}
const total = (c: BenchChain): number => c.days.reduce((a, d) => a + d.ok, 0);

/** The first height by which at least `txs` transactions are committed (a day's last block). */
function markFor(c: BenchChain, txs: number): { height: number; txs: number } | undefined {
  let n = 0;
  for (const d of c.days) {
    n += d.ok;
    if (n >= txs) return { height: d.last, txs: n };
  }
  return undefined;
}

async function ensureChain(): Promise<{ net: Devnet; chain: BenchChain }> {
  mkdirSync(HOME, { recursive: true });
  const fresh = !readLayout(HOME);
  say(`${fresh ? 'creating' : 'reusing'} the devnet in ${HOME}`);
  const net = await startDevnet({
    home: HOME,
    seed: SEED,
    chainId: 'custos-bench',
    validators: 4,
    ...(fresh ? { basePort: await findFreeBasePort(4) } : {}),
    timeoutCommit: '100ms',
    emptyBlocksInterval: '2s',
    readyTimeoutMs: 600_000,
    log: (l) => say(`devnet: ${l}`),
  });
  const chain = readChain();
  const rpc = net.nodes.map((n) => n.rpc);
  while (total(chain) < TARGET) {
    const have = total(chain);
    // day boundaries at 10k, so the 10k mark is a day's end
    const want = Math.max(500, Math.min(DAY_TXS, TARGET - have, have < SMALL ? SMALL - have : Infinity));
    say(`chain has ${fmt(have)} txs; playing a day of ${fmt(want)} more (${CONCURRENCY} signer lanes)`);
    const r = await playLedgerLoad({
      rpc, chainId: net.chainId, devnetSeed: net.seed, txs: want, offchainDir: join(HOME, 'offchain'), concurrency: CONCURRENCY,
      log: (l) => say(`workload: ${l}`),
    });
    if (r.ok === 0) throw new Error('the workload committed nothing');
    chain.days.push({ txs: want, ok: r.ok, first: r.heights.first, last: r.heights.last, via: r.via, seconds: r.seconds });
    saveChain(chain);
    say(`day done: ${fmt(r.ok)} txs in ${r.seconds.toFixed(0)} s (${fmt(r.ok / r.seconds)} tx/s), heights ${r.heights.first}–${r.heights.last}; ${fmt(total(chain))} in all`);
  }
  return { net, chain };
}

// ---------------------------------------------------------------------------------------------
// Child processes, peak RSS through /usr/bin/time -v

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  maxRssKb: number | null;
  /** User + system CPU seconds of the child, all its threads (null without /usr/bin/time). */
  cpuSeconds: number | null;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function runChild(cmd: string, argv: string[]): Promise<ChildRun> {
  return new Promise((resolveRun, reject) => {
    const [file, list] = TIME ? [TIME, ['-v', cmd, ...argv]] : [cmd, argv];
    const t = performance.now();
    const child = spawn(file, list, { cwd: PROJECT_ROOT, env: { ...process.env, CUSTOS_PROGRESS_INTERVAL_MS: '10000' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const reported = /^maxrss-kb (\d+)$/m.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuSeconds = user && sys ? Number(user[1]) + Number(sys[1]) : null;
      resolveRun({ code, stdout, stderr, wallMs: performance.now() - t, maxRssKb: m ? Number(m[1]) : reported ? Number(reported[1]) : null, cpuSeconds });
    });
  });
}

function mustSucceed(r: ChildRun, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
}

// ---------------------------------------------------------------------------------------------
// Baselines

/** The same JSON-RPC calls the sync makes per height, in the same batch POSTs (2 heights each), `inFlight` at a time; bodies read and dropped. */
const BARE_FETCH = `
const [url, from, to, inFlight] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const PER_POST = 2;
let next = from, bytes = 0, id = 0;
async function lane() {
  for (;;) {
    const lo = next; if (lo > to) return; next += PER_POST;
    const calls = [];
    for (let h = lo; h <= Math.min(to, lo + PER_POST - 1); h++) {
      calls.push({ jsonrpc: '2.0', id: id++, method: 'block', params: { height: String(h) } },
        { jsonrpc: '2.0', id: id++, method: 'commit', params: { height: String(h) } },
        { jsonrpc: '2.0', id: id++, method: 'validators', params: { height: String(h), page: '1', per_page: '100' } },
        { jsonrpc: '2.0', id: id++, method: 'block_results', params: { height: String(h) } });
    }
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(calls) });
    const n = (await r.arrayBuffer()).byteLength;
    bytes += n;
  }
}
const t = performance.now();
await Promise.all(Array.from({ length: inFlight }, lane));
const s = (performance.now() - t) / 1000;
console.log(JSON.stringify({ heights: to - from + 1, seconds: s, blocksPerSecond: (to - from + 1) / s, bytes }));
`;

async function bareFetch(url: string, to: number, inFlight: number): Promise<{ blocksPerSecond: number; seconds: number; bytes: number }> {
  const r = await runChild(process.execPath, ['--input-type=module', '-e', BARE_FETCH, url, '1', String(to), String(inFlight)]);
  mustSucceed(r, 'bare fetch loop');
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { blocksPerSecond: number; seconds: number; bytes: number };
}

// ---------------------------------------------------------------------------------------------
// The measurements

interface Level {
  txs: number;
  height: number;
  sync: { blocksPerSecond: number; heights: number; engineSeconds: number; wallMs: number; maxRssKb: number | null };
  verify: { signaturesPerSecond: number; blocksPerSecond: number; signatures: number; txs: number; blocks: number; durationMs: number; wallMs: number; maxRssKb: number | null; cpuSeconds: number | null; ok: boolean };
  index: { wallMs: number; maxRssKb: number | null };
}

const replicaDir = (mark: { height: number }): string => join(WORK, `replica-${mark.height}`);

/** Syncs a level's replica from the devnet (kept for offlineLevel). */
async function syncLevel(node: string, mark: { height: number; txs: number }): Promise<Level['sync']> {
  const dir = replicaDir(mark);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  say(`sync 1–${fmt(mark.height)} (${fmt(mark.txs)} txs) from ${node}`);
  const s = await runChild(process.execPath, [BIN, 'sync', '--rpc', node, '--out', dir, '--to', String(mark.height), '--no-verify']);
  mustSucceed(s, 'custos sync');
  const m = /this run\s+([\d,]+) height\(s\) in ([\d.]+) s \(([\d.]+) blocks\/s\)/.exec(s.stdout);
  if (!m) throw new Error(`cannot read the sync summary:\n${s.stdout}`);
  const sync = { heights: Number(m[1]!.replace(/,/g, '')), engineSeconds: Number(m[2]), blocksPerSecond: Number(m[3]), wallMs: s.wallMs, maxRssKb: s.maxRssKb };
  say(`  ${fmt(sync.heights)} heights in ${sync.engineSeconds} s: ${fmt(sync.blocksPerSecond, 1)} blocks/s, peak RSS ${fmt((sync.maxRssKb ?? 0) / 1024)} MiB`);
  return sync;
}

/** Verifies and indexes a synced level's replica; run with the devnet stopped, so it does not compete for the CPU. */
async function offlineLevel(mark: { height: number; txs: number }, sync: Level['sync']): Promise<Level> {
  const dir = replicaDir(mark);
  say(`verify --full on ${THREADS} thread(s), ${fmt(mark.txs)} txs`);
  const v = await runChild(process.execPath, [BIN, 'verify', dir, '--full', '--json', '--no-index', '--threads', String(THREADS)]);
  if (v.code !== 0 && v.code !== 1) mustSucceed(v, 'custos verify');
  const rep = JSON.parse(v.stdout) as VerificationReport;
  if (!rep.ok) say(`  VERIFICATION FAILED: ${rep.failuresTotal} failure(s), first ${JSON.stringify(rep.firstFailure)}`);
  const verify = {
    ok: rep.ok, signaturesPerSecond: rep.throughput.signaturesPerSecond, blocksPerSecond: rep.throughput.blocksPerSecond,
    signatures: rep.counts.signatures, txs: rep.counts.txs, blocks: rep.counts.blocks, durationMs: rep.durationMs, wallMs: v.wallMs, maxRssKb: v.maxRssKb, cpuSeconds: v.cpuSeconds,
  };
  say(`  ${fmt(verify.blocks)} blocks, ${fmt(verify.txs)} txs, ${fmt(verify.signatures)} signatures in ${(verify.durationMs / 1000).toFixed(1)} s: ${fmt(verify.signaturesPerSecond)} signatures/s, peak RSS ${fmt((verify.maxRssKb ?? 0) / 1024)} MiB`);
  say(`index (sql.js) built from the replica`);
  const ix = await runChild(process.execPath, [BIN, 'index', dir]);
  mustSucceed(ix, 'custos index');
  const index = { wallMs: ix.wallMs, maxRssKb: ix.maxRssKb };
  say(`  in ${(ix.wallMs / 1000).toFixed(1)} s, peak RSS ${fmt((ix.maxRssKb ?? 0) / 1024)} MiB`);
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
  return { txs: mark.txs, height: mark.height, sync, verify, index };
}

/**
 * Where the verify child's CPU went, against the bare loop: the signatures at the raw rate per
 * thread, and everything else (reading, decoding, hashing, the ledger replay, GC), which runs on
 * the same cores. With every core busy, the wall ratio is about the CPU ratio.
 */
function cpuBudget(v: Level['verify'], raw: number): string[] {
  if (v.cpuSeconds === null) return [];
  const sigCpu = v.signatures / (raw / THREADS);
  const goalCpu = sigCpu / 0.85;
  return [
    `  verify CPU  ${v.cpuSeconds.toFixed(1)} CPU-s (all threads, start-up included): its ${fmt(v.signatures)} signatures take ${sigCpu.toFixed(1)} CPU-s at the raw rate, the rest ${(v.cpuSeconds - sigCpu).toFixed(1)} CPU-s;`,
    `              by CPU ${(sigCpu / v.cpuSeconds).toFixed(3)}; 0.85 leaves ${(goalCpu - sigCpu).toFixed(1)} CPU-s for all the rest on these ${cpus().length} core(s) (the ledger replay alone: bench/replay.ts)`,
  ];
}

async function main(): Promise<void> {
  const command = `nice -n 10 npm run bench --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
  say(`${command}  (${cpus().length} CPUs ${cpus()[0]?.model ?? ''}, ${fmt(totalmem() / 2 ** 30)} GiB, node ${process.version})`);
  const { net, chain } = await ensureChain();
  if (args['build-only']) {
    say(`chain ready: ${fmt(total(chain))} txs, last day ended at height ${chain.days.at(-1)?.last ?? 0}`);
    await net.stop();
    return;
  }
  try {
    const node = net.nodes[0]!.rpc;
    const top = markFor(chain, TARGET)!;
    const small = markFor(chain, Math.min(SMALL, TARGET))!;
    await net.waitForHeight(BigInt(top.height + 2), { timeoutMs: 120_000 });

    // RSS at 10k, (from 40k on) halfway, and at the top: flat means no growth with the chain's length
    // (blocks differ in size along the chain: later workload days pack more transactions per block).
    const marks = [small];
    const half = TARGET >= 4 * SMALL ? markFor(chain, TARGET / 2) : undefined;
    if (half && half.height !== top.height && half.height !== small.height) marks.push(half);
    if (small.height === top.height) marks.pop();

    // With the devnet up: each level's sync, and at the top level bare, sync, bare.
    const syncs = [];
    for (const m of marks) syncs.push(await syncLevel(node, m));
    const IN_FLIGHT = SYNC_DEFAULTS.postsPerEndpoint; // as many POSTs in flight as the sync keeps against one endpoint
    say(`bare fetch loop 1–${fmt(top.height)} against ${node}, ${IN_FLIGHT} POSTs in flight`);
    const bare1 = await bareFetch(node, top.height, IN_FLIGHT);
    say(`  ${fmt(bare1.blocksPerSecond, 1)} blocks/s (${fmt(bare1.bytes / 2 ** 20)} MiB in ${bare1.seconds.toFixed(1)} s)`);
    marks.push(top);
    syncs.push(await syncLevel(node, top));
    const bare2 = await bareFetch(node, top.height, IN_FLIGHT);
    say(`bare fetch loop again: ${fmt(bare2.blocksPerSecond, 1)} blocks/s`);

    // Then offline, the devnet stopped (its nodes keep two cores busy enough to skew both sides):
    // raw Ed25519 before and after the top level's verify.
    await net.stop();
    const levels: Level[] = [];
    for (let i = 0; i < marks.length - 1; i++) levels.push(await offlineLevel(marks[i]!, syncs[i]!));
    const raw1 = await rawEd25519(THREADS, 3000);
    say(`raw native Ed25519 on ${THREADS} thread(s): ${fmt(raw1)} verifies/s`);
    const topLevel = await offlineLevel(top, syncs.at(-1)!);
    levels.push(topLevel);
    const raw2 = await rawEd25519(THREADS, 3000);
    say(`raw native Ed25519 on ${THREADS} thread(s): ${fmt(raw2)} verifies/s`);

    const raw = (raw1 + raw2) / 2;
    const bare = (bare1.blocksPerSecond + bare2.blocksPerSecond) / 2;
    const verifyRatio = topLevel.verify.signaturesPerSecond / raw;
    const syncRatio = topLevel.sync.blocksPerSecond / bare;
    const mib = (kb: number | null): string => (kb === null ? '?' : `${fmt(kb / 1024)} MiB`);
    const L: string[] = [];
    L.push('');
    L.push(`Custos replica benchmark — ${new Date().toISOString()}`);
    L.push(`  command     ${command}`);
    L.push(`  machine     ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30)} GiB, node ${process.version}, verify threads ${THREADS}`);
    L.push(`  chain       ${HOME}: ${fmt(total(chain))} txs committed in ${chain.days.length} workload day(s) (${chain.days[0]?.via ?? '?'}); measured 1–${fmt(top.height)} (${fmt(top.txs)} txs)`);
    L.push(`  verify      ${fmt(topLevel.verify.signaturesPerSecond)} signatures/s (${fmt(topLevel.verify.signatures)} signatures, ${fmt(topLevel.verify.txs)} txs, ${fmt(topLevel.verify.blocks)} blocks in ${(topLevel.verify.durationMs / 1000).toFixed(1)} s; ${topLevel.verify.ok ? 'all verified' : 'FAILURES'})`);
    L.push(`  raw Ed25519 ${fmt(raw)} verifies/s on ${THREADS} thread(s) (${fmt(raw1)} before, ${fmt(raw2)} after)`);
    L.push(`  RATIO verify ÷ raw Ed25519      ${verifyRatio.toFixed(3)}   (goal ≥ 0.85)`);
    L.push(...cpuBudget(topLevel.verify, raw));
    L.push(`  sync        ${fmt(topLevel.sync.blocksPerSecond, 1)} blocks/s (${fmt(topLevel.sync.heights)} heights in ${topLevel.sync.engineSeconds} s, one endpoint, --no-verify)`);
    L.push(`  bare fetch  ${fmt(bare, 1)} blocks/s (${fmt(bare1.blocksPerSecond, 1)} before, ${fmt(bare2.blocksPerSecond, 1)} after; ${IN_FLIGHT} batch POSTs in flight)`);
    L.push(`  RATIO sync ÷ bare fetch         ${syncRatio.toFixed(3)}   (goal ≥ 0.8)`);
    L.push('  peak RSS    level                                             sync          verify        index');
    /** Transactions per block while the workload played, at its densest, up to a height (blocks grow along the chain). */
    const densest = (h: number): number => Math.max(0, ...chain.days.filter((d) => d.last <= h).map((d) => d.ok / Math.max(1, d.last - d.first + 1)));
    for (const l of levels) {
      const what = `${fmt(l.txs)} txs, ${fmt(l.height)} blocks (densest day ${fmt(densest(l.height))} tx/block)`;
      L.push(`              ${what.padEnd(50)}  ${mib(l.sync.maxRssKb).padEnd(12)}  ${mib(l.verify.maxRssKb).padEnd(12)}  ${mib(l.index.maxRssKb)}`);
    }
    if (levels.length >= 2) {
      const [a, b] = [levels[0]!, levels[levels.length - 1]!];
      const g = (x: number | null, y: number | null): string => (x && y ? `×${(y / x).toFixed(2)}` : '?');
      L.push(`  RSS growth  ${fmt(a.txs)} → ${fmt(b.txs)} txs (×${(b.txs / a.txs).toFixed(1)}): sync ${g(a.sync.maxRssKb, b.sync.maxRssKb)}, verify ${g(a.verify.maxRssKb, b.verify.maxRssKb)}, index ${g(a.index.maxRssKb, b.index.maxRssKb)}   (goal: flat)`);
      if (levels.length >= 3) {
        const c = levels[levels.length - 2]!;
        L.push(`              ${fmt(c.txs)} → ${fmt(b.txs)} txs (×${(b.txs / c.txs).toFixed(1)}): sync ${g(c.sync.maxRssKb, b.sync.maxRssKb)}, verify ${g(c.verify.maxRssKb, b.verify.maxRssKb)}, index ${g(c.index.maxRssKb, b.index.maxRssKb)}   (bounded caches filled: what is left of the growth)`);
      }
    } else {
      L.push(`  RSS growth  run with --txs ≥ ${fmt(2 * SMALL)} to compare with the ${fmt(SMALL)} level`);
    }
    process.stdout.write(`${L.join('\n')}\n`);
    if (args.json) {
      writeFileSync(args.json, JSON.stringify({ command, date: new Date().toISOString(), threads: THREADS, chain, levels, raw: { raw1, raw2 }, bare: { bare1, bare2 }, ratios: { verify: verifyRatio, sync: syncRatio } }, null, 2));
    }
  } finally {
    await net.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
