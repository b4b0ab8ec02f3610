// Commit (certificate) verification with CometBFT v0.38 semantics (types/validation.go, as of
// v0.38.25). Each function returns a Verdict naming the first broken rule.
//
//   verifyCommit              VerifyCommit: every non-absent signature is checked (Nil votes too),
//                             only Commit votes count, power must be > 2/3 of the set.
//   verifyCommitLight         VerifyCommitLight: only Commit votes are checked and counted, stops
//                             once > 2/3 is reached.
//   verifyCommitLightTrusting VerifyCommitLightTrusting: validators looked up by address (the set
//                             may differ from the signers), each counted once, > trustLevel.
//
// All three first apply the validation CometBFT runs before any of them (Commit.ValidateBasic /
// CommitSig.ValidateBasic in types/block.go, ValidatorSet.ValidateBasic in
// types/validator_set.go) so that malformed input is named precisely instead of mis-tallied.
import { bytesEqual, toHex } from './bytes';
import { ED25519_SIGNATURE_SIZE, type Ed25519Verifier } from './ed25519';
import { validatorAddress, sortValidators } from './hash';
import { commitSigSignBytes, isZeroBlockId } from './sign-bytes';
import { formatTimestamp } from './timestamp';
import { BlockIdFlag, type BlockId, type Commit, type CommitSig, type Validator, type ValidatorSet } from './types';
import { fail, OK, type Failure, type Verdict } from './verdict';

/** crypto.AddressSize */
export const ADDRESS_SIZE = 20;
/** types/signable.go MaxSignatureSize (= ed25519.SignatureSize). */
export const MAX_SIGNATURE_SIZE = 64;
/** types/validator_set.go MaxTotalVotingPower = MaxInt64 / 8 */
export const MAX_TOTAL_VOTING_POWER = (2n ** 63n - 1n) / 8n;
const MAX_INT64 = 2n ** 63n - 1n;

/** libs/math.Fraction (uint64 numerator and denominator). */
export interface TrustLevel {
  numerator: bigint | number;
  denominator: bigint | number;
}

/** light/verifier.go DefaultTrustLevel */
export const DEFAULT_TRUST_LEVEL: TrustLevel = Object.freeze({ numerator: 1n, denominator: 3n });

export function describeBlockId(b: BlockId): string {
  if (isZeroBlockId(b)) return 'the nil BlockID';
  return `${toHex(b.hash)}:${b.parts.total}:${toHex(b.parts.hash)}`;
}

/** types.BlockID.Equals */
export function blockIdEquals(a: BlockId, b: BlockId): boolean {
  return bytesEqual(a.hash, b.hash) && a.parts.total === b.parts.total && bytesEqual(a.parts.hash, b.parts.hash);
}

function shortHex(b: Uint8Array, n = 16): string {
  const h = toHex(b);
  return h.length > n ? `${h.slice(0, n)}…` : h || '(empty)';
}

const FLAG_NAMES: Record<number, string> = { 1: 'Absent', 2: 'Commit', 3: 'Nil' };

// ---------------------------------------------------------------------------------------------
// Basic validation

/** types/block.go CommitSig.ValidateBasic */
export function validateCommitSigBasic(sig: CommitSig, idx: number, height: bigint): Verdict {
  const at = `signature #${idx}`;
  const bad = (expected: string, found: string): Failure => fail(height, 'commit.basic', expected, found, at);
  switch (sig.blockIdFlag) {
    case BlockIdFlag.Absent:
      if (sig.validatorAddress.length !== 0) return bad('an Absent signature without a validator address', `address ${toHex(sig.validatorAddress)}`);
      if (!isZeroTime(sig.timestamp)) return bad('an Absent signature without a timestamp', `timestamp ${formatTimestamp(sig.timestamp)}`);
      if (sig.signature.length !== 0) return bad('an Absent signature without signature bytes', `${sig.signature.length} signature bytes`);
      return OK;
    case BlockIdFlag.Commit:
    case BlockIdFlag.Nil:
      if (sig.validatorAddress.length !== ADDRESS_SIZE) return bad(`a ${ADDRESS_SIZE}-byte validator address`, `${sig.validatorAddress.length} bytes`);
      if (sig.signature.length === 0) return bad('a signature', 'none (signature is missing)');
      if (sig.signature.length > MAX_SIGNATURE_SIZE) return bad(`a signature of at most ${MAX_SIGNATURE_SIZE} bytes`, `${sig.signature.length} bytes`);
      return OK;
    default:
      return bad('BlockIDFlag Absent (1), Commit (2) or Nil (3)', `unknown BlockIDFlag ${String(sig.blockIdFlag)}`);
  }
}

