// The consent-ledger replay alone (shared/ledger LedgerMachine.finalizeBlock + commit), as the
// verifier's chain worker runs it, over a stored replica; every AppHash is compared with the
// next header's app_hash (PROTOCOL.md §7.2, §11) and a mismatch exits 1. Blocks are read and
// decoded first, and tx signatures and bound keys are checked natively up front (the pipeline's
// prepare workers do that), so the timed part is the replay alone. Variants (machine options,
// and optionally an older tree's machine via --baseline) run interleaved, --repeat times.
//   node --expose-gc --import tsx bench/replay.ts [DIR] [--repeat N] [--variants a,b] [--heights N]
//        [--baseline TREE]   TREE: an older shared/ tree, e.g. mkdir /tmp/base && git archive HEAD shared |
//                            tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
//        [--micro]           also time SHA-256 of 65- and 200-byte messages, portable vs node:crypto
//        [--cache N]         the disk variant's cache of parsed values (entries; default DiskState's)
//        [--bucket-cache N]  the disk variant's cache of AppHash buckets (bytes; default DiskState's)
// The `disk` variant keeps the committed state and its AppHash commitment on disk in a temp dir
// (a state log and a bucket file), as the verifier's chain worker does
// (electron/services/verify/disk-state.ts); its memory is heap plus array buffers. `held MiB` is
// what the machine holds (B/entry times entries): with the state on disk, a fixed budget.
import { createHash, hash as oneShot } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { toHex } from '../shared/cometbft/bytes';
import { nodeHashWords, sha256 as portable } from '../shared/cometbft/sha256';
import { decodeBlockResponse, decodeGenesis } from '../shared/cometbft/decode';
import { LedgerMachine, type BlockInput, type MachineOptions } from '../shared/ledger/machine';
import { isValidKey } from '../shared/ledger/rules/context';
import { keysValidatedBy } from '../shared/ledger/rules/keys';
import { toHexUpper } from '../shared/ledger/encoding/hex';
import { decodeForVerify } from '../shared/ledger/tx/decode';
import { openStore } from '../electron/services/store';
import { nativeSha256 } from '../electron/crypto/sha256-native';
import { NATIVE_RULES } from '../electron/services/verify/native-rules';
import { DiskState } from '../electron/services/verify/disk-state';

const DEFAULT_DIR = '.cache/bench-devnet/custos-bench/bench-work/replica-1149';

interface Block extends BlockInput { appHash: Uint8Array }
type Genesis = ReturnType<typeof decodeGenesis>;
interface Machine { finalizeBlock(b: BlockInput): { appHash: Uint8Array }; commit(): void }
type Factory = (g: Genesis, opts: MachineOptions) => { machine: Machine; appHash: Uint8Array };

function args() {
  const a = process.argv.slice(2);
  const o = { dir: DEFAULT_DIR, repeat: 2, variants: null as string[] | null, heights: Infinity, baseline: '', micro: false, cache: 0, bucketCache: 0 };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--repeat') o.repeat = Number(a[++i]);
    else if (a[i] === '--variants') o.variants = a[++i]!.split(',');
    else if (a[i] === '--heights') o.heights = Number(a[++i]);
    else if (a[i] === '--baseline') o.baseline = a[++i]!;
    else if (a[i] === '--micro') o.micro = true;
    else if (a[i] === '--cache') o.cache = Number(a[++i]);
    else if (a[i] === '--bucket-cache') o.bucketCache = Number(a[++i]);
    else o.dir = a[i]!;
  }
  return o;
}

async function load(dir: string, maxHeights: number): Promise<{ genesis: Genesis; blocks: Block[] }> {
  const store = await openStore(dir, { readOnly: true });
  try {
    const genesis = decodeGenesis(JSON.parse(Buffer.from((await store.getGenesis())!).toString('utf8')));
    const s = store.stats();
    const to = Math.min(s.completeHeight, s.lowestHeight + maxHeights - 1);
    const blocks: Block[] = [];
    for await (const r of store.iterate(s.lowestHeight, to, { kinds: ['block'] })) {
      const b = decodeBlockResponse(JSON.parse(Buffer.from(r.payloads.block!).toString('utf8'))).block;
      blocks.push({ height: b.header.height, time: b.header.time, txs: b.txs, proposerAddress: b.header.proposerAddress, appHash: b.header.appHash });
    }
    return { genesis, blocks };
  } finally {
    await store.close();
  }
}

