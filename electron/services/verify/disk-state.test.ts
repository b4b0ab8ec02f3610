import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFromSeed } from '../../../shared/ledger/client/keys';
import { canonicalString, type Json } from '../../../shared/ledger/encoding/canonical';
import { T0, TestChain } from '../../../shared/ledger/harness';
import { LedgerMachine, type BlockInput } from '../../../shared/ledger/machine';
import { MapState, type CommittedState, type StateWrite } from '../../../shared/ledger/state/committed';
import { appHashOf } from '../../../shared/ledger/apphash';
import { BucketCache } from './bucket-cache';
import { DiskState } from './disk-state';
import type { LogMark } from './state-log';

let tmp: string;
let n = 0;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'custos-disk-state-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
/** A fresh checkpoint path (its logs go beside it). */
const cpPath = (): string => join(tmp, `cp-${++n}.bin`);

/** xorshift32: a seeded PRNG for test data only. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** Random blocks of writes over a few hundred keys: new values (some non-ASCII, some large) and deletions. */
function blocks(seed: number, count: number): StateWrite[][] {
  const rnd = prng(seed);
  const out: StateWrite[][] = [];
  for (let b = 0; b < count; b++) {
    const writes = new Map<string, StateWrite>();
    for (let i = 0; i < 1 + (rnd() % 40); i++) {
      const key = rnd() % 9 === 0 ? `é/${rnd() % 50}` : `k/${rnd() % 400}`;
      if (rnd() % 7 === 0) { writes.set(key, { key, value: null, canonical: null }); continue; }
      const value: Json = { n: rnd() % 1000, s: rnd() % 5 === 0 ? 'Zürich \u{1F3E5} – Ω' : 'x'.repeat(rnd() % (rnd() % 10 === 0 ? 3000 : 60)) };
      writes.set(key, { key, value, canonical: canonicalString(value) });
    }
    out.push([...writes.values()]);
  }
  return out;
}

/** Every entry of a state, as canonical text. */
function contents(s: CommittedState): Map<string, string> {
  const m = new Map<string, string>();
  s.forEachCanonical((k, c) => m.set(k, typeof c === 'string' ? c : Buffer.from(c).toString('utf8')));
  return m;
}

function expectSame(disk: CommittedState, ref: MapState, probe: string[]): void {
  expect(disk.size).toBe(ref.size);
  expect(contents(disk)).toEqual(contents(ref));
  expect([...disk.keys()].sort()).toEqual([...ref.keys()].sort());
  for (const k of probe) {
    expect(disk.get(k)).toEqual(ref.get(k));
    expect(disk.canonical(k)).toBe(ref.canonical(k));
  }
}

const probes = [...Array.from({ length: 400 }, (_, i) => `k/${i}`), ...Array.from({ length: 50 }, (_, i) => `é/${i}`)];

