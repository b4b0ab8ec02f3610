import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { AppHasher, appHashOf, keyPath, leafHash } from '../apphash';
import { keyFromSeed } from '../client/keys';
import { canonicalString, type Json } from '../encoding/canonical';
import { T0, TestChain } from '../harness';
import { LedgerMachine, type BlockInput } from '../machine';
import { BucketedCommitment } from './bucketed';
import { bucketRoot, MemoryBucketStore } from './buckets';
import { MapState, type StateWrite } from './committed';
import { bytesToWords, EMPTY_ROOT, referenceRoot } from './merkle';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const native = (d: Uint8Array | string) => new Uint8Array(createHash('sha256').update(d).digest());

/** xorshift32: a seeded PRNG for test data only. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

/** §7.2 by the definition (referenceRoot over every leaf), independently of appHashOf. */
function reference(live: Map<string, Json>): string {
  return hex(referenceRoot([...live].map(([k, v]) => ({ path: keyPath(k), hash: leafHash(keyPath(k), v) }))));
}

describe('bucketed commitment (PROTOCOL §7.2)', () => {
  for (const [bits, extra] of [[1, 0], [2, 0], [4, 3], [8, 0], [16, 3]] as const) {
    it(`B = ${bits}: the root of AppHasher and of the definition through inserts, updates, deletes, commits and discards`, () => {
      const rnd = prng(11 * bits + extra);
      const c = new BucketedCommitment(new MemoryBucketStore(bits, extra), rnd() % 2 ? native : undefined);
      const committed = new Map<string, Json>();
      let live = new Map<string, Json>();
      let hasher = new AppHasher();
      expect(hex(c.root())).toBe(hex(EMPTY_ROOT));
      for (let round = 0; round < 60; round++) {
        const n = round < 5 ? 1 + (rnd() % 3) : rnd() % 120;
        for (let i = 0; i < n; i++) {
          const k = rnd() % 11 === 0 ? `${'é'.repeat(rnd() % 80)}/${rnd() % 50}` : `k/${rnd() % (round < 30 ? 600 : 150)}`;
          const deleting = round >= 40 ? rnd() % 2 === 0 : rnd() % 6 === 0;
          const v: Json | null = deleting ? null : { n: rnd() % 1000, s: 'x'.repeat(rnd() % (rnd() % 9 === 0 ? 400 : 20)) };
          const canonical = v === null ? null : canonicalString(v);
          // Text or UTF-8 bytes: the same value hash.
          c.writeCanonical(k, canonical !== null && rnd() % 3 === 0 ? new TextEncoder().encode(canonical) : canonical);
          hasher.writeCanonical(k, canonical);
          if (v === null) live.delete(k);
          else live.set(k, v);
        }
        const root = hex(c.root());
        expect(root, `round ${round}`).toBe(hex(hasher.root()));
        expect(root).toBe(reference(live));
        expect(c.size).toBe(live.size);
        if (round % 7 === 3) {
          // A block that is not committed: back to the committed leaves.
          c.discard();
          live = new Map(committed);
          hasher = new AppHasher();
          for (const [k, v] of live) hasher.write(k, v);
          expect(hex(c.root())).toBe(hex(appHashOf(live)));
          expect(c.size).toBe(live.size);
        } else if (round % 2 === 0) {
          c.commit();
          committed.clear();
          for (const [k, v] of live) committed.set(k, v);
          expect(c.committedSize).toBe(committed.size);
        }
      }
      expect(live.size).toBeGreaterThan(0);
    });
  }

  it('a bucket root is the §7.2 root of its leaves (one leaf: its leaf hash), at every size', () => {
    const rnd = prng(5);
    const w = new Int32Array(8);
    for (let n = 1; n <= 70; n++) {
      // Paths that share their first 12 bits, as in one bucket of B = 12.
      const leaves = Array.from({ length: n }, () => {
        const path = new Uint8Array(32).map(() => rnd() & 255);
        path[0] = 0xab; path[1] = (path[1]! & 0x0f) | 0xc0;
        if (rnd() % 4 === 0) path.fill(0, 2 + (rnd() % 30)); // long shared prefixes
        return { path, hash: new Uint8Array(32).map(() => rnd() & 255) };
      }).filter((l, i, a) => a.findIndex((m) => hex(m.path) === hex(l.path)) === i)
        .sort((a, b) => (hex(a.path) < hex(b.path) ? -1 : 1));
      const words = new Int32Array(16 * leaves.length);
      leaves.forEach((l, i) => { bytesToWords(l.path, words, 16 * i); bytesToWords(l.hash, words, 16 * i + 8); });
      expect(bucketRoot(words, 0, leaves.length, 16, w, 0)).toBe(true);
      const got = Buffer.alloc(32);
      w.forEach((x, j) => got.writeInt32BE(x, 4 * j));
      expect(hex(got)).toBe(hex(referenceRoot(leaves)));
      if (leaves.length === 1) expect(hex(got)).toBe(hex(leaves[0]!.hash));
    }
    expect(bucketRoot(new Int32Array(0), 0, 0, 16, w, 0)).toBe(false);
  });

  it('rebuilt from its store (adopt), it has the same root and size; the store\'s own words ride along', () => {
    const rnd = prng(21);
    const store = new MemoryBucketStore(6, 2);
    const c = new BucketedCommitment(store);
    const live = new Map<string, Json>();
    for (let i = 0; i < 2000; i++) {
      const k = `key/${rnd() % 900}`;
      const v = { n: i };
      c.writeCanonical(k, canonicalString(v));
      live.set(k, v);
      if (i % 100 === 99) {
        for (const key of live.keys()) {
          const at = c.writeIndex(key);
          if (at >= 0) expect(c.setExtra(at, [key.length, 7])).toBe(true);
        }
        c.commit();
      }
    }
    const d = new BucketedCommitment(store);
    for (let b = 0; b < 64; b++) d.adopt(b, store.load(b));
    expect(hex(d.root())).toBe(hex(appHashOf(live)));
    expect(d.size).toBe(live.size);
    expect(hex(c.root())).toBe(hex(appHashOf(live)));
    for (let b = 0; b < 64; b++) {
      const leaves = store.load(b);
      for (let i = 0; i < leaves.length; i += 18) expect(leaves[i + 17]).toBe(7);
    }
    expect(c.writeIndex('key/1')).toBe(-1); // nothing pending
  });
});