/** What the prepare workers hand the chain worker: signature verdicts by tx id, key verdicts by key. */
function precompute(blocks: Block[]) {
  const sigs = new Map<string, boolean>();
  const keys = new Map<string, boolean>();
  const strict = NATIVE_RULES['ledger-tx'];
  for (const b of blocks) {
    for (const bytes of b.txs) {
      let d;
      try {
        d = decodeForVerify(bytes);
      } catch {
        continue; // refused by decoding: the machine never asks
      }
      const { tx, signBytes } = d;
      sigs.set(toHexUpper(nativeSha256(bytes)), strict.verify(Buffer.from(tx.sig, 'hex'), signBytes, Buffer.from(tx.signer, 'hex')));
      for (const k of keysValidatedBy(tx)) if (!keys.has(k)) keys.set(k, isValidKey(k));
    }
  }
  return { sigs, keys };
}
type Pre = ReturnType<typeof precompute>;

const ours: Factory = (g, opts) => LedgerMachine.fromGenesis(g.chainId, g.appState, initialHeight(g), validators(g), opts);
const initialHeight = (g: Genesis): bigint => (g.initialHeight === 0n ? 1n : g.initialHeight);
const validators = (g: Genesis) => g.validators.map((v) => ({ pubKeyType: 'ed25519' as const, pubKey: v.pubKey, power: v.power }));

/** name → machine and options. `sha256` native: what the chain worker passes (electron/crypto/sha256-native.ts). */
function variants(base: Factory | null, cache: number, bucketCache: number): Record<string, { make: Factory; opts: (p: Pre) => MachineOptions }> {
  const sig = (p: Pre) => ({ txVerdict: (id: string) => p.sigs.get(id) });
  const disk = (): MachineOptions['newState'] => () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-replay-'));
    const s = DiskState.create(join(dir, 'checkpoint'), {
      sha256: nativeSha256, ...(cache ? { cacheEntries: cache } : {}), ...(bucketCache ? { bucketCacheBytes: bucketCache } : {}),
    });
    disks.push({ dir, s });
    return s;
  };
  const v: Record<string, { make: Factory; opts: (p: Pre) => MachineOptions }> = {
    portable: { make: ours, opts: (p) => sig(p) },
    native: { make: ours, opts: (p) => ({ ...sig(p), sha256: nativeSha256 }) },
    'native+keys': { make: ours, opts: (p) => ({ ...sig(p), sha256: nativeSha256, keyCheck: (k) => p.keys.get(k) }) },
    disk: { make: ours, opts: (p) => ({ ...sig(p), sha256: nativeSha256, keyCheck: (k) => p.keys.get(k), newState: disk() }) },
  };
  if (base) {
    v['base/portable'] = { make: base, opts: (p) => sig(p) };
    v['base/native'] = { make: base, opts: (p) => ({ ...sig(p), sha256: nativeSha256 }) };
  }
  return v;
}

/** The disk variant's states, closed and removed after each run. */
const disks: { dir: string; s: DiskState }[] = [];

/** Closes and removes the disk variant's state, if any; its cache figures. */
function closeDisk(): string {
  const d = disks.pop();
  if (!d) return '';
  d.s.close(null);
  rmSync(d.dir, { recursive: true, force: true });
  const b = d.s.bucketStats;
  return `  values: cache hits ${d.s.stats.hits}, reads ${d.s.stats.reads}; buckets: cache hits ${b.hits}, reads ${b.reads}; compactions ${d.s.stats.compactions}`;
}

const gc = (globalThis as { gc?: () => void }).gc;
/** Heap and array buffers (the trie and the disk index are typed arrays). */
const heap = (): number => {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** GC pauses (start, duration) on this thread; delivered asynchronously, so read after a tick. */
const pauses: [number, number][] = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) pauses.push([e.startTime, e.duration]); }).observe({ entryTypes: ['gc'] });
async function gcSecondsIn(from: number, to: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  return pauses.reduce((s, [t, d]) => (t >= from && t < to ? s + d : s), 0) / 1000;
}

function replay(genesis: Genesis, blocks: Block[], make: Factory, opts: MachineOptions) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { machine, appHash } = make(genesis, opts);
  let expected = appHash;
  let txs = 0;
  for (const b of blocks) {
    if (toHex(b.appHash) !== toHex(expected)) {
      console.error(`APP HASH MISMATCH at height ${b.height}: header app_hash ${toHex(b.appHash)}, replay gave ${toHex(expected)}`);
      process.exit(1);
    }
    expected = machine.finalizeBlock(b).appHash;
    machine.commit();
    txs += b.txs.length;
  }
  const t1 = performance.now();
  const c = process.cpuUsage(cpu0);
  const m = machine as unknown as { stateSize?: number; committed?: Map<string, unknown> };
  return { seconds: (t1 - t0) / 1000, cpu: (c.user + c.system) / 1e6, txs, entries: m.stateSize ?? m.committed!.size, t0, t1, machine: machine as Machine | null };
}