/** The bucket file of a mark's generation. */
const bucketsOf = (mark: LogMark): string => mark.file.replace(/\.state-/, '.buckets-');
/** The state's files of a checkpoint path (logs and bucket files). */
const filesOf = (path: string, kind: 'state' | 'buckets' = 'state'): string[] => readdirSync(tmp).filter((f) => f.startsWith(`${path.split('/').at(-1)!}.${kind}-`));
/** Its entries as [key, value] for appHashOf. */
const entries = (ref: MapState): [string, Json][] => [...ref.map];
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DiskState: the committed state in a state log and a bucket file', () => {
  for (const bits of [3, 16]) {
    it(`reads and writes as a Map does and commits to the same root, through flushes, evictions and compactions (B = ${bits})`, () => {
      const disk = DiskState.create(cpPath(), { cacheEntries: 8, bufferBytes: 512, compactMinBytes: 1, bucketBits: bits, bucketCacheBytes: 2048 });
      const ref = new MapState();
      for (const [i, w] of blocks(1, 300).entries()) {
        disk.apply(w);
        ref.apply(w);
        if (i % 50 === 0) {
          expectSame(disk, ref, probes);
          expect(hexOf(disk.commitment.root())).toBe(hexOf(appHashOf(entries(ref))));
        }
      }
      expectSame(disk, ref, probes);
      expect(hexOf(disk.commitment.root())).toBe(hexOf(appHashOf(entries(ref))));
      expect(disk.stats.compactions).toBeGreaterThan(0);
      expect(disk.stats.reads).toBeGreaterThan(0);
      expect(disk.bucketStats.reads).toBeGreaterThan(0);
      disk.close(null);
    });
  }

  it('checks the key of the record a leaf points at', () => {
    const disk = DiskState.create(cpPath(), { cacheEntries: 1, bucketBits: 2 });
    for (const w of blocks(2, 30)) disk.apply(w);
    // Every leaf of bucket 0 now points at the first leaf's record.
    const leaves = (disk as unknown as { store: { load(b: number): Int32Array } }).store.load(0);
    expect(leaves.length).toBeGreaterThan(19);
    for (let i = 19; i < leaves.length; i += 19) leaves.copyWithin(i + 16, 16, 19);
    expect(() => { for (const k of probes) disk.get(k); }).toThrow(/state log .* failed to read: the record at [0-9]+ is another key's/);
    disk.close(null);
  });

  it('resumes exactly the marked state (appends after the mark are not in it) into a new generation, leaving the old one as it was', () => {
    const path = cpPath();
    const all = blocks(3, 80);
    const disk = DiskState.create(path, { cacheEntries: 16, bufferBytes: 1024, bucketBits: 4, compactMinBytes: 1 });
    const ref = new MapState();
    for (const w of all.slice(0, 50)) { disk.apply(w); ref.apply(w); }
    expect(disk.stats.compactions).toBeGreaterThan(0); // the mark names a compacted generation
    const mark = disk.mark();
    const marked = new MapState(new Map(ref.map));
    // Later blocks reach the files (a crash between them and the next checkpoint).
    for (const w of all.slice(50)) disk.apply(w);
    disk.mark();
    const logFile = join(tmp, mark.file);
    const before = [readFileSync(logFile), readFileSync(join(tmp, bucketsOf(mark)))];
    const resumed = DiskState.resume(path, logFile, mark, { cacheEntries: 16 });
    expect(resumed.file).not.toBe(mark.file);
    expectSame(resumed, marked, probes);
    expect(hexOf(resumed.commitment.root())).toBe(hexOf(appHashOf(entries(marked))));
    expect(readFileSync(logFile).equals(before[0]!)).toBe(true);
    expect(readFileSync(join(tmp, bucketsOf(mark))).equals(before[1]!)).toBe(true);
    // It goes on from there like the reference.
    for (const w of all.slice(50)) { resumed.apply(w); marked.apply(w); }
    expectSame(resumed, marked, probes);
    expect(hexOf(resumed.commitment.root())).toBe(hexOf(appHashOf(entries(marked))));
    // close(keep) deletes the files it wrote except the log kept and its bucket file.
    const own = resumed.file;
    resumed.close(null);
    disk.close(mark.file);
    expect(filesOf(path)).toEqual([mark.file]);
    expect(filesOf(path, 'buckets')).toEqual([bucketsOf(mark)]);
    expect(readdirSync(tmp)).not.toContain(own);
  });

  it('refuses files that are altered, cut short or not its own, and a state whose values are not its leaves\' (its marks re-made)', () => {
    const path = cpPath();
    const disk = DiskState.create(path, { bucketBits: 5 });
    for (const w of blocks(4, 20)) disk.apply(w);
    const mark = disk.mark();
    disk.close();
    const file = join(tmp, mark.file);
    const bfile = join(tmp, bucketsOf(mark));
    const good = readFileSync(file);
    const goodBuckets = readFileSync(bfile);
    const resume = (m: LogMark = mark) => DiskState.resume(path, file, m);
    const altered = Buffer.from(good);
    altered[good.length >> 1]! ^= 1;
    writeFileSync(file, altered);
    expect(() => resume()).toThrow(/SHA-256 differs|runs past/);
    writeFileSync(file, good);
    truncateSync(file, mark.length - 1);
    expect(() => resume()).toThrow(/shorter than the checkpoint says/);
    writeFileSync(file, Buffer.concat([Buffer.from('not a log at all\n'), good.subarray(17)]));
    expect(() => resume()).toThrow(/not a state log/);
    writeFileSync(file, good);
    expect(() => resume({ ...mark, length: mark.length - 3 })).toThrow(/runs past/);
    // The bucket file: altered, cut short, absent, or from an older version (none named).
    const b = Buffer.from(goodBuckets);
    b[b.length - 5]! ^= 1;
    writeFileSync(bfile, b);
    expect(() => resume()).toThrow(/buckets-[0-9]+ is not the one the checkpoint names \(SHA-256 differs\)/);
    writeFileSync(bfile, goodBuckets.subarray(0, goodBuckets.length - 1));
    expect(() => resume()).toThrow(/buckets-[0-9]+ is shorter than the checkpoint says/);
    expect(() => resume({ ...mark, buckets: { ...mark.buckets!, length: mark.buckets!.length - 4 } })).toThrow(/runs past/);
    unlinkSync(bfile);
    expect(() => resume()).toThrow(/ENOENT/);
    writeFileSync(bfile, goodBuckets);
    expect(() => resume({ file: mark.file, length: mark.length, sha256: mark.sha256 })).toThrow(/has no bucket file \(an older version's state log\)/);
    // A leaf moved to another bucket's place, or pointing at another key's value, with both marks re-made.
    const sha = (x: Buffer): string => createHash('sha256').update(x).digest('hex');
    const forge = (edit: (leaves: Int32Array) => void, want: RegExp) => {
      const x = Buffer.from(goodBuckets);
      // The last record with leaves (records after the 24-byte header: u32 bucket, u32 leaves, the leaves).
      let last = -1;
      for (let at = 24; at < x.length; at += 8 + 76 * x.readUInt32LE(at + 4)) if (x.readUInt32LE(at + 4)) last = at;
      const n = x.readUInt32LE(last + 4);
      const leaves = new Int32Array(19 * n);
      new Uint8Array(leaves.buffer).set(x.subarray(last + 8, last + 8 + 76 * n));
      edit(leaves);
      x.set(new Uint8Array(leaves.buffer), last + 8);
      writeFileSync(bfile, x);
      expect(() => resume({ ...mark, buckets: { length: mark.buckets!.length, sha256: sha(x) } })).toThrow(want);
    };
    forge((l) => { l[0] = l[0]! ^ (1 << 31); }, /bucket [0-9]+ holds a leaf of another bucket/);
    forge((l) => { l[16] = l[16]! + 1; }, /a value record's key is not its leaf's|a leaf points at no value record|runs past/);
    forge((l) => { l[10] = l[10]! ^ 1; }, /a value does not hash to its leaf/);
    writeFileSync(bfile, goodBuckets);
    expect(resume().size).toBeGreaterThan(0);
    // A refused resume leaves no new files behind.
    expect(filesOf(path).length).toBe(2);
    expect(filesOf(path, 'buckets').length).toBe(2);
  });
});

describe('BucketCache', () => {
  it('holds what fits, forgets a segment at a time, never answers with another bucket\'s words', () => {
    const c = new BucketCache(8, 4 * 64 * 4, 4); // 4 segments of 64 words
    const words = (b: number, n: number) => Int32Array.from({ length: n }, (_, i) => b * 1000 + i);
    for (let round = 0; round < 3; round++) {
      for (let b = 0; b < 256; b++) {
        const n = 1 + ((b * 7 + round) % 40);
        c.put(b, words(b, n));
        expect(Array.from(c.get(b)!)).toEqual(Array.from(words(b, n)));
        for (let k = Math.max(0, b - 12); k <= b; k++) {
          const got = c.get(k);
          if (got) expect(got[0]).toBe(k * 1000);
        }
      }
    }
    expect(c.get(255)).not.toBeNull();
    c.put(1, words(1, 63)); // larger than a segment
    expect(c.get(1)).toBeNull();
    c.clear();
    expect(c.get(255)).toBeNull();
  });
});

/** A workload for the machine: patients, records, consents, accesses. */
function ledgerBlocks(c: TestChain, count: number): Uint8Array[][] {
  const M = (label: string) => c.g.members.find((m) => m.label === label)!;
  const nurse = M('st-mary-hospital/nurse-1').seed;
  const clinician = M('st-mary-hospital/clinician-1').seed;
  const pts = Array.from({ length: 12 }, (_, i) => ({ seed: c.g.patientSeed(i), pk: keyFromSeed(c.g.patientSeed(i)).pubkey }));
  const out: Uint8Array[][] = [pts.map((p) => c.tx('patient.register', { patient: p.pk }, clinician))];
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  for (let b = 0; b < count; b++) {
    out.push(pts.slice(0, 1 + (b % pts.length)).map((p, i) => c.tx('record.anchor', {
      patient: p.pk, resource_type: 'Observation', uri: `fhir://st-mary/${b}/${i}`, sha256: sha(`${b}/${i}`),
    }, nurse)));
    out.push(pts.slice(0, 3).map((p) => c.tx('consent.grant', {
      patient: p.pk, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'], period: { start: T0, end: T0 + 86400 * (b + 1) },
    }, p.seed)));
  }
  return out;
}

const input = (h: number, txs: Uint8Array[]): BlockInput => ({ height: BigInt(h), time: { seconds: BigInt(T0 + 5 * h), nanos: 0 }, txs, proposerAddress: new Uint8Array(20) });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('LedgerMachine over a DiskState', () => {
  it('gives the same app hashes, results and snapshot bytes as over a Map, and resumes from a mark checked against its app hash', () => {
    const c = new TestChain();
    const all = ledgerBlocks(c, 30);
    const g = () => JSON.parse(JSON.stringify(c.g.appState)) as unknown;
    const path = cpPath();
    let disk!: DiskState;
    const onDisk = LedgerMachine.fromGenesis('custos-test', g(), 1n, c.genesisValidators, { newState: () => (disk = DiskState.create(path, { cacheEntries: 32, bufferBytes: 4096 })) }).machine;
    const inMemory = LedgerMachine.fromGenesis('custos-test', g(), 1n, c.genesisValidators).machine;
    const half = all.length >> 1;
    let mark!: LogMark;
    let appHash!: Uint8Array;
    for (const [i, txs] of all.entries()) {
      if (i === 5) onDisk.finalizeBlock(input(i + 1, all[i + 1]!)); // not committed: dropped by the next one
      const a = onDisk.finalizeBlock(input(i + 1, txs)); onDisk.commit();
      const b = inMemory.finalizeBlock(input(i + 1, txs)); inMemory.commit();
      expect(hex(a.appHash)).toBe(hex(b.appHash));
      expect(a.txResults.map((r) => [r.code, r.log, hex(r.data), JSON.stringify(r.events)])).toEqual(b.txResults.map((r) => [r.code, r.log, hex(r.data), JSON.stringify(r.events)]));
      if (i + 1 === half) { mark = disk.mark(); appHash = a.appHash; }
    }
    expect(all.flat().length).toBeGreaterThan(100);
    expect(hex(onDisk.snapshot())).toBe(hex(inMemory.snapshot()));
    expect(onDisk.query('/orgs', new Uint8Array(0)).value).toEqual(inMemory.query('/orgs', new Uint8Array(0)).value);
    // A snapshot (an older checkpoint's) restores into a DiskState as well.
    const fromSnapshot = LedgerMachine.restore(inMemory.snapshot(), { newState: () => DiskState.create(cpPath()) });
    expect(hex(fromSnapshot.snapshot())).toBe(hex(inMemory.snapshot()));

    // Resumed at the mark, checked against the app hash of that height, then the same again.
    const resumed = LedgerMachine.open(DiskState.resume(path, join(tmp, mark.file), mark), appHash);
    for (const [i, txs] of all.slice(half).entries()) { resumed.finalizeBlock(input(half + i + 1, txs)); resumed.commit(); }
    expect(hex(resumed.info().lastBlockAppHash)).toBe(hex(inMemory.info().lastBlockAppHash));
    expect(hex(resumed.snapshot())).toBe(hex(inMemory.snapshot()));

    // A state that is whole (its values are its leaves') but not the one of that app hash is refused.
    expect(() => LedgerMachine.open(DiskState.resume(path, join(tmp, mark.file), mark), inMemory.info().lastBlockAppHash)).toThrow(/does not match its recorded app hash/);
    // A log that is self-consistent (its mark re-made) but whose value is not its leaf's is refused.
    const file = join(tmp, mark.file);
    const bytes = readFileSync(file).subarray(0, mark.length);
    // A digit of the last block's meta height: a live record (nothing after it supersedes it).
    const at = bytes.lastIndexOf('"height":') + 9;
    bytes[at] = bytes[at] === 0x39 ? 0x38 : bytes[at]! + 1;
    writeFileSync(file, bytes);
    const forged = { ...mark, sha256: createHash('sha256').update(bytes).digest('hex') };
    expect(() => LedgerMachine.open(DiskState.resume(path, file, forged), appHash)).toThrow(/a value does not hash to its leaf/);
    expect(() => LedgerMachine.open(DiskState.resume(path, file, mark), appHash)).toThrow(/SHA-256 differs/);
  });
});