/**
 * time.Time.IsZero: Go's zero time 0001-01-01T00:00:00Z. The Unix epoch is accepted too:
 * tendermint-rs (which wrote the light-client vectors) prints an absent signature's missing
 * timestamp as 1970-01-01T00:00:00Z.
 */
function isZeroTime(t: { seconds: bigint; nanos: number }): boolean {
  return t.nanos === 0 && (t.seconds === -62135596800n || t.seconds === 0n);
}

/** types/block.go Commit.ValidateBasic */
export function validateCommitBasic(commit: Commit): Verdict {
  const h = commit.height;
  if (h < 0n) return fail(h, 'commit.height', 'a non-negative height', String(h));
  if (commit.round < 0) return fail(h, 'commit.basic', 'a non-negative round', String(commit.round));
  if (h >= 1n) {
    if (isZeroBlockId(commit.blockId)) return fail(h, 'commit.block_id', 'a commit for a block', 'a commit for the nil block');
    if (commit.signatures.length === 0) return fail(h, 'commit.size', 'at least one signature', 'no signatures');
    for (let i = 0; i < commit.signatures.length; i++) {
      const v = validateCommitSigBasic(commit.signatures[i]!, i, h);
      if (!v.ok) return v;
    }
  }
  return OK;
}

/** A validator set checked and in CometBFT's canonical order, with its total power and address index. */
export interface PreparedValidatorSet {
  validators: readonly Validator[];
  totalVotingPower: bigint;
  indexByAddress: ReadonlyMap<string, number>;
}

