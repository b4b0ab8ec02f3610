import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { buildTx, decodeTx, DecodeError, keyFromSeed, txId, deriveSeed } from './client/index';
import { canonicalString, parseCanonical, type JsonIn } from './encoding/canonical';
import { utf8Decode, utf8Encode } from './encoding/utf8';
import { signBytes, MAX_TX_BYTES } from './tx/envelope';
import { decodeForVerify } from './tx/decode';
import { Code } from './codes';
import { TestChain } from './harness';

const enc = (s: string) => new TextEncoder().encode(s);
const SHA = 'ab'.repeat(32);

describe('canonical JSON (RFC 8785 subset, PROTOCOL §2.2)', () => {
  it('sorts members by UTF-16 code units and serializes strings like JSON.stringify', () => {
    expect(canonicalString({ b: 1, a: [true, 'x'], A: { z: 'é\n\u0001"\\' }, '\u20ac': 1, '\ud83d\ude00': 2 }))
      .toBe('{"A":{"z":"é\\n\\u0001\\"\\\\"},"a":[true,"x"],"b":1,"€":1,"\ud83d\ude00":2}');
  });
  it('refuses what the ledger does not allow', () => {
    expect(() => canonicalString(1.5)).toThrow(/safe integer/);
    expect(() => canonicalString(2 ** 53)).toThrow(/safe integer/);
    expect(() => canonicalString({ a: null } as never)).toThrow(/null/);
    expect(() => canonicalString('\ud800')).toThrow(/surrogate/);
  });
  it('names the exact place of what it refuses, however deep', () => {
    expect(() => canonicalString({ a: { b: [1, 1.5] } })).toThrow('$.a.b[1]: number 1.5 is not a safe integer');
    expect(() => canonicalString({ z: 1, a: { '\udc00': 'x' } })).toThrow('$.a: string contains a lone surrogate');
    expect(() => canonicalString({ a: ['ok', 'x\ud800y'] })).toThrow('$.a[1]: string contains a lone surrogate');
    expect(() => canonicalString({ a: [1, undefined] } as never)).toThrow('$.a[1]: undefined array element');
    let deep: unknown = 1;
    for (let i = 0; i < 33; i++) deep = [deep];
    expect(() => canonicalString(deep as never)).toThrow(/nesting deeper than 32/);
  });
  it('equals sorted-key JSON.stringify on every allowed value', () => {
    let x = 7;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    const chars = ['a', 'Z', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\ud83d\ude00', '<', '/'];
    const str = () => Array.from({ length: rnd(6) }, () => chars[rnd(chars.length)]).join('');
    const val = (d: number): JsonIn => {
      const k = d > 3 ? rnd(3) : rnd(5);
      if (k === 0) return str();
      if (k === 1) return rnd(2) ? rnd(1e9) - 5e8 : Number.MAX_SAFE_INTEGER;
      if (k === 2) return rnd(2) === 1;
      if (k === 3) return Array.from({ length: rnd(4) }, () => val(d + 1));
      return Object.fromEntries(Array.from({ length: rnd(5) }, () => [str(), val(d + 1)]));
    };
    const sorted = (v: JsonIn): unknown => (Array.isArray(v) ? v.map(sorted) : typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
    for (let i = 0; i < 2000; i++) {
      const v = val(0);
      expect(canonicalString(v)).toBe(JSON.stringify(sorted(v)));
    }
  });
  it('parses only canonical bytes', () => {
    expect(parseCanonical(enc('{"a":1,"b":[1,2]}'))).toEqual({ a: 1, b: [1, 2] });
    for (const bad of ['{"b":1,"a":1}', '{ "a":1}', '{"a":1,"a":1}', '{"a":1.0}', '{"a":1e2}', '{"a":-0}', '"\\u0061"', '{"a":"\\/"}']) {
      expect(() => parseCanonical(enc(bad)), bad).toThrow();
    }
    expect(() => parseCanonical(new Uint8Array([0x22, 0xc0, 0xaf, 0x22]))).toThrow(/UTF-8/);
  });
  it('UTF-8 round-trips astral characters and rejects encoded surrogates', () => {
    const s = 'a€\ud83d\ude00';
    expect(utf8Decode(utf8Encode(s))).toBe(s);
    expect(Array.from(utf8Encode(s))).toEqual(Array.from(new TextEncoder().encode(s)));
    expect(() => utf8Decode(new Uint8Array([0xed, 0xa0, 0x80]))).toThrow(/surrogate/);
  });
});

describe('envelope, signing bytes and client helpers (PROTOCOL §2)', () => {
  const seed = deriveSeed('x', 'signer');
  const kp = keyFromSeed(seed);
  const body = { patient: kp.pubkey };

  it('buildTx → decodeTx round trip, txId is CometBFT\'s upper-case SHA-256', () => {
    const bytes = buildTx('patient.register', body, seed, 7, 'chain-a');
    const tx = decodeTx(bytes);
    expect(tx).toMatchObject({ v: 1, kind: 'patient.register', nonce: 7, chain_id: 'chain-a', signer: kp.pubkey, body });
    expect(txId(bytes)).toBe(createHash('sha256').update(bytes).digest('hex').toUpperCase());
    expect(new TextDecoder().decode(bytes)).toMatch(/^\{"body":\{"patient":"[0-9a-f]{64}"\},"chain_id":"chain-a","kind":"patient.register","nonce":7,"sig":"[0-9a-f]{128}","signer":"[0-9a-f]{64}","v":1\}$/);
  });

  it('signing bytes are domain-separated and the machine\'s fast path equals the definition', () => {
    const bytes = buildTx('patient.register', body, seed, 1, 'chain-a');
    const tx = decodeTx(bytes);
    const sb = signBytes(tx);
    expect(new TextDecoder().decode(sb).startsWith('custos-ledger/tx/v1\u0000chain-a\u0000patient.register\u0000{"body"')).toBe(true);
    expect(Array.from(decodeForVerify(bytes).signBytes)).toEqual(Array.from(sb));
  });

  it('DecodeError names the offending field', () => {
    const field = (f: () => unknown) => { try { f(); } catch (e) { return e instanceof DecodeError ? e.field : String(e); } return 'no error'; };
    expect(field(() => buildTx('record.anchor', { patient: kp.pubkey, resource_type: 'Observation', uri: 'x', sha256: 'AB' }, seed, 1, 'c'))).toBe('body.sha256');
    expect(field(() => buildTx('consent.grant', { patient: kp.pubkey, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT', 'HPAYMT'], period: { start: 1, end: 2 } }, seed, 1, 'c'))).toBe('body.purposes[1]');
    expect(field(() => buildTx('record.anchor', { patient: kp.pubkey, resource_type: 'Patient' as never, uri: 'x', sha256: SHA }, seed, 1, 'c'))).toBe('body.resource_type');
    expect(field(() => buildTx('record.anchor', { patient: kp.pubkey, resource_type: 'Observation', uri: 'x y', sha256: SHA }, seed, 1, 'c'))).toBe('body.uri');
    expect(field(() => buildTx('access.record', { org: 'a-b', records: ['A'.repeat(64)], purpose: 'TREAT', action: 'read', break_glass: { justification: 'a\u0007' } }, seed, 1, 'c'))).toBe('body.break_glass.justification');
    expect(field(() => buildTx('gov.vote', { proposal_id: 1, option: 'maybe' as never }, seed, 1, 'c'))).toBe('body.option');
    expect(field(() => buildTx('member.add', { pubkey: kp.pubkey, roles: ['admin'], extra: 1 } as never, seed, 1, 'c'))).toBe('body.extra');
    expect(field(() => buildTx('patient.register', body, seed, 0, 'c'))).toBe('nonce');
    const good = new TextDecoder().decode(buildTx('patient.register', body, seed, 1, 'c'));
    expect(field(() => decodeTx(enc(good.replace('patient.register', 'patient.delete'))))).toBe('kind');
    expect(field(() => decodeTx(enc(good.replace('"v":1', '"v":2'))))).toBe('v');
    expect(field(() => decodeTx(enc(good + ' ')))).toBe('tx');
  });
});

describe('checkTx refusals (PROTOCOL §2.8, §6)', () => {
  it('refuses malformed, wrong chain, bad signature, unknown signer, replay; accepts the good one', () => {
    const c = new TestChain();
    const clin = c.g.members.find((m) => m.label === 'st-mary-hospital/clinician-1')!;
    const p = keyFromSeed(c.g.patientSeed(0));
    const good = c.tx('patient.register', { patient: p.pubkey }, clin.seed, { nonce: 1 });
    expect(c.machine.checkTx(good).code).toBe(Code.OK);

    expect(c.machine.checkTx(enc('{"not":"a tx"}')).code).toBe(Code.MALFORMED);
    expect(c.machine.checkTx(new Uint8Array([0xff, 0xfe])).code).toBe(Code.MALFORMED);
    expect(c.machine.checkTx(new Uint8Array(MAX_TX_BYTES + 1)).log).toMatch(/more than 65536/);

    const other = c.tx('patient.register', { patient: p.pubkey }, clin.seed, { nonce: 1, chainId: 'other-chain' });
    expect(c.machine.checkTx(other).code).toBe(Code.WRONG_CHAIN);

    // Re-label the chain in a correctly signed tx: signature covers chain id → bad signature or wrong chain.
    const relabel = enc(new TextDecoder().decode(other).replace('"chain_id":"other-chain"', '"chain_id":"custos-test"'));
    expect(c.machine.checkTx(relabel).code).toBe(Code.BAD_SIGNATURE);

    // Tamper with the body.
    const tampered = enc(new TextDecoder().decode(good).replace(p.pubkey, keyFromSeed(c.g.patientSeed(1)).pubkey));
    expect(c.machine.checkTx(tampered).code).toBe(Code.BAD_SIGNATURE);

    // Flip one signature bit.
    const s = new TextDecoder().decode(good);
    const i = s.indexOf('"sig":"') + 7;
    const flipped = enc(s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1));
    expect(c.machine.checkTx(flipped).code).toBe(Code.BAD_SIGNATURE);

    const stranger = c.tx('patient.register', { patient: p.pubkey }, deriveSeed('x', 'stranger'));
    expect(c.machine.checkTx(stranger).code).toBe(Code.UNKNOWN_SIGNER);

    expect(c.land(good).code).toBe(Code.OK);
    expect(c.machine.checkTx(good).code).toBe(Code.REPLAY);
    const again = c.land(good);
    expect(again.code).toBe(Code.REPLAY);
    expect(again.codespace).toBe('custos');
    // A lower nonce is refused; a gap is allowed (nonces only increase, §2.8).
    expect(c.machine.checkTx(c.tx('patient.register', { patient: keyFromSeed(c.g.patientSeed(2)).pubkey }, clin.seed, { nonce: 1 })).code).toBe(Code.REPLAY);
    expect(c.machine.checkTx(c.tx('patient.register', { patient: keyFromSeed(c.g.patientSeed(2)).pubkey }, clin.seed, { nonce: 50 })).code).toBe(Code.OK);
  });

  it('checkTx does not mutate committed state', () => {
    const c = new TestChain();
    const clin = c.g.members.find((m) => m.label === 'st-mary-hospital/clinician-1')!;
    const before = c.machine.snapshot();
    expect(c.machine.checkTx(c.tx('patient.register', { patient: keyFromSeed(c.g.patientSeed(0)).pubkey }, clin.seed)).code).toBe(0);
    expect(Array.from(c.machine.snapshot())).toEqual(Array.from(before));
  });

  it('an authenticated tx that a rule refuses still uses its nonce', () => {
    const c = new TestChain();
    const researcher = c.g.members.find((m) => m.label === 'health-research-institute/researcher-1')!;
    const tx = c.tx('patient.register', { patient: keyFromSeed(c.g.patientSeed(0)).pubkey }, researcher.seed);
    expect(c.land(tx).code).toBe(Code.UNAUTHORIZED);
    expect(c.query(`/nonce/${researcher.pubkey}`).value).toEqual({ pubkey: researcher.pubkey, nonce: 1, next_nonce: 2 });
    expect(c.land(tx).code).toBe(Code.REPLAY);
  });
});

describe('test vector (PROTOCOL §13)', () => {
  it('reproduces the pinned transaction bytes and id', () => {
    const s1 = new Uint8Array(32).fill(1);
    const s2 = new Uint8Array(32).fill(2);
    const bytes = buildTx('patient.register', { patient: keyFromSeed(s2).pubkey }, s1, 1, 'custos-devnet');
    expect(keyFromSeed(s1).pubkey).toBe('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"body":{"patient":"8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394"},"chain_id":"custos-devnet",' +
      '"kind":"patient.register","nonce":1,"sig":"6f86a05f287dbd107d3303e541d1c616a822144350906703a6ef112afacd3d75a2b443119d31e5bb2918d7bc82feb39e4c329ae341b1ba73f12cf3f03776f70c",' +
      '"signer":"8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c","v":1}');
    expect(txId(bytes)).toBe('58F55BEB19B3E9670F5BE5F16016FF2841879E244AA294D416E6CB1772E6BB07');
  });
});