/** A MapState that keeps a bucketed commitment, as a host with its state on disk does. */
class BucketedMapState extends MapState {
  readonly commitment = new BucketedCommitment(new MemoryBucketStore(3));
  override apply(writes: readonly StateWrite[]): void {
    for (const w of writes) if (this.commitment.writeIndex(w.key) < 0) this.commitment.writeCanonical(w.key, w.canonical);
    super.apply(writes);
    this.commitment.commit();
  }
}

const input = (h: number, txs: Uint8Array[]): BlockInput => ({ height: BigInt(h), time: { seconds: BigInt(T0 + 5 * h), nanos: 0 }, txs, proposerAddress: new Uint8Array(20) });

describe('LedgerMachine over a state with its own commitment', () => {
  it('gives the same app hashes as the in-memory trie, through a finalizeBlock without commit, a snapshot restore and open()', () => {
    const c = new TestChain();
    const nurse = c.g.members.find((m) => m.label === 'st-mary-hospital/nurse-1')!.seed;
    const clinician = c.g.members.find((m) => m.label === 'st-mary-hospital/clinician-1')!.seed;
    const pts = Array.from({ length: 8 }, (_, i) => ({ seed: c.g.patientSeed(i), pk: keyFromSeed(c.g.patientSeed(i)).pubkey }));
    const blocks: Uint8Array[][] = [pts.map((p) => c.tx('patient.register', { patient: p.pk }, clinician))];
    for (let b = 0; b < 12; b++) {
      blocks.push(pts.slice(0, 1 + (b % 8)).map((p, i) => c.tx('record.anchor', {
        patient: p.pk, resource_type: 'Observation', uri: `fhir://st-mary/${b}/${i}`, sha256: hex(native(`${b}/${i}`)),
      }, nurse)));
    }
    const g = () => JSON.parse(JSON.stringify(c.g.appState)) as unknown;
    let state!: BucketedMapState;
    const ours = LedgerMachine.fromGenesis('custos-test', g(), 1n, c.genesisValidators, { newState: () => (state = new BucketedMapState()) });
    const plain = LedgerMachine.fromGenesis('custos-test', g(), 1n, c.genesisValidators);
    expect(hex(ours.appHash)).toBe(hex(plain.appHash));
    for (const [i, txs] of blocks.entries()) {
      if (i === 3) ours.machine.finalizeBlock(input(i + 1, blocks[i + 1]!)); // not committed: rolled back
      const a = ours.machine.finalizeBlock(input(i + 1, txs)); ours.machine.commit();
      const b = plain.machine.finalizeBlock(input(i + 1, txs)); plain.machine.commit();
      expect(hex(a.appHash), `height ${i + 1}`).toBe(hex(b.appHash));
      expect(a.txResults.map((r) => r.code)).toEqual(b.txResults.map((r) => r.code));
    }
    expect(state.commitment.committedSize).toBe(state.size);
    const restored = LedgerMachine.restore(plain.machine.snapshot(), { newState: () => new BucketedMapState() });
    expect(hex(restored.info().lastBlockAppHash)).toBe(hex(plain.machine.info().lastBlockAppHash));
    expect(() => LedgerMachine.open(state, new Uint8Array(32))).toThrow(/does not match its recorded app hash/);
    expect(hex(LedgerMachine.open(state, plain.machine.info().lastBlockAppHash).info().lastBlockAppHash)).toBe(hex(plain.machine.info().lastBlockAppHash));
  });
});