function isCanonicalOrder(vs: readonly Validator[]): boolean {
  for (let i = 1; i < vs.length; i++) {
    const a = vs[i - 1]!, b = vs[i]!;
    if (a.votingPower < b.votingPower) return false;
    if (a.votingPower === b.votingPower && compareBytes(a.address, b.address) > 0) return false;
  }
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * types/validator_set.go ValidatorSet.ValidateBasic and Validator.ValidateBasic (non-empty,
 * non-negative power, address derived from the key), ValidatorSetFromProto's
 * TotalVotingPowerSafe (total <= MaxTotalVotingPower), and the duplicate-address rule of
 * NewValidatorSet / verifyUpdates. The result is in the canonical order
 * (ValidatorsByVotingPower: power descending, then address ascending) that commit signature
 * indices refer to; CometBFT's ValidatorSet is always kept in that order.
 */
export function prepareValidatorSet(vals: ValidatorSet, height: bigint): PreparedValidatorSet | Failure {
  const bad = (expected: string, found: string, detail?: string): Failure => fail(height, 'validators.basic', expected, found, detail);
  if (vals.validators.length === 0) return bad('a non-empty validator set', 'no validators');
  const indexByAddress = new Map<string, number>();
  let total = 0n;
  for (let i = 0; i < vals.validators.length; i++) {
    const v = vals.validators[i]!;
    const at = `validator ${toHex(v.address)}`;
    if (v.pubKeyType !== 'ed25519' || v.pubKey.length !== 32) return bad('a 32-byte Ed25519 public key', `${v.pubKeyType} key of ${v.pubKey.length} bytes`, at);
    if (v.votingPower < 0n) return bad('a non-negative voting power', String(v.votingPower), at);
    const derived = validatorAddress(v.pubKey);
    if (!bytesEqual(derived, v.address)) return bad(`address ${toHex(derived)} (derived from the public key)`, toHex(v.address), at);
    const id = toHex(v.address);
    if (indexByAddress.has(id)) return bad('distinct validator addresses', `${id} twice`);
    indexByAddress.set(id, i);
    total += v.votingPower;
    if (total > MAX_TOTAL_VOTING_POWER) return bad(`total voting power <= ${MAX_TOTAL_VOTING_POWER}`, `more than ${MAX_TOTAL_VOTING_POWER}`);
  }
  let validators: readonly Validator[] = vals.validators;
  if (!isCanonicalOrder(validators)) {
    validators = sortValidators(vals).validators;
    indexByAddress.clear();
    validators.forEach((v, i) => indexByAddress.set(toHex(v.address), i));
  }
  return { validators, totalVotingPower: total, indexByAddress };
}

// ---------------------------------------------------------------------------------------------
// The tally (types/validation.go verifyCommitBatch / verifyCommitSingle)

interface TallyRules {
  /** ignoreSig: signatures skipped entirely. */
  ignore: (flag: BlockIdFlag) => boolean;
  /** countSig: signatures whose validator's power is tallied. */
  count: (flag: BlockIdFlag) => boolean;
  /** countAllSignatures: false lets the tally stop once the threshold is passed. */
  countAll: boolean;
  /** lookUpByIndex: true when vals and commit correspond 1:1 (same height). */
  byIndex: boolean;
  needed: bigint;
  /** How the threshold reads in a Failure, e.g. "2/3". */
  threshold: string;
}

interface Entry { idx: number; val: Validator }

function tally(chainId: string, vals: PreparedValidatorSet, commit: Commit, rules: TallyRules, verifier: Ed25519Verifier): Verdict {
  const h = commit.height;
  const sigs = commit.signatures;
  // verifyCommitBatch is used for Ed25519 sets whenever the commit has >= 2 signatures
  // (shouldBatchVerify, batchVerifyThreshold = 2): it tallies first and verifies afterwards,
  // so "not enough power" outranks a bad signature. verifyCommitSingle checks as it goes.
  const batch = sigs.length >= 2;
  const seen = new Map<number, number>();
  const entries: Entry[] = [];
  let tallied = 0n;

  for (let idx = 0; idx < sigs.length; idx++) {
    const sig = sigs[idx]!;
    if (rules.ignore(sig.blockIdFlag)) continue;
    let val: Validator;
    if (rules.byIndex) {
      val = vals.validators[idx]!;
      // v0.38.25 verifyCommitBatch/Single: "validator address mismatch at index".
      if (!bytesEqual(val.address, sig.validatorAddress)) {
        return fail(h, 'commit.validator_address', `validator #${idx} ${toHex(val.address)}`, toHex(sig.validatorAddress), `signature #${idx} belongs to another validator`);
      }
    } else {
      const valIdx = vals.indexByAddress.get(toHex(sig.validatorAddress));
      if (valIdx === undefined) continue; // not in this set: skipped
      const first = seen.get(valIdx);
      if (first !== undefined) {
        return fail(h, 'commit.double_vote', 'at most one signature per validator', `validator ${toHex(sig.validatorAddress)} signed at #${first} and #${idx}`);
      }
      seen.set(valIdx, idx);
      val = vals.validators[valIdx]!;
    }
    if (!batch) {
      const bad = checkSignature(chainId, commit, idx, val, verifier);
      if (bad) return bad;
    } else {
      // crypto/ed25519 BatchVerifier.Add refuses a wrong-length signature on the spot.
      if (sig.signature.length !== ED25519_SIGNATURE_SIZE) return signatureFailure(chainId, commit, idx, val, `${sig.signature.length}-byte signature`);
      entries.push({ idx, val });
    }
    if (rules.count(sig.blockIdFlag)) tallied += val.votingPower;
    if (!rules.countAll && tallied > rules.needed) break;
  }

  if (tallied <= rules.needed) {
    return fail(h, 'commit.voting_power', `voting power > ${rules.needed} of ${vals.totalVotingPower} (${rules.threshold})`, String(tallied),
      `${rules.threshold} of ${vals.totalVotingPower} is ${rules.needed}; signatures for the block carry ${tallied}`);
  }
  for (const e of entries) {
    const bad = checkSignature(chainId, commit, e.idx, e.val, verifier);
    if (bad) return bad;
  }
  return OK;
}

function checkSignature(chainId: string, commit: Commit, idx: number, val: Validator, verifier: Ed25519Verifier): Failure | null {
  const sig = commit.signatures[idx]!;
  const msg = commitSigSignBytes(chainId, commit, idx);
  if (verifier.verify(sig.signature, msg, val.pubKey)) return null;
  return signatureFailure(chainId, commit, idx, val, `invalid signature ${shortHex(sig.signature)}`);
}

function signatureFailure(chainId: string, commit: Commit, idx: number, val: Validator, found: string): Failure {
  const sig = commit.signatures[idx]!;
  return fail(commit.height, 'commit.signature',
    `a valid ${FLAG_NAMES[sig.blockIdFlag] ?? ''} signature from validator #${idx} ${toHex(val.address)}`.replace('  ', ' '),
    found,
    `signature #${idx}, chain ${JSON.stringify(chainId)}, round ${commit.round}, timestamp ${formatTimestamp(sig.timestamp)}`);
}

/** types/validation.go verifyBasicValsAndCommit (preceded by Commit.ValidateBasic). */
function basicValsAndCommit(vals: ValidatorSet, blockId: BlockId, height: bigint, commit: Commit): PreparedValidatorSet | Failure {
  const cb = validateCommitBasic(commit);
  if (!cb.ok) return cb;
  const prepared = prepareValidatorSet(vals, commit.height);
  if ('ok' in prepared) return prepared;
  if (prepared.validators.length !== commit.signatures.length) {
    return fail(commit.height, 'commit.size', `${prepared.validators.length} signatures (one per validator)`, String(commit.signatures.length));
  }
  if (height !== commit.height) return fail(height, 'commit.height', String(height), String(commit.height));
  if (!blockIdEquals(blockId, commit.blockId)) {
    return fail(height, 'commit.block_id', describeBlockId(blockId), describeBlockId(commit.blockId));
  }
  return prepared;
}

// ---------------------------------------------------------------------------------------------
// The three public verifications

/**
 * types/validation.go VerifyCommit: > 2/3 of `vals` committed `blockId` at `height`. Every
 * non-absent signature (Commit and Nil) is verified; only Commit ones count.
 */
export function verifyCommit(chainId: string, vals: ValidatorSet, blockId: BlockId, height: bigint, commit: Commit, verifier: Ed25519Verifier): Verdict {
  const p = basicValsAndCommit(vals, blockId, height, commit);
  if ('ok' in p) return p;
  return tally(chainId, p, commit, {
    ignore: (f) => f === BlockIdFlag.Absent,
    count: (f) => f === BlockIdFlag.Commit,
    countAll: true,
    byIndex: true,
    needed: (p.totalVotingPower * 2n) / 3n,
    threshold: '2/3',
  }, verifier);
}

/**
 * types/validation.go VerifyCommitLight: > 2/3 of `vals` committed; only Commit signatures are
 * verified and counted, and verification stops once the threshold is passed.
 */
export function verifyCommitLight(chainId: string, vals: ValidatorSet, blockId: BlockId, height: bigint, commit: Commit, verifier: Ed25519Verifier): Verdict {
  const p = basicValsAndCommit(vals, blockId, height, commit);
  if ('ok' in p) return p;
  return tally(chainId, p, commit, {
    ignore: (f) => f !== BlockIdFlag.Commit,
    count: () => true,
    countAll: false,
    byIndex: true,
    needed: (p.totalVotingPower * 2n) / 3n,
    threshold: '2/3',
  }, verifier);
}

/**
 * types/validation.go VerifyCommitLightTrusting: more than `trustLevel` of `vals` (which need
 * not be the set that signed) committed. Signers are found by address, unknown ones skipped,
 * a validator signing twice is an error. Needed power is total * numerator / denominator in
 * int64 (overflow is an error, as safeMul).
 */
export function verifyCommitLightTrusting(chainId: string, vals: ValidatorSet, commit: Commit, trustLevel: TrustLevel, verifier: Ed25519Verifier): Verdict {
  const num = BigInt(trustLevel.numerator), den = BigInt(trustLevel.denominator);
  if (den === 0n) return fail(commit.height, 'light.trust_level', 'a trust level with a non-zero denominator', `${num}/${den}`);
  const cb = validateCommitBasic(commit);
  if (!cb.ok) return cb;
  const p = prepareValidatorSet(vals, commit.height);
  if ('ok' in p) return p;
  const product = p.totalVotingPower * num;
  if (product > MAX_INT64) return fail(commit.height, 'light.trust_level', 'total voting power * trust numerator within int64', String(product));
  return tally(chainId, p, commit, {
    ignore: (f) => f !== BlockIdFlag.Commit,
    count: () => true,
    countAll: false,
    byIndex: false,
    needed: product / den,
    threshold: `${num}/${den}`,
  }, verifier);
}