function micro(): void {
  const time = (label: string, fn: () => void): void => {
    for (let i = 0; i < 20_000; i++) fn();
    const c0 = process.cpuUsage();
    const n = 200_000;
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    console.log(`  ${label.padEnd(46)} ${(((c.user + c.system) * 1000) / n).toFixed(0).padStart(6)} ns`);
  };
  const words = new Int32Array(24);
  const m65 = new Uint8Array(65).fill(7), m200 = new Uint8Array(200).fill(5);
  console.log('SHA-256 per call (cpu):');
  time('65 B  portable nodeHashWords (the trie)', () => nodeHashWords(1, words, 0, words, 8, words, 16));
  time('65 B  portable sha256', () => portable(m65));
  time('65 B  node:crypto createHash', () => createHash('sha256').update(m65).digest());
  time('65 B  node:crypto hash (one-shot)', () => oneShot('sha256', m65, 'buffer'));
  time('200 B portable sha256', () => portable(m200));
  time('200 B node:crypto createHash', () => createHash('sha256').update(m200).digest());
  time('200 B node:crypto hash (one-shot)', () => oneShot('sha256', m200, 'buffer'));
}

async function main(): Promise<void> {
  const o = args();
  if (o.micro) micro();
  let base: Factory | null = null;
  if (o.baseline) {
    const mod = (await import(pathToFileURL(resolve(o.baseline, 'shared/ledger/machine.ts')).href)) as { LedgerMachine: typeof LedgerMachine };
    base = (g, opts) => mod.LedgerMachine.fromGenesis(g.chainId, g.appState, initialHeight(g), validators(g), opts);
  }
  const all = variants(base, o.cache, o.bucketCache);
  const names = o.variants ?? Object.keys(all);
  for (const n of names) if (!all[n]) throw new Error(`unknown variant ${n} (known: ${Object.keys(all).join(', ')})`);
  let t = performance.now();
  const { genesis, blocks } = await load(o.dir, o.heights);
  const nTx = blocks.reduce((s, b) => s + b.txs.length, 0);
  console.log(`${o.dir}: ${blocks.length} blocks, ${nTx} txs; read and decoded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const pre = precompute(blocks);
  console.log(`signatures and keys checked up front in ${((performance.now() - t) / 1000).toFixed(1)} s (${pre.sigs.size} sigs, ${pre.keys.size} keys)`);
  if (!gc) console.log('(run with node --expose-gc for heap figures)');
  console.log(`AppHash checked against all ${blocks.length} headers (InitChain's, then each block's in the next header; the last block's needs one more).`);
  console.log('cpu: this process, all threads (GC helpers included); gc: main-thread GC pauses; B/entry: heap and array buffers held by the machine per state entry.');
  console.log(`${'variant'.padEnd(16)} ${'wall s'.padStart(7)} ${'cpu s'.padStart(7)} ${'gc s'.padStart(6)} ${'txs/s'.padStart(8)} ${'heap MiB'.padStart(9)} ${'held MiB'.padStart(9)} ${'B/entry'.padStart(8)} entries`);
  for (let r = 0; r < o.repeat; r++) {
    for (const n of names) {
      const res = replay(genesis, blocks, all[n]!.make, all[n]!.opts(pre));
      const gcS = await gcSecondsIn(res.t0, res.t1);
      // What the machine holds: the heap with it, less the heap without it.
      const withIt = gc ? heap() : NaN;
      res.machine = null;
      const note = closeDisk();
      const held = withIt - (gc ? heap() : NaN);
      const perEntry = held / res.entries;
      console.log(`${n.padEnd(16)} ${res.seconds.toFixed(2).padStart(7)} ${res.cpu.toFixed(2).padStart(7)} ${gcS.toFixed(2).padStart(6)} ${Math.round(res.txs / res.seconds).toString().padStart(8)} ${(withIt / 2 ** 20).toFixed(1).padStart(9)} ${(held / 2 ** 20).toFixed(1).padStart(9)} ${Math.round(perEntry).toString().padStart(8)} ${res.entries}${note}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
