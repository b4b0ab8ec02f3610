import { describe, expect, it } from 'vitest';
import { HAVE_VECTORS, readVector } from '../../test/vectors';
import { clone, signCommit, signedHeader, testValidator, testValidatorSet, ts, hex } from '../../test/cometbft-chain';
import { decodeCommitResponse, decodeGenesis } from './decode';
import { validatorSetHash } from './hash';
import { headerMatchesBlockId } from './header-checks';
import { portableEd25519 } from './ed25519';
import { commitSigSignBytes } from './sign-bytes';
import { toHex } from './bytes';
import { prepareValidatorSet, verifyCommit, verifyCommitLight, verifyCommitLightTrusting } from './commit';
import { BlockIdFlag, type Commit, type SignedHeader, type ValidatorSet } from './types';
import type { Failure, Verdict } from './verdict';

const V = portableEd25519;
const C = BlockIdFlag.Commit, N = BlockIdFlag.Nil, A = BlockIdFlag.Absent;

function failure(v: Verdict): Failure {
  if (v.ok) throw new Error('expected a failure, got OK');
  return v;
}

describe.skipIf(!HAVE_VECTORS)('kvstore height-10 commit (cometbft-v0.38-kvstore)', () => {
  it('verifies against the genesis validator, with sign bytes 70 08 02 11 0a 00…', () => {
    const genesis = decodeGenesis(readVector('cometbft-v0.38-kvstore/genesis.json'));
    const sh = decodeCommitResponse(readVector('cometbft-v0.38-kvstore/commit_at_height_10.json'));
    const vals: ValidatorSet = {
      validators: genesis.validators.map((g) => ({ address: g.address, pubKey: g.pubKey, pubKeyType: g.pubKeyType, votingPower: g.power, proposerPriority: 0n })),
    };
    expect(toHex(commitSigSignBytes(genesis.chainId, sh.commit, 0).subarray(0, 6))).toBe('700802110A00');
    expect(toHex(validatorSetHash(vals))).toBe(toHex(sh.header.validatorsHash));
    expect(headerMatchesBlockId(sh.header, sh.commit.blockId)).toEqual({ ok: true });
    expect(verifyCommit(genesis.chainId, vals, sh.commit.blockId, 10n, sh.commit, V)).toEqual({ ok: true });
    expect(verifyCommitLight(genesis.chainId, vals, sh.commit.blockId, 10n, sh.commit, V)).toEqual({ ok: true });
    expect(verifyCommitLightTrusting(genesis.chainId, vals, sh.commit, { numerator: 1, denominator: 3 }, V)).toEqual({ ok: true });
    const f = failure(verifyCommit('otherchain', vals, sh.commit.blockId, 10n, sh.commit, V));
    expect(f.check).toBe('commit.signature');
    expect(f.expected).toContain('2DD9F44FD9067555C322243C3C913BA7B51D2BE0');
  });
});

// A 4-validator chain built and signed here.
function chain(powers: bigint[], flags?: BlockIdFlag[]): { sh: SignedHeader; vals: ValidatorSet; keys: Map<string, Uint8Array> } {
  const { vals, keys } = testValidatorSet(powers);
  const sh = signedHeader({ chainId: 'custos-test', height: 7n, time: ts(1_700_000_000), vals, nextVals: vals, flags }, keys);
  return { sh, vals, keys };
}
const full = (sh: SignedHeader, vals: ValidatorSet, chainId = 'custos-test') => verifyCommit(chainId, vals, sh.commit.blockId, sh.header.height, sh.commit, V);
const light = (sh: SignedHeader, vals: ValidatorSet) => verifyCommitLight('custos-test', vals, sh.commit.blockId, sh.header.height, sh.commit, V);
const trusting = (commit: Commit, vals: ValidatorSet, n = 1, d = 3) => verifyCommitLightTrusting('custos-test', vals, commit, { numerator: n, denominator: d }, V);

