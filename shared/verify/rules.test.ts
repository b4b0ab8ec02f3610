import { describe, expect, it } from 'vitest';
import { toHex } from '../cometbft/bytes';
import { MAX_TOTAL_VOTING_POWER } from '../cometbft/commit';
import { BlockIdFlag, type Commit, type ConsensusParams, type ValidatorSet } from '../cometbft/types';
import { testValidator, testValidatorSet } from '../../test/cometbft-chain';
import { applyConsensusParamUpdates, decodeConsensusParamUpdates } from './consensus-params';
import { medianTime } from './median-time';
import { compareResults } from './results';
import { SignatureResults, sequentialBatchVerifier, taskKey, type SigTask } from './signatures';
import { applyValidatorChanges, newValidatorSet, validateValidatorUpdates, validatorSetDifference } from './validator-updates';
import { portableEd25519 } from '../cometbft/ed25519';
import { ed25519 } from '@noble/curves/ed25519.js';

const key = (name: string) => testValidator(name, 0n).pubKey;
const up = (name: string, power: bigint) => ({ pubKeyType: 'ed25519', pubKey: key(name), power });
const powers = (s: ValidatorSet) => s.validators.map((v) => [toHex(v.address).slice(0, 6), v.votingPower]);

describe('validator-set transitions (types/validator_set.go UpdateWithChangeSet)', () => {
  const base = newValidatorSet([up('a', 10n), up('b', 20n), up('c', 30n)], 1n) as ValidatorSet;

  it('NewValidatorSet sorts by power, then address; power 0 is refused', () => {
    expect(base.validators.map((v) => v.votingPower)).toEqual([30n, 20n, 10n]);
    expect(newValidatorSet([up('a', 0n)], 1n)).toMatchObject({ ok: false, check: 'validators.update' });
  });

  it('adds, changes power, removes; the input set is untouched', () => {
    const next = applyValidatorChanges(base, [up('d', 25n), up('a', 40n), up('c', 0n)], true, 5n) as ValidatorSet;
    expect(next.validators.map((v) => v.votingPower)).toEqual([40n, 25n, 20n]);
    expect(powers(base)).toHaveLength(3);
    expect(applyValidatorChanges(base, [], true, 5n)).toBe(base);
  });

  it('refuses what CometBFT refuses', () => {
    expect(applyValidatorChanges(base, [up('zz', 0n)], true, 5n)).toMatchObject({ check: 'validators.update', detail: 'failed to find validator to remove' });
    expect(applyValidatorChanges(base, [up('a', 1n), up('a', 2n)], true, 5n)).toMatchObject({ check: 'validators.update', found: expect.stringMatching(/two updates/) });
    expect(applyValidatorChanges(base, [up('a', 0n), up('b', 0n), up('c', 0n)], true, 5n)).toMatchObject({ expected: expect.stringMatching(/non-empty/) });
    expect(applyValidatorChanges(base, [up('a', -1n)], true, 5n)).toMatchObject({ expected: 'a non-negative voting power' });
    expect(applyValidatorChanges(base, [up('a', MAX_TOTAL_VOTING_POWER)], true, 5n)).toMatchObject({ expected: expect.stringMatching(/total voting power/) });
    expect(validateValidatorUpdates([{ pubKeyType: 'secp256k1', pubKey: new Uint8Array(33), power: 1n }], { pubKeyTypes: ['ed25519'] }, 5n))
      .toMatchObject({ check: 'validators.update' });
    expect(validateValidatorUpdates([{ pubKeyType: 'secp256k1', pubKey: new Uint8Array(33), power: 0n }], { pubKeyTypes: ['ed25519'] }, 5n)).toBeNull();
  });

  it('names the first difference from a node\'s answer', () => {
    const other = applyValidatorChanges(base, [up('b', 21n)], true, 5n) as ValidatorSet;
    expect(validatorSetDifference(base, other)).toMatchObject({ expected: 'voting power 20', found: '21' });
    expect(validatorSetDifference(base, { validators: [...base.validators].reverse() })).toBeNull();
    expect(validatorSetDifference(base, { validators: base.validators.slice(1) })?.found).toBe('no such validator');
  });
});

describe('MedianTime (state/state.go, types/time/time.go WeightedMedian)', () => {
  const { vals } = testValidatorSet([40n, 30n, 20n, 10n]);
  const commitAt = (secs: number[], flags?: BlockIdFlag[]): Commit => ({
    height: 1n, round: 0, blockId: { hash: new Uint8Array(32), parts: { total: 1, hash: new Uint8Array(32) } },
    signatures: vals.validators.map((v, i) => ({ blockIdFlag: flags?.[i] ?? BlockIdFlag.Commit, validatorAddress: v.address, timestamp: { seconds: BigInt(secs[i]!), nanos: 0 }, signature: new Uint8Array(64) })),
  });

  it('is power-weighted: the time at which half the power (integer division) is covered', () => {
    // sorted by time: 10s (power 10), 20s (20), 30s (30), 40s (40); half of 100 is 50 → 30s.
    expect(medianTime(commitAt([40, 30, 20, 10]), vals)).toEqual({ time: { seconds: 30n, nanos: 0 } });
    // 1s (power 40) covers 40 < 50; the next, 10s (power 10), reaches 50 → 10s.
    expect(medianTime(commitAt([1, 30, 20, 10]), vals)).toEqual({ time: { seconds: 10n, nanos: 0 } });
    // 1s with power 40 and 2s with power 30: 40 < 50, then 30 covers the remaining 10 → 2s.
    expect(medianTime(commitAt([1, 2, 20, 30]), vals)).toEqual({ time: { seconds: 2n, nanos: 0 } });
  });

  it('skips absent votes, counts nil votes, and refuses unknown signers', () => {
    expect(medianTime(commitAt([40, 30, 20, 10], [BlockIdFlag.Absent, BlockIdFlag.Nil]), vals)).toEqual({ time: { seconds: 20n, nanos: 0 } });
    const c = commitAt([1, 2, 3, 4]);
    c.signatures[0]!.validatorAddress = new Uint8Array(20);
    expect(medianTime(c, vals)).toMatchObject({ error: expect.stringMatching(/not found/) });
  });
});

