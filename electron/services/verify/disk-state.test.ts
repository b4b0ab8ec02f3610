import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFromSeed } from '../../../shared/ledger/client/keys';
import { canonicalString, type Json } from '../../../shared/ledger/encoding/canonical';
import { T0, TestChain } from '../../../shared/ledger/harness';
import { LedgerMachine, type BlockInput } from '../../../shared/ledger/machine';
import { MapState, type CommittedState, type StateWrite } from '../../../shared/ledger/state/committed';
import { DiskState } from './disk-state';
import { KeyIndex } from './key-index';
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

describe('DiskState: the committed state in a state log', () => {
  it('reads and writes as a Map does, through flushes, evictions, index growth and compactions', () => {
    const disk = DiskState.create(cpPath(), { cacheEntries: 8, bufferBytes: 512, compactMinBytes: 1 });
    const ref = new MapState();
    for (const [i, w] of blocks(1, 300).entries()) {
      disk.apply(w);
      ref.apply(w);
      if (i % 50 === 0) expectSame(disk, ref, probes);
    }
    expectSame(disk, ref, probes);
    expect(disk.stats.compactions).toBeGreaterThan(0);
    expect(disk.stats.reads).toBeGreaterThan(0);
    disk.close(null);
  });

  it('tells keys apart whose hashes collide, by the key in the record', () => {
    const disk = DiskState.create(cpPath(), { cacheEntries: 4 });
    (disk as unknown as { index: KeyIndex }).index.hash = () => 7; // every key collides
    const ref = new MapState();
    for (const w of blocks(2, 30)) { disk.apply(w); ref.apply(w); }
    expectSame(disk, ref, probes);
    disk.close(null);
  });

  it('resumes exactly the marked state (appends after the mark are not in it) into a new log, leaving the old one as it was', () => {
    const path = cpPath();
    const all = blocks(3, 80);
    const disk = DiskState.create(path, { cacheEntries: 16, bufferBytes: 1024 });
    const ref = new MapState();
    for (const w of all.slice(0, 50)) { disk.apply(w); ref.apply(w); }
    const mark = disk.mark();
    const marked = new MapState(new Map(ref.map));
    // Later blocks reach the file (a crash between them and the next checkpoint).
    for (const w of all.slice(50)) disk.apply(w);
    disk.mark();
    const logFile = join(tmp, mark.file);
    const before = readFileSync(logFile);
    const resumed = DiskState.resume(path, logFile, mark, { cacheEntries: 16 });
    expect(resumed.file).not.toBe(mark.file);
    expectSame(resumed, marked, probes);
    expect(readFileSync(logFile).equals(before)).toBe(true);
    // It goes on from there like the reference.
    for (const w of all.slice(50)) { resumed.apply(w); marked.apply(w); }
    expectSame(resumed, marked, probes);
    // close(keep) deletes the logs it wrote except the one kept.
    const own = resumed.file;
    resumed.close(null);
    disk.close(mark.file);
    expect(readdirSync(tmp).filter((f) => f.startsWith(path.split('/').at(-1)!))).toEqual([mark.file]);
    expect(readdirSync(tmp)).not.toContain(own);
  });

  it('refuses a log that is altered, cut short or not a state log', () => {
    const path = cpPath();
    const disk = DiskState.create(path);
    for (const w of blocks(4, 20)) disk.apply(w);
    const mark = disk.mark();
    disk.close();
    const file = join(tmp, mark.file);
    const good = readFileSync(file);
    const altered = Buffer.from(good);
    altered[good.length >> 1]! ^= 1;
    writeFileSync(file, altered);
    expect(() => DiskState.resume(path, file, mark)).toThrow(/SHA-256 differs|runs past/);
    writeFileSync(file, good);
    truncateSync(file, mark.length - 1);
    expect(() => DiskState.resume(path, file, mark)).toThrow(/shorter than the checkpoint says/);
    writeFileSync(file, Buffer.concat([Buffer.from('not a log at all\n'), good.subarray(17)]));
    expect(() => DiskState.resume(path, file, mark)).toThrow(/not a state log/);
    writeFileSync(file, good);
    expect(() => DiskState.resume(path, file, { ...mark, length: mark.length - 3 })).toThrow(/runs past/);
    expect(DiskState.resume(path, file, mark).size).toBeGreaterThan(0);
    // A refused resume leaves no new log behind.
    expect(readdirSync(tmp).filter((f) => f.startsWith(`${path.split('/').at(-1)!}.state-`)).length).toBe(2);
  });
});

describe('KeyIndex', () => {
  it('keeps every entry through growth and deletions, and lists colliding candidates in turn', () => {
    let moved = 0;
    const idx = new KeyIndex(() => { moved++; }, 16);
    const slots = new Map<number, number>();
    for (let i = 0; i < 1000; i++) slots.set(i, idx.insert(i % 3, i * 10, i + 1));
    expect(moved).toBeGreaterThan(0);
    expect(idx.size).toBe(1000);
    const seen: number[] = [];
    for (let s = idx.candidate(1); s >= 0; s = idx.candidate(1, s)) seen.push(idx.offset(s));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 333 }, (_, i) => (3 * i + 1) * 10));
    const order = idx.slotsByOffset();
    expect(Array.from(order, (s) => idx.offset(s))).toEqual(Array.from({ length: 1000 }, (_, i) => i * 10));
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

    // A log that is self-consistent (its mark re-made) but not the state of that app hash is refused.
    const file = join(tmp, mark.file);
    const bytes = readFileSync(file).subarray(0, mark.length);
    // A digit of the last block's meta height: a live record (nothing after it supersedes it).
    const at = bytes.lastIndexOf('"height":') + 9;
    bytes[at] = bytes[at] === 0x39 ? 0x38 : bytes[at]! + 1;
    writeFileSync(file, bytes);
    const forged = { ...mark, sha256: createHash('sha256').update(bytes).digest('hex') };
    expect(() => LedgerMachine.open(DiskState.resume(path, file, forged), appHash)).toThrow(/does not match its recorded app hash/);
    expect(() => LedgerMachine.open(DiskState.resume(path, file, mark), appHash)).toThrow(/SHA-256 differs/);
  });
});
