import { describe, expect, it } from 'vitest';
import { decodeTx, deriveSeed, keyFromSeed } from './client/index';
import { Code } from './codes';
import { TestChain, T0 } from './harness';
import { LedgerMachine, type MachineOptions } from './machine';
import { isValidKey } from './rules/context';
import { keysValidatedBy } from './rules/keys';
import { isHex } from './tx/fields';
import { HEX32_LOWER, HEX32_UPPER, HEX64_LOWER } from './encoding/hex';

const IDENTITY = `01${'00'.repeat(31)}`; // the identity point: small order

/** A machine over the chain's genesis with `opts`, fed the chain's signed txs one block at a time. */
function twin(c: TestChain, opts: MachineOptions) {
  const m = LedgerMachine.fromGenesis(c.chainId, JSON.parse(JSON.stringify(c.g.appState)), 1n, c.genesisValidators, opts).machine;
  let h = 0;
  return (txs: Uint8Array[]) => {
    h++;
    const out = m.finalizeBlock({ height: BigInt(h), time: { seconds: BigInt(T0 + 5 * h), nanos: 0 }, txs, proposerAddress: new Uint8Array(20) });
    m.commit();
    return out;
  };
}

describe('key verdicts from the host (PROTOCOL §2.7, MachineOptions.keyCheck)', () => {
  it('keysValidatedBy lists the keys each kind binds', () => {
    const c = new TestChain();
    const M = (label: string) => c.g.members.find((m) => m.label === label)!;
    const k = (s: string) => keyFromSeed(deriveSeed('keys', s)).pubkey;
    const admin = M('st-mary-hospital/admin-1').seed;
    const cases: [Uint8Array, string[]][] = [
      [c.tx('member.add', { pubkey: k('a'), roles: ['nurse'] }, admin), [k('a')]],
      [c.tx('patient.register', { patient: k('p') }, admin), [k('p')]],
      [c.tx('proxy.grant', { proxy: k('x'), relationship: 'parent' }, admin), [k('x')]],
      [c.tx('gov.propose', { title: 't', summary: '', content: { type: 'org_admit', org: { id: 'new-org', name: 'N', kind: 'payer' }, admin: k('n') } }, admin), [k('n')]],
      [c.tx('gov.propose', { title: 't', summary: '', content: { type: 'validator_update', updates: [{ pub_key: k('v1'), power: 0 }, { pub_key: k('v2'), power: 5 }].sort((a, b) => (a.pub_key < b.pub_key ? -1 : 1)) } }, admin), [k('v2')]],
      [c.tx('gov.propose', { title: 't', summary: '', content: { type: 'org_remove', org_id: 'acme-health' } }, admin), []],
      [c.tx('member.end', { pubkey: k('a'), reason: 'left' }, admin), []],
    ];
    for (const [bytes, keys] of cases) expect(keysValidatedBy(decodeTx(bytes))).toEqual(keys);
  });

  it('a host verdict is the answer for its key; undefined leaves the check to the machine; results are otherwise unchanged', () => {
    const c = new TestChain();
    const M = (label: string) => c.g.members.find((m) => m.label === label)!;
    const admin = M('central-lab/admin-1').seed;
    const good = keyFromSeed(deriveSeed('keys', 'good')).pubkey;
    const other = keyFromSeed(deriveSeed('keys', 'other')).pubkey;
    const asked: string[] = [];
    const run = twin(c, { keyCheck: (k) => { asked.push(k); return k === good ? false : undefined; } });
    const plain = twin(c, {});
    const txs = [
      c.tx('member.add', { pubkey: good, roles: ['nurse'] }, admin),
      c.tx('member.add', { pubkey: IDENTITY, roles: ['nurse'] }, admin),
      c.tx('member.add', { pubkey: other, roles: ['nurse'] }, admin),
    ];
    const out = run(txs);
    expect(out.txResults.map((r) => r.code)).toEqual([Code.MALFORMED, Code.MALFORMED, Code.OK]);
    expect(asked).toEqual([good, IDENTITY, other]);
    expect(plain(txs).txResults.map((r) => r.code)).toEqual([Code.OK, Code.MALFORMED, Code.OK]);
    // A host that answers truthfully changes nothing.
    const honest = twin(c, { keyCheck: isValidKey });
    const again = honest(txs);
    const ref = twin(c, {})(txs);
    expect(again).toEqual(ref);
  });

  it('isHex matches the §2.3 hex regexes', () => {
    let x = 3;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    const alphabet = '0123456789abcdefABCDEFgG x';
    for (let i = 0; i < 5000; i++) {
      const len = [63, 64, 65, 127, 128, 129, 0][rnd(7)]!;
      const s = Array.from({ length: len }, () => (rnd(20) ? alphabet[rnd(16)] : alphabet[rnd(alphabet.length)])).join('');
      for (const t of [s, s.toUpperCase()]) {
        expect(isHex(t, 64, false)).toBe(HEX32_LOWER.test(t));
        expect(isHex(t, 64, true)).toBe(HEX32_UPPER.test(t));
        expect(isHex(t, 128, false)).toBe(HEX64_LOWER.test(t));
      }
    }
  });
});