describe('verifyCommit / verifyCommitLight / verifyCommitLightTrusting (types/validation.go)', () => {
  it('accepts a fully signed commit in all three', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n]);
    expect(full(sh, vals)).toEqual({ ok: true });
    expect(light(sh, vals)).toEqual({ ok: true });
    expect(trusting(sh.commit, vals)).toEqual({ ok: true });
  });

  it('needs power strictly above total*2/3 (integer division as in Go)', () => {
    // total 10000, needed 6666: 3333+3333 = 6666 fails, 3334+3333 = 6667 passes.
    const powers = [3334n, 3333n, 3333n];
    const short = chain(powers, [A, C, C]);
    const f = failure(full(short.sh, short.vals));
    expect(f).toMatchObject({ check: 'commit.voting_power', expected: 'voting power > 6666 of 10000 (2/3)', found: '6666', height: 7n });
    expect(failure(light(short.sh, short.vals)).check).toBe('commit.voting_power');
    const enough = chain(powers, [C, C, A]);
    expect(full(enough.sh, enough.vals)).toEqual({ ok: true });
    // exactly 2/3 of 3 is not enough
    const three = chain([1n, 1n, 1n], [C, C, A]);
    expect(failure(full(three.sh, three.vals))).toMatchObject({ expected: 'voting power > 2 of 3 (2/3)', found: '2' });
  });

  it('VerifyCommit checks Nil signatures but does not count them; VerifyCommitLight ignores them', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n], [C, C, C, N]);
    expect(full(sh, vals)).toEqual({ ok: true });
    const bad = clone(sh);
    bad.commit.signatures[3]!.signature[5]! ^= 1;
    const f = failure(full(bad, vals));
    expect(f.check).toBe('commit.signature');
    expect(f.expected).toContain(`validator #3 ${toHex(vals.validators[3]!.address)}`);
    expect(light(bad, vals)).toEqual({ ok: true });
    const nils = chain([10n, 10n, 10n, 10n], [C, C, N, N]);
    expect(failure(full(nils.sh, nils.vals))).toMatchObject({ check: 'commit.voting_power', found: '20' });
  });

  it('VerifyCommitLight stops once 2/3 is reached; VerifyCommit checks every signature', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n]);
    const bad = clone(sh);
    bad.commit.signatures[3]!.signature[0]! ^= 1;
    expect(light(bad, vals)).toEqual({ ok: true });
    expect(failure(full(bad, vals))).toMatchObject({ check: 'commit.signature', detail: expect.stringContaining('signature #3') });
    const early = clone(sh);
    early.commit.signatures[0]!.signature[0]! ^= 1;
    expect(failure(light(early, vals)).check).toBe('commit.signature');
  });

  it('with >= 2 signatures tallies before verifying (verifyCommitBatch); a single signature is checked first (verifyCommitSingle)', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n], [C, C, A, A]);
    const bad = clone(sh);
    bad.commit.signatures[0]!.signature[0]! ^= 1;
    expect(failure(full(bad, vals)).check).toBe('commit.voting_power');
    const one = chain([10n]);
    const bad1 = clone(one.sh);
    bad1.commit.signatures[0]!.signature[0]! ^= 1;
    expect(failure(full(bad1, one.vals)).check).toBe('commit.signature');
    // ...but BatchVerifier.Add rejects a wrong-length signature before the tally is checked
    const short = clone(sh);
    short.commit.signatures[1]!.signature = short.commit.signatures[1]!.signature.slice(0, 63);
    expect(failure(full(short, vals))).toMatchObject({ check: 'commit.signature', found: '63-byte signature' });
  });

  it('checks size, height and block id (verifyBasicValsAndCommit)', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n]);
    const fewer = clone(sh);
    fewer.commit.signatures.pop();
    expect(failure(full(fewer, vals))).toMatchObject({ check: 'commit.size', expected: '4 signatures (one per validator)', found: '3' });
    expect(failure(verifyCommit('custos-test', vals, sh.commit.blockId, 8n, sh.commit, V))).toMatchObject({ check: 'commit.height', expected: '8', found: '7' });
    const otherId = clone(sh.commit.blockId);
    otherId.parts.total = 2;
    expect(failure(verifyCommit('custos-test', vals, otherId, 7n, sh.commit, V)).check).toBe('commit.block_id');
  });

  it('requires signature i to be by validator i (v0.38.25 address check)', () => {
    const { sh, vals, keys } = chain([10n, 10n, 10n, 10n]);
    const swapped = clone(sh);
    const s = swapped.commit.signatures;
    [s[0], s[1]] = [s[1]!, s[0]!];
    const f = failure(full(swapped, vals));
    expect(f).toMatchObject({ check: 'commit.validator_address', expected: `validator #0 ${toHex(vals.validators[0]!.address)}`, found: toHex(vals.validators[1]!.address) });
    // the trusting variant looks up by address, so order does not matter to it
    expect(trusting(signCommit('custos-test', swapped.commit, keys), vals)).toEqual({ ok: true });
  });

  it('rejects malformed CommitSigs (CommitSig.ValidateBasic)', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n], [C, C, C, A]);
    const withAddr = clone(sh);
    withAddr.commit.signatures[3]!.validatorAddress = vals.validators[3]!.address;
    expect(failure(full(withAddr, vals))).toMatchObject({ check: 'commit.basic', detail: 'signature #3', expected: 'an Absent signature without a validator address' });
    const withSig = clone(sh);
    withSig.commit.signatures[3]!.signature = new Uint8Array(64);
    expect(failure(light(withSig, vals)).check).toBe('commit.basic');
    const withTime = clone(sh);
    withTime.commit.signatures[3]!.timestamp = ts(5);
    expect(failure(trusting(withTime.commit, vals)).check).toBe('commit.basic');
    const unknown = clone(sh);
    unknown.commit.signatures[0]!.blockIdFlag = BlockIdFlag.Unknown;
    expect(failure(full(unknown, vals))).toMatchObject({ check: 'commit.basic', found: 'unknown BlockIDFlag 0' });
    const noSig = clone(sh);
    noSig.commit.signatures[1]!.signature = new Uint8Array(0);
    expect(failure(full(noSig, vals)).check).toBe('commit.basic');
    const shortSig = clone(sh);
    shortSig.commit.signatures[1]!.signature = shortSig.commit.signatures[1]!.signature.slice(0, 63);
    expect(failure(full(shortSig, vals)).check).toBe('commit.signature');
  });

  it('rejects bad validator sets (duplicates, underived addresses, empty)', () => {
    const { sh, vals } = chain([10n, 10n, 10n, 10n]);
    const dup: ValidatorSet = { validators: [vals.validators[0]!, ...vals.validators.slice(0, 3)] };
    expect(failure(full(sh, dup))).toMatchObject({ check: 'validators.basic', expected: 'distinct validator addresses' });
    const wrongAddr = clone(vals);
    wrongAddr.validators[2]!.address = testValidator('x', 1n).address;
    expect(failure(full(sh, wrongAddr)).check).toBe('validators.basic');
    expect(failure(full(sh, { validators: [] })).check).toBe('validators.basic');
    const neg = clone(vals);
    neg.validators[1]!.votingPower = -1n;
    expect(failure(full(sh, neg)).check).toBe('validators.basic');
  });

  it('treats the validator set in canonical order whatever order it is given in', () => {
    const { sh, vals } = chain([40n, 30n, 20n, 10n]);
    const shuffled: ValidatorSet = { validators: [...vals.validators].reverse() };
    expect(full(sh, shuffled)).toEqual({ ok: true });
    const p = prepareValidatorSet(shuffled, 1n);
    expect('ok' in p).toBe(false);
    if (!('ok' in p)) expect(p.validators.map((v) => v.votingPower)).toEqual([40n, 30n, 20n, 10n]);
  });

  it('trusting: looks up by address, skips unknown signers, rejects a double vote, uses the trust level', () => {
    const { sh, vals, keys } = chain([25n, 25n, 25n, 25n]);
    // A set sharing only validator #0 of four: 25 of 100 is not > 100/3 = 33.
    const other = testValidatorSet([25n, 25n, 25n], 'w').vals;
    const mixed: ValidatorSet = { validators: [vals.validators[0]!, ...other.validators] };
    expect(failure(trusting(sh.commit, mixed))).toMatchObject({ check: 'commit.voting_power', expected: 'voting power > 33 of 100 (1/3)', found: '25' });
    const two: ValidatorSet = { validators: [vals.validators[0]!, vals.validators[1]!, ...other.validators.slice(0, 2)] };
    expect(trusting(sh.commit, two)).toEqual({ ok: true }); // 50 > 33
    expect(failure(trusting(sh.commit, two, 2, 3)).expected).toBe('voting power > 66 of 100 (2/3)');
    // validator #0 signs twice (at #0 and #1)
    const dbl = clone(sh.commit);
    dbl.signatures[1]!.validatorAddress = dbl.signatures[0]!.validatorAddress;
    const f = failure(trusting(signCommit('custos-test', dbl, keys), { validators: [vals.validators[0]!, ...other.validators] }));
    expect(f).toMatchObject({ check: 'commit.double_vote' });
    expect(f.found).toContain(`${toHex(vals.validators[0]!.address)} signed at #0 and #1`);
    expect(failure(trusting(sh.commit, vals, 1, 0)).check).toBe('light.trust_level');
  });

  it('never throws on wrong-length keys or signatures', () => {
    expect(V.verify(new Uint8Array(63), new Uint8Array(1), new Uint8Array(32))).toBe(false);
    expect(V.verify(new Uint8Array(64), new Uint8Array(1), new Uint8Array(31))).toBe(false);
    expect(V.verify(new Uint8Array(64).fill(255), new Uint8Array(1), new Uint8Array(32).fill(255))).toBe(false);
    expect(hex(new Uint8Array([1, 255]))).toBe('01ff');
  });
});