describe('consensus params updates (types/params.go Update)', () => {
  const params: ConsensusParams = {
    block: { maxBytes: 1n, maxGas: -1n }, evidence: { maxAgeNumBlocks: 2n, maxAgeDurationNs: 3n, maxBytes: 4n },
    validator: { pubKeyTypes: ['ed25519'] }, version: { app: 0n }, abci: { voteExtensionsEnableHeight: 0n },
  };
  it('replaces only the groups present', () => {
    const u = decodeConsensusParamUpdates({ block: { max_bytes: '100', max_gas: '5' }, version: null }, 'u')!;
    expect(applyConsensusParamUpdates(params, u)).toEqual({ ...params, block: { maxBytes: 100n, maxGas: 5n } });
    expect(decodeConsensusParamUpdates(null, 'u')).toBeNull();
    expect(() => decodeConsensusParamUpdates({ block: { max_bytes: 'x', max_gas: '1' } }, 'u')).toThrow(/u\.block\.max_bytes/);
  });
});

describe('results against the replay', () => {
  const replay = { txResults: [{ code: 0, data: new Uint8Array([1]), gasWanted: 0n, gasUsed: 0n }], validatorUpdates: [], appHash: new Uint8Array([9]) };
  const node = { height: 3n, txsResults: [{ code: 0, data: new Uint8Array([1]), gasWanted: 0n, gasUsed: 0n, log: '', codespace: '', events: [] }], validatorUpdates: [], appHash: new Uint8Array([9]), consensusParamUpdates: null };
  it('agree, or each difference names its field and tx', () => {
    expect(compareResults(3n, replay, node)).toEqual([]);
    const f = compareResults(3n, replay, { ...node, txsResults: [{ ...node.txsResults[0]!, gasUsed: 5n }], appHash: new Uint8Array([8]) });
    expect(f.map((x) => [x.check, x.found, x.detail?.slice(0, 5)])).toEqual([['results.tx', 'gas_used 5', 'tx #0'], ['results.app_hash', '08', 'the a']]);
    expect(compareResults(3n, replay, { ...node, consensusParamUpdates: { version: { app: 2n } } })[0]?.check).toBe('results.consensus_params');
  });
});

describe('signature results', () => {
  it('answers from the batch, falls back on a miss, and tells rules apart', async () => {
    const sk = new Uint8Array(32).fill(3);
    const pk = ed25519.getPublicKey(sk);
    const msg = new Uint8Array([1, 2, 3]);
    const sig = ed25519.sign(msg, sk);
    const tasks: SigTask[] = [{ rule: 'consensus', signature: sig, message: msg, publicKey: pk, where: 't' }];
    const answers = await sequentialBatchVerifier().verifyBatch(tasks);
    // A batch answer stands even when a verifier would disagree: the table is what the rules read.
    const r = new SignatureResults().addTasks(tasks, answers.map(() => false));
    expect(r.check('consensus', sig, msg, pk)).toBe(false);
    expect(r.hits).toBe(1);
    expect(r.check('ledger-tx', sig, msg, pk)).toBe(true); // other rule: a miss, verified by the fallback
    expect(r.check('consensus', sig, new Uint8Array([1, 2, 4]), pk)).toBe(false); // other message: a miss
    expect([r.hits, r.misses, r.checked]).toEqual([1, 2, 3]);
    expect(portableEd25519.verify(sig, msg, pk)).toBe(true);
  });

  it('keys a ledger tx verdict by its tx id, counted like any other answer', async () => {
    const sk = new Uint8Array(32).fill(4);
    const pk = ed25519.getPublicKey(sk);
    const msg = new Uint8Array([9, 9]);
    const sig = ed25519.sign(msg, sk);
    const id = 'AB'.repeat(32);
    const tasks: SigTask[] = [{ rule: 'ledger-tx', signature: sig, message: msg, publicKey: pk, where: 'tx 1 #0', txId: id }];
    expect(taskKey(tasks[0]!)).toBe(`x${id}`);
    const r = new SignatureResults().addTasks(tasks, await sequentialBatchVerifier().verifyBatch(tasks));
    expect(r.txVerdict(id)).toBe(true);
    expect(r.txVerdict('CD'.repeat(32))).toBeUndefined(); // unknown: not counted, the machine asks check()
    expect([r.hits, r.misses, r.checkedByRule['ledger-tx']]).toEqual([1, 0, 1]);
    expect(r.check('ledger-tx', sig, msg, pk)).toBe(true); // by content: not in the table, verified
    expect([r.hits, r.misses, r.checkedByRule['ledger-tx']]).toEqual([1, 1, 2]);
    // A consensus task never takes the tx-id key.
    expect(taskKey({ ...tasks[0]!, rule: 'consensus' })).not.toBe(`x${id}`);
  });
});
