import { describe, expect, it } from 'vitest';
import { toHex } from '../cometbft/bytes';
import { keyFromSeed } from './client/index';
import { TestChain } from './harness';
import { KEY_BINDING_KINDS, keysValidatedBy } from './rules/keys';
import { decodeForVerify } from './tx/decode';
import { TailReader } from './tx/tail';
import { decodeTx } from './tx/envelope';
import { TX_KINDS, type TxKind } from './tx/types';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const hex = (b: Uint8Array) => toHex(b).toLowerCase();

/** One valid transaction of every kind, signed for `chainId`. */
function everyKind(chainId: string): Uint8Array[] {
  const c = new TestChain(chainId);
  const seed = c.g.members.find((m) => m.label === 'st-mary-hospital/clinician-1')!.seed;
  const p = keyFromSeed(c.g.patientSeed(0)).pubkey, q = keyFromSeed(c.g.patientSeed(1)).pubkey;
  const id = 'AB'.repeat(32), sha = 'cd'.repeat(32);
  const bodies: { [K in TxKind]: Parameters<TestChain['tx']>[1] } = {
    'member.add': { pubkey: q, roles: ['clinician'] },
    'member.roles': { pubkey: q, roles: ['admin', 'clinician'] },
    'member.end': { pubkey: q, reason: 'left' },
    'patient.register': { patient: p },
    'proxy.grant': { proxy: q, relationship: 'parent', until: 2_000_000_000 },
    'proxy.revoke': { patient: p, proxy: q },
    'record.anchor': { patient: p, resource_type: 'Observation', uri: 'urn:x"\\', sha256: sha },
    'record.amend': { record_id: id, prior_version: 1, uri: 'urn:y', sha256: sha, reason: 'correction' },
    'consent.grant': { patient: p, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'], period: { start: 1, end: 2 } },
    'consent.revoke': { consent_id: id },
    'access.record': { org: 'st-mary-hospital', records: [id], purpose: 'TREAT', action: 'read', break_glass: { justification: 'émergence "now"' } },
    'breakglass.review': { access_id: id, outcome: 'justified', note: 'ok' },
    'gov.propose': { title: 't', summary: '', content: { type: 'org_admit', org: { id: 'new-org', name: 'New', kind: 'clinic' }, admin: q } },
    'gov.vote': { proposal_id: 1, option: 'yes' },
  };
  return TX_KINDS.map((k) => c.tx(k, bodies[k] as never, seed, { nonce: 9_007_199_254_740_991 - TX_KINDS.indexOf(k) }));
}

function expectSameAsDecode(r: TailReader, bytes: Uint8Array): void {
  const d = decodeForVerify(bytes);
  const t = r.read(bytes);
  expect(t).not.toBeNull();
  expect({ kind: t!.kind, sig: hex(t!.sig), signer: hex(t!.signer), signBytes: hex(t!.signBytes) })
    .toEqual({ kind: d.tx.kind, sig: d.tx.sig, signer: d.tx.signer, signBytes: hex(d.signBytes) });
}

describe('TailReader (the signature question read off the envelope tail, tx/tail.ts)', () => {
  const chains = ['custos-test', 'a"b\\c', '~!#$%^&*()_+{}|:<>?`-=[];\',./', 'x'.repeat(50)];

  it('reads exactly what decodeForVerify gives, for every kind and chain id', () => {
    for (const chainId of chains) {
      const r = new TailReader(chainId);
      for (const bytes of everyKind(chainId)) expectSameAsDecode(r, bytes);
    }
  });

  it('reads nothing for another chain, or for a chain id no transaction can name', () => {
    const txs = everyKind('custos-test');
    for (const other of ['custos-tes', 'ustos-test', 'custos-test2', 'custos\\-test']) {
      for (const bytes of txs) expect(new TailReader(other).read(bytes), other).toBeNull();
    }
    for (const bad of ['', 'has space', 'x'.repeat(51), 'é', '\ud800']) expect(new TailReader(bad).read(txs[0]!)).toBeNull();
  });

  it('reads nothing from tails a canonical envelope cannot have', () => {
    const r = new TailReader('custos-test');
    const good = dec(everyKind('custos-test')[TX_KINDS.indexOf('patient.register')]!);
    const sig = /"sig":"([0-9a-f]{128})"/.exec(good)![1]!;
    const nonce = /"nonce":(\d+)/.exec(good)![1]!;
    for (const bad of [
      good.replace(sig, sig.toUpperCase()), good.replace(sig, sig.slice(2)), good.replace('"v":1}', '"v":1 }'), good.replace('"v":1}', '"v":2}'),
      good.replace(`"nonce":${nonce}`, `"nonce":0${nonce}`), good.replace(`"nonce":${nonce}`, '"nonce":"1"'), good.replace(`"nonce":${nonce}`, '"nonce":'),
      good.replace('"kind":"patient.register"', '"kind":"patient.delete"'), good.replace('"kind":"patient.register"', '"kind":"xpatient.register"'),
      good.replace(',"chain_id":"custos-test"', ''), good.replace('"signer":"', '"signer": "'), good + ' ', good.slice(0, -1), '', '}',
    ]) {
      expect(r.read(enc(bad)), bad).toBeNull();
    }
  });

  it('agrees with the full decode on every mutated transaction the full decode accepts for the chain', () => {
    const chainId = 'custos-test';
    const r = new TailReader(chainId);
    let x = 12345;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    let accepted = 0, read = 0;
    for (const tx of everyKind(chainId)) {
      for (let i = 0; i < 400; i++) {
        const m = Uint8Array.from(tx);
        // Flip, drop or duplicate a byte, mostly in the tail where the reader looks.
        const at = rnd(3) === 0 ? rnd(m.length) : m.length - 1 - rnd(Math.min(m.length, 260));
        const op = rnd(3);
        let b: Uint8Array = m;
        if (op === 0) m[at] = m[at]! ^ (1 << rnd(8));
        else if (op === 1) b = Uint8Array.from([...m.subarray(0, at), ...m.subarray(at + 1)]);
        else b = Uint8Array.from([...m.subarray(0, at), m[at]!, ...m.subarray(at)]);
        let full;
        try {
          full = decodeForVerify(b);
        } catch {
          continue; // refused before any signature is looked at: whatever the reader says is never asked
        }
        if (full.tx.chain_id !== chainId) continue;
        accepted++;
        if (r.read(b) === null) continue;
        read++;
        expectSameAsDecode(r, b);
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(read).toBe(accepted); // every transaction the decode accepts reads off its tail
  });

  it('keysValidatedBy is empty for every kind outside KEY_BINDING_KINDS (the prepare workers decode those fully)', () => {
    for (const bytes of everyKind('custos-test')) {
      const tx = decodeTx(bytes);
      expect(keysValidatedBy(tx).length > 0 || tx.kind === 'gov.propose', tx.kind).toBe(KEY_BINDING_KINDS.has(tx.kind));
    }
  });
});
