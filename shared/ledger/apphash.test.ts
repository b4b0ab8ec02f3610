import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { keyFromSeed, txId } from './client/index';
import { appHashOf, keyPath, leafHash } from './apphash';
import { canonicalBytes, parseCanonical, type Json } from './encoding/canonical';
import { T0, TestChain } from './harness';
import { LedgerMachine, type BlockInput } from './machine';
import { nodeHash, portableSha256, type Sha256 } from './hash';
import { Code } from './codes';
import { EMPTY_ROOT, MerkleTrie, referenceRoot } from './state/merkle';
import type { DemoGenesis } from './genesis';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** xorshift32: a seeded PRNG for test data only. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

describe('SHA-256 implementations (§2.5, §7.2)', () => {
  const native = (d: Uint8Array | string) => new Uint8Array(createHash('sha256').update(d).digest());
  it('nodeHash is SHA-256(tag ‖ a ‖ b)', () => {
    const rnd = prng(99);
    for (let i = 0; i < 2000; i++) {
      const a = new Uint8Array(32).map(() => rnd() & 255), b = new Uint8Array(32).map(() => rnd() & 255);
      const tag = i < 4 ? [0, 1, 0x80, 0xff][i]! : rnd() & 1;
      expect(hex(nodeHash(tag, a, b))).toBe(hex(native(Buffer.concat([Buffer.from([tag]), a, b]))));
    }
    expect(() => nodeHash(0, new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
  });
  it('the portable hash is SHA-256 of bytes, or of a string\'s UTF-8, at every length', () => {
    const rnd = prng(5);
    for (let n = 0; n <= 300; n++) {
      const b = new Uint8Array(n).map(() => rnd() & 255);
      expect(hex(portableSha256(b)), `bytes ${n}`).toBe(hex(native(b)));
      const ascii = Array.from({ length: n }, () => String.fromCharCode(rnd() & 127)).join('');
      expect(hex(portableSha256(ascii)), `ascii ${n}`).toBe(hex(native(ascii)));
    }
    for (const s of ['é', 'é€\ud83d\ude00', 'x'.repeat(63) + '€', `${'ab'.repeat(5000)}\u07ff\uffff`]) {
      expect(hex(portableSha256(s))).toBe(hex(native(s)));
    }
    const big = new Uint8Array(200_003).map((_, i) => (i * 31) & 255);
    expect(hex(portableSha256(big))).toBe(hex(native(big)));
    expect(hex(portableSha256(big.subarray(7, 1000)))).toBe(hex(native(big.subarray(7, 1000))));
    expect(() => portableSha256('a\ud800')).toThrow(/lone surrogate/);
  });
});

describe('Merkle trie (PROTOCOL §7.2)', () => {
  it('empty root, single leaf, two leaves follow the definition', () => {
    const t = new MerkleTrie();
    expect(hex(t.rootHash())).toBe(hex(EMPTY_ROOT));
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const a = keyPath('a'), b = keyPath('b');
    const la = leafHash(a, { x: 1 }), lb = leafHash(b, { y: 2 });
    const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
    expect(hex(la)).toBe(hex(sha(new Uint8Array([0]), a, sha(Buffer.from('{"x":1}')))));
    t.set(a, la);
    expect(hex(t.rootHash())).toBe(hex(la));
    t.set(b, lb);
    // The first differing bit (MSB first) decides: the leaf with a 0 there is the left child.
    let bit = 0;
    while (((a[bit >> 3]! >> (7 - (bit & 7))) & 1) === ((b[bit >> 3]! >> (7 - (bit & 7))) & 1)) bit++;
    const aLeft = ((a[bit >> 3]! >> (7 - (bit & 7))) & 1) === 0;
    expect(hex(t.rootHash())).toBe(hex(aLeft ? sha(new Uint8Array([1]), la, lb) : sha(new Uint8Array([1]), lb, la)));
    expect(hex(t.rootHash())).toBe(hex(referenceRoot([{ path: b, hash: lb }, { path: a, hash: la }])));
  });

  it('incremental updates and deletions always equal the from-scratch definition', () => {
    const rnd = prng(42);
    const t = new MerkleTrie();
    const live = new Map<string, Json>();
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50; i++) {
        const k = `k/${rnd() % 400}`;
        if (rnd() % 4 === 0) { live.delete(k); t.delete(keyPath(k)); }
        else { const v = { n: rnd() % 1000 }; live.set(k, v); t.set(keyPath(k), leafHash(keyPath(k), v)); }
      }
      expect(hex(t.rootHash())).toBe(hex(appHashOf(live)));
      expect(t.size).toBe(live.size);
    }
  });
});

