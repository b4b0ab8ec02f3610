// The prepare workers read most transaction signatures off the envelope's tail (shared/ledger
// tx/tail.ts TailReader) instead of decoding them. These chains hold transactions the ledger
// refuses at every step where that could matter; the verifier must replay every refusal exactly
// as the node did, and catch a node that says otherwise.
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../../../shared/cometbft/bytes';
import { keyFromSeed } from '../../../shared/ledger/client/keys';
import { Code } from '../../../shared/ledger/codes';
import { TailReader } from '../../../shared/ledger/tx/tail';
import { buildReplicaChain, cloneChain, type ReplicaChain, type Workload } from '../../../test/replica-chain';
import { memorySource, runVerification, type ReplicaSource } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const enc = (x: unknown): Uint8Array => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const source = (c: ReplicaChain): ReplicaSource => memorySource(enc(c.genesis), c.heights.map((r) => ({
  height: r.height, payloads: { block: enc(r.block), commit: enc(r.commit), validators: enc(r.validators), block_results: enc(r.block_results) },
})));

/** `text` with its signature replaced by one over what the tail reader takes for its signing bytes. */
function resign(text: string, chainId: string, seed: Uint8Array): Uint8Array {
  const t = new TailReader(chainId).read(enc(text))!;
  const sig = toHex(ed25519.sign(t.signBytes, seed)).toLowerCase();
  return enc(text.replace(/"sig":"[0-9a-f]{128}"/, `"sig":"${sig}"`));
}

const refusals: Workload = {
  txs(h, w) {
    const clin = w.g.members.find((m) => m.label === 'st-mary-hospital/clinician-1')!.seed;
    const patient = (i: number) => keyFromSeed(w.g.patientSeed(i)).pubkey;
    const anchor = (i: number) => w.tx('record.anchor', { patient: patient(0), resource_type: 'Observation', uri: `u:${h}:${i}`, sha256: 'ab'.repeat(32) }, clin);
    if (h === 2) return [w.tx('patient.register', { patient: patient(0) }, clin), w.tx('patient.register', { patient: patient(1) }, clin)];
    if (h !== 3) return h > 3 ? [anchor(0)] : [];
    const good = dec(anchor(0));
    const sig = /"sig":"([0-9a-f]{128})"/.exec(good)![1]!;
    return [
      // A signature that does not verify.
      enc(good.replace(sig, (sig[0] === '0' ? '1' : '0') + sig.slice(1))),
      // Not canonical (a space in the body), signed over exactly what the tail gives: refused as malformed all the same.
      resign(good.replace('{"body":{', '{"body": {'), w.chainId, clin),
      // Another chain's transaction; a member.add with its kind changed to member.roles (the same body schema).
      resign(dec(w.tx('record.anchor', { patient: patient(1), resource_type: 'Observation', uri: 'u:other', sha256: 'cd'.repeat(32) }, clin)).replace(`"chain_id":"${w.chainId}"`, '"chain_id":"other-chain"'), 'other-chain', clin),
      enc(dec(w.tx('member.add', { pubkey: patient(5), roles: ['clinician'] }, clin)).replace('"kind":"member.add"', '"kind":"member.roles"')),
      // Valid, then the same bytes again (a replay of a used nonce).
      enc(good),
      enc(good),
      // A key-binding kind with a key §2.7 refuses (small order): decoded fully, its key checked.
      w.tx('patient.register', { patient: '01'.padEnd(64, '0') }, clin),
    ];
  },
};

describe('prepare workers: signatures read off transaction tails', () => {
  const chain = buildReplicaChain({ heights: 6, workload: refusals });
  const codes = (chain.heights[2]!.block_results as Json).txs_results.map((r: Json) => r.code);

  it('replays every refusal as the node did: bad signature, malformed, other chain, changed kind, replay, bad key', async () => {
    expect(codes).toEqual([Code.BAD_SIGNATURE, Code.MALFORMED, Code.WRONG_CHAIN, Code.BAD_SIGNATURE, Code.OK, Code.REPLAY, Code.MALFORMED]);
    const r = await runVerification({ source: source(chain), threads: 2, checkpointPath: null });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.counts).toMatchObject({ blocks: 6, txs: chain.txCount });
    expect(r.run.signatureMisses).toBeLessThanOrEqual(8); // the first height's last_commit, at most
  });

  it('catches a node that accepts what the ledger refuses, at that height', async () => {
    for (const i of [0, 1, 2, 3, 5, 6]) {
      const c = cloneChain(chain);
      const res = (c.heights[2]!.block_results as Json).txs_results[i];
      res.code = 0;
      res.codespace = '';
      const r = await runVerification({ source: source(c), threads: 2, checkpointPath: null });
      expect(r.ok, `tx ${i}`).toBe(false);
      expect(r.firstFailure, `tx ${i}`).toMatchObject({ height: 3, check: 'results.tx', detail: expect.stringMatching(new RegExp(`tx #${i}`)) });
    }
  });
});