/** A deterministic mixed workload: patients, records, consents, accesses (permit, deny, break-glass), amendments. */
function workload(c: TestChain, n: number, patients = Math.max(4, Math.floor(n / 10))): Uint8Array[][] {
  const g: DemoGenesis = c.g;
  const M = (label: string) => g.members.find((m) => m.label === label)!;
  const rnd = prng(7);
  const blocks: Uint8Array[][] = [];
  const clinicians = [1, 2, 3, 4].map((i) => M(`st-mary-hospital/clinician-${i}`));
  const pts = Array.from({ length: patients }, (_, i) => ({ seed: g.patientSeed(i), pk: keyFromSeed(g.patientSeed(i)).pubkey }));
  blocks.push(pts.map((p, i) => c.tx('patient.register', { patient: p.pk }, clinicians[i % 4]!.seed)));
  const recs: string[][] = pts.map(() => []);
  const anchors = pts.flatMap((p, i) => [0, 1].map((j) => {
    const bytes = c.tx('record.anchor', { patient: p.pk, resource_type: j ? 'DiagnosticReport' : 'Observation', uri: `fhir://st-mary/${i}/${j}`, sha256: createHash('sha256').update(`${i}/${j}`).digest('hex') }, M('st-mary-hospital/nurse-1').seed);
    recs[i]!.push(txId(bytes));
    return bytes;
  }));
  blocks.push(anchors);
  const consents: string[] = [];
  blocks.push(pts.map((p) => {
    const bytes = c.tx('consent.grant', { patient: p.pk, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'], period: { start: T0, end: T0 + 10 * 86400 } }, p.seed);
    consents.push(txId(bytes));
    return bytes;
  }));
  let used = pts.length * 4;
  while (used < n) {
    const blk: Uint8Array[] = [];
    for (let i = 0; i < 500 && used < n; i++, used++) {
      const pi = rnd() % pts.length;
      const who = clinicians[rnd() % 4]!;
      const kind = rnd() % 20;
      if (kind === 0) blk.push(c.tx('access.record', { org: 'st-mary-hospital', records: [recs[pi]![0]!], purpose: 'ETREAT', action: 'read', break_glass: { justification: 'emergency' } }, who.seed));
      else if (kind === 1) blk.push(c.tx('access.record', { org: 'st-mary-hospital', records: [recs[pi]![1]!], purpose: 'HRESCH', action: 'export', consent_id: consents[pi]! }, who.seed));
      else blk.push(c.tx('access.record', { org: 'st-mary-hospital', records: [...recs[pi]!].sort(), purpose: 'TREAT', action: 'read', consent_id: consents[pi]! }, who.seed));
    }
    blocks.push(blk);
  }
  return blocks;
}

function blockInput(height: number, txs: Uint8Array[]): BlockInput {
  return { height: BigInt(height), time: { seconds: BigInt(T0 + 5 * height), nanos: 0 }, txs, proposerAddress: new Uint8Array(20) };
}

describe('AppHash determinism, snapshot and restore (PROTOCOL §7, §11)', () => {
  it('same genesis + same blocks → same AppHash at every height, same snapshot bytes', () => {
    const a = new TestChain();
    const blocks = workload(a, 600);
    const b = LedgerMachine.fromGenesis('custos-test', JSON.stringify(a.g.appState), 1n, a.genesisValidators);
    expect(hex(b.appHash)).toBe(hex(a.genesisAppHash));
    blocks.forEach((txs, i) => {
      const oa = a.machine.finalizeBlock(blockInput(i + 1, txs)); a.machine.commit();
      const ob = b.machine.finalizeBlock(blockInput(i + 1, txs)); b.machine.commit();
      expect(hex(ob.appHash)).toBe(hex(oa.appHash));
      expect(ob.txResults.map((r) => [r.code, hex(r.data)])).toEqual(oa.txResults.map((r) => [r.code, hex(r.data)]));
      expect(oa.txResults.every((r) => r.code === 0)).toBe(true);
    });
    expect(hex(a.machine.snapshot())).toBe(hex(b.machine.snapshot()));
    // The incremental hash equals the from-scratch definition over the whole state.
    const state = (parseCanonical(a.machine.snapshot()) as { state: Record<string, Json> }).state;
    expect(hex(appHashOf(Object.entries(state)))).toBe(hex(a.machine.info().lastBlockAppHash));
    expect(a.machine.info().lastBlockHeight).toBe(BigInt(blocks.length));
  });

  it('tx ids from the caller (BlockInput.txHashes) give the same results, events and AppHash; a list of the wrong length is ignored', () => {
    const a = new TestChain();
    const blocks = workload(a, 300);
    const b = LedgerMachine.fromGenesis('custos-test', JSON.stringify(a.g.appState), 1n, a.genesisValidators);
    const sha = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
    blocks.forEach((txs, i) => {
      const hashes = new Uint8Array(32 * txs.length);
      txs.forEach((tx, j) => hashes.set(sha(tx), 32 * j));
      const txHashes = i === 1 ? hashes.subarray(32) : hashes; // block 2: one hash short, so hashed again
      const oa = a.machine.finalizeBlock(blockInput(i + 1, txs)); a.machine.commit();
      const ob = b.machine.finalizeBlock({ ...blockInput(i + 1, txs), txHashes }); b.machine.commit();
      expect(hex(ob.appHash)).toBe(hex(oa.appHash));
      expect(JSON.stringify(ob.txResults, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? hex(v) : v)))
        .toBe(JSON.stringify(oa.txResults, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? hex(v) : v)));
    });
    expect(hex(a.machine.snapshot())).toBe(hex(b.machine.snapshot()));
  });

  it('snapshotParts are the snapshot bytes, in parts (also with non-ASCII text split across parts)', () => {
    const a = new TestChain();
    workload(a, 300).forEach((txs, i) => { a.machine.finalizeBlock(blockInput(i + 1, txs)); a.machine.commit(); });
    const join = (parts: Uint8Array[]): string => parts.map(hex).join('');
    // The reference: canonicalBytes of the whole object (parseCanonical refuses any other bytes).
    const whole = parseCanonical(a.machine.snapshot()) as Json;
    expect(hex(a.machine.snapshot())).toBe(hex(canonicalBytes(whole)));
    expect(join(a.machine.snapshotParts())).toBe(hex(a.machine.snapshot()));
    const small = a.machine.snapshotParts(64);
    expect(small.length).toBeGreaterThan(10);
    expect(join(small)).toBe(hex(a.machine.snapshot()));
    // A state with non-ASCII text (restored from a snapshot whose app hash is recomputed).
    const root = parseCanonical(a.machine.snapshot()) as { format: string; app_hash: string; state: Record<string, Json> };
    const orgKey = Object.keys(root.state).find((k) => k.startsWith('org/'))!;
    root.state[orgKey] = { ...(root.state[orgKey] as Record<string, Json>), name: 'Universitätsspital Zürich \u{1F3E5} – Ω' };
    root.app_hash = hex(appHashOf(Object.entries(root.state)));
    const b = LedgerMachine.restore(canonicalBytes(root));
    expect(join(b.snapshotParts(7))).toBe(hex(b.snapshot()));
    expect(hex(b.snapshot())).toBe(hex(canonicalBytes(root)));
  });

  it('snapshot → restore gives the same hash and the same subsequent behaviour', () => {
    const a = new TestChain();
    const blocks = workload(a, 800);
    const half = Math.floor(blocks.length / 2);
    blocks.slice(0, half).forEach((txs, i) => { a.machine.finalizeBlock(blockInput(i + 1, txs)); a.machine.commit(); });
    const b = LedgerMachine.restore(a.machine.snapshot());
    expect(hex(b.info().lastBlockAppHash)).toBe(hex(a.machine.info().lastBlockAppHash));
    expect(b.info().lastBlockHeight).toBe(a.machine.info().lastBlockHeight);
    blocks.slice(half).forEach((txs, j) => {
      const h = half + j + 1;
      const oa = a.machine.finalizeBlock(blockInput(h, txs)); a.machine.commit();
      const ob = b.finalizeBlock(blockInput(h, txs)); b.commit();
      expect(hex(ob.appHash)).toBe(hex(oa.appHash));
      expect(ob.txResults.map((r) => r.log)).toEqual(oa.txResults.map((r) => r.log));
    });
    // Replays are refused identically after restore.
    expect(b.checkTx(blocks[1]![0]!).code).toBe(a.machine.checkTx(blocks[1]![0]!).code);
  });

  it('a host hash (native SHA-256) changes nothing: app hashes, results, events, snapshots', () => {
    const a = new TestChain();
    const blocks = workload(a, 600);
    let calls = 0;
    const sha256: Sha256 = (d) => { calls++; return new Uint8Array(createHash('sha256').update(d).digest()); };
    const b = LedgerMachine.fromGenesis('custos-test', a.g.appState, 1n, a.genesisValidators, { sha256 });
    expect(hex(b.appHash)).toBe(hex(a.genesisAppHash));
    blocks.forEach((txs, i) => {
      const oa = a.machine.finalizeBlock(blockInput(i + 1, txs)); a.machine.commit();
      const ob = b.machine.finalizeBlock(blockInput(i + 1, txs)); b.machine.commit();
      expect(JSON.stringify(ob, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? hex(v) : v)))
        .toBe(JSON.stringify(oa, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? hex(v) : v)));
    });
    expect(calls).toBeGreaterThan(600);
    expect(hex(b.machine.snapshot())).toBe(hex(a.machine.snapshot()));
    expect(hex(LedgerMachine.restore(a.machine.snapshot(), { sha256 }).info().lastBlockAppHash)).toBe(hex(a.machine.info().lastBlockAppHash));
  });

  it('txVerdict answers a signature by tx id; unknown ids go to verifySignature', () => {
    const a = new TestChain();
    const [first, second] = workload(a, 40);
    const txs = second!.slice(0, 3);
    const ids = txs.map(txId);
    const asked: string[] = [];
    let verified = 0;
    const m = LedgerMachine.fromGenesis('custos-test', a.g.appState, 1n, a.genesisValidators, {
      verifySignature: () => { verified++; return true; },
      txVerdict: (id) => { asked.push(id); return id === ids[0] ? true : id === ids[1] ? false : undefined; },
    }).machine;
    expect(m.finalizeBlock(blockInput(1, first!)).txResults.every((r) => r.code === 0)).toBe(true);
    m.commit();
    verified = 0;
    asked.length = 0;
    const out = m.finalizeBlock(blockInput(2, txs));
    expect(asked).toEqual(ids);
    expect(out.txResults.map((r) => r.code)).toEqual([Code.OK, Code.BAD_SIGNATURE, Code.OK]);
    expect(verified).toBe(1); // only the id without a verdict
  });

  it('a tampered snapshot is refused', () => {
    const a = new TestChain();
    const s = Buffer.from(a.machine.snapshot()).toString('utf8').replace('"max_text_len":512', '"max_text_len":513');
    expect(() => LedgerMachine.restore(new Uint8Array(Buffer.from(s)))).toThrow(/app hash/);
  });

  it('finalizeBlock twice without commit (a crash-replay) yields the same hash as once', () => {
    const a = new TestChain();
    const b = new TestChain();
    const blocks = workload(a, 300);
    workload(b, 300);
    const first = a.machine.finalizeBlock(blockInput(1, blocks[0]!));
    const again = a.machine.finalizeBlock(blockInput(1, blocks[0]!));
    a.machine.commit();
    const once = b.machine.finalizeBlock(blockInput(1, blocks[0]!));
    b.machine.commit();
    expect(hex(again.appHash)).toBe(hex(first.appHash));
    expect(hex(a.machine.info().lastBlockAppHash)).toBe(hex(once.appHash));
    // A different block after an uncommitted one also rolls back cleanly.
    a.machine.finalizeBlock(blockInput(2, blocks[2]!)); // consents before anchors: some fail
    const o2 = a.machine.finalizeBlock(blockInput(2, blocks[1]!)); a.machine.commit();
    const p2 = b.machine.finalizeBlock(blockInput(2, blocks[1]!)); b.machine.commit();
    expect(hex(o2.appHash)).toBe(hex(p2.appHash));
  });

  it('refuses blocks out of order; empty blocks still move the hash (height and time are state)', () => {
    const a = new TestChain();
    expect(() => a.machine.finalizeBlock(blockInput(2, []))).toThrow(/expected 1/);
    const h1 = a.block([]).appHash;
    const h2 = a.block([]).appHash;
    expect(hex(h1)).not.toBe(hex(h2));
  });

  it('throughput: ~2000 mixed transactions (printed, not asserted)', () => {
    const a = new TestChain();
    let t = performance.now();
    const blocks = workload(a, 2000);
    const signMs = performance.now() - t;
    const total = blocks.reduce((s, b) => s + b.length, 0);
    t = performance.now();
    blocks.forEach((txs, i) => { a.machine.finalizeBlock(blockInput(i + 1, txs)); a.machine.commit(); });
    const execMs = performance.now() - t;
    // As a node sees it: CheckTx first (signature verified and cached), then FinalizeBlock.
    const b = new TestChain();
    t = performance.now();
    let h = 0;
    for (const txs of blocks) {
      for (const tx of txs) b.machine.checkTx(tx);
      b.machine.finalizeBlock(blockInput(++h, txs)); b.machine.commit();
    }
    const nodeMs = performance.now() - t;
    // The state machine alone (signatures taken as verified, e.g. by the console's verifier pool).
    const cfast = LedgerMachine.fromGenesis('custos-test', a.g.appState, 1n, a.genesisValidators, { verifySignature: () => true }).machine;
    t = performance.now();
    blocks.forEach((txs, i) => { cfast.finalizeBlock(blockInput(i + 1, txs)); cfast.commit(); });
    const applyMs = performance.now() - t;
    const snapMs = (() => { const s = performance.now(); LedgerMachine.restore(a.machine.snapshot()); return performance.now() - s; })();
    console.log(`[ledger throughput] ${total} txs in ${blocks.length} blocks: sign ${(total / signMs * 1000).toFixed(0)} tx/s; ` +
      `replay (verify+apply+hash) ${(total / execMs * 1000).toFixed(0)} tx/s; node path (checkTx+finalize) ${(total / nodeMs * 1000).toFixed(0)} tx/s; ` +
      `apply+hash only ${(total / applyMs * 1000).toFixed(0)} tx/s; snapshot+restore ${snapMs.toFixed(0)} ms`);
    expect(total).toBeGreaterThanOrEqual(2000);
  }, 60_000);
});
