// Header-to-header verification: the light-client rules of CometBFT v0.38 light/verifier.go
// (VerifyAdjacent, VerifyNonAdjacent, Verify, verifyNewHeaderAndVals, HeaderExpired) with
// types/light.go SignedHeader.ValidateBasic and types/block.go Header.ValidateBasic, and the
// hash-chain link a full replica checks between consecutive blocks (state/validation.go
// validateBlock). Every predicate returns a Verdict; light-client outcomes classify as
// SUCCESS / NOT_ENOUGH_TRUST (check 'light.not_enough_trust') / INVALID (anything else).
import { bytesEqual, toHex } from './bytes';
import {
  blockIdEquals,
  DEFAULT_TRUST_LEVEL,
  describeBlockId,
  validateCommitBasic,
  verifyCommitLight,
  verifyCommitLightTrusting,
  type TrustLevel,
} from './commit';
import type { Ed25519Verifier } from './ed25519';
import { headerHash, validatorSetHash } from './hash';
import { formatTimestamp } from './timestamp';
import type { BlockId, Header, SignedHeader, Timestamp, ValidatorSet } from './types';
import { fail, OK, type CheckName, type Failure, type Verdict } from './verdict';

/** version.BlockProtocol */
export const BLOCK_PROTOCOL = 11n;
/** types/genesis.go MaxChainIDLen */
export const MAX_CHAIN_ID_LEN = 50;
const HASH_SIZE = 32;
const ADDRESS_SIZE = 20;

/** A header the light client already trusts, with the validator set it names as next. */
export interface TrustedState {
  signedHeader: SignedHeader;
  /** The set whose hash is signedHeader.header.nextValidatorsHash (light/verifier.go: trustedVals at X+1). */
  nextValidators: ValidatorSet;
}

export interface LightOptions {
  /** How long a trusted header stays usable, in nanoseconds. */
  trustingPeriodNs: bigint;
  now: Timestamp;
  /** How far in the future an untrusted header's time may be, in nanoseconds. */
  maxClockDriftNs: bigint;
  /** Non-adjacent trust threshold; default 1/3 (light/verifier.go DefaultTrustLevel). */
  trustLevel?: TrustLevel;
}

export type LightVerdictKind = 'SUCCESS' | 'NOT_ENOUGH_TRUST' | 'INVALID';

/** light/errors.go: ErrNewValSetCantBeTrusted is NOT_ENOUGH_TRUST, every other error INVALID. */
export function classifyLightVerdict(v: Verdict): LightVerdictKind {
  if (v.ok) return 'SUCCESS';
  return v.check === 'light.not_enough_trust' ? 'NOT_ENOUGH_TRUST' : 'INVALID';
}

export function timestampNs(t: Timestamp): bigint {
  return t.seconds * 1_000_000_000n + BigInt(t.nanos);
}

function fromNs(ns: bigint): Timestamp {
  let seconds = ns / 1_000_000_000n;
  let nanos = ns - seconds * 1_000_000_000n;
  if (nanos < 0n) { nanos += 1_000_000_000n; seconds -= 1n; }
  return { seconds, nanos: Number(nanos) };
}

const fmt = (t: Timestamp): string => formatTimestamp(t);

// ---------------------------------------------------------------------------------------------
// Basic validation

function hashLen(h: bigint, check: CheckName, name: string, v: Uint8Array): Failure | null {
  // types/validation.go ValidateHash: empty or tmhash.Size.
  if (v.length !== 0 && v.length !== HASH_SIZE) return fail(h, check, `${name} of 0 or ${HASH_SIZE} bytes`, `${v.length} bytes`);
  return null;
}

/** types/block.go Header.ValidateBasic */
export function validateHeaderBasic(hd: Header): Verdict {
  const h = hd.height;
  if (hd.version.block !== BLOCK_PROTOCOL) return fail(h, 'header.version', `block protocol ${BLOCK_PROTOCOL}`, String(hd.version.block));
  if (hd.chainId.length > MAX_CHAIN_ID_LEN) return fail(h, 'header.chain_id', `a chain id of at most ${MAX_CHAIN_ID_LEN} characters`, `${hd.chainId.length} characters`);
  if (h <= 0n) return fail(h, 'header.height', 'a positive height', String(h));
  const lb = hd.lastBlockId;
  const bad =
    hashLen(h, 'header.last_block_id', 'last_block_id.hash', lb.hash) ??
    hashLen(h, 'header.last_block_id', 'last_block_id.parts.hash', lb.parts.hash) ??
    hashLen(h, 'header.last_commit_hash', 'last_commit_hash', hd.lastCommitHash) ??
    hashLen(h, 'header.data_hash', 'data_hash', hd.dataHash) ??
    hashLen(h, 'header.evidence_hash', 'evidence_hash', hd.evidenceHash) ??
    (hd.proposerAddress.length !== ADDRESS_SIZE ? fail(h, 'header.proposer_address', `a ${ADDRESS_SIZE}-byte proposer address`, `${hd.proposerAddress.length} bytes`) : null) ??
    hashLen(h, 'header.validators_hash', 'validators_hash', hd.validatorsHash) ??
    hashLen(h, 'header.next_validators_hash', 'next_validators_hash', hd.nextValidatorsHash) ??
    hashLen(h, 'header.consensus_hash', 'consensus_hash', hd.consensusHash) ??
    hashLen(h, 'header.last_results_hash', 'last_results_hash', hd.lastResultsHash);
  return bad ?? OK;
}

/** The header hashes to the BlockID's hash (types/light.go SignedHeader.ValidateBasic, last rule). */
export function headerMatchesBlockId(hd: Header, blockId: BlockId): Verdict {
  const hh = headerHash(hd);
  if (bytesEqual(hh, blockId.hash)) return OK;
  return fail(hd.height, 'header.hash', `header hash ${toHex(blockId.hash)} (the block id the commit signs)`, toHex(hh));
}

/** types/light.go SignedHeader.ValidateBasic(chainID) */
export function validateSignedHeaderBasic(sh: SignedHeader, chainId: string): Verdict {
  const hb = validateHeaderBasic(sh.header);
  if (!hb.ok) return hb;
  const cb = validateCommitBasic(sh.commit);
  if (!cb.ok) return cb;
  const h = sh.header.height;
  if (sh.header.chainId !== chainId) return fail(h, 'header.chain_id', JSON.stringify(chainId), JSON.stringify(sh.header.chainId));
  if (sh.commit.height !== h) return fail(h, 'commit.height', `${h} (the header's height)`, String(sh.commit.height));
  return headerMatchesBlockId(sh.header, sh.commit.blockId);
}

/** The set hashes to `expected` (ValidatorsHash / NextValidatorsHash). */
export function validatorsMatch(height: bigint, check: 'header.validators_hash' | 'header.next_validators_hash', expected: Uint8Array, vals: ValidatorSet, what: string): Verdict {
  const vh = validatorSetHash(vals);
  if (bytesEqual(vh, expected)) return OK;
  return fail(height, check, toHex(expected), `${toHex(vh)} (hash of ${what})`);
}

// ---------------------------------------------------------------------------------------------
// Light-client predicates (light/verifier.go)

/** HeaderExpired: usable while trusted.time + trustingPeriod is after now. */
export function checkWithinTrustingPeriod(trusted: Header, trustingPeriodNs: bigint, now: Timestamp, height: bigint): Verdict {
  const expires = timestampNs(trusted.time) + trustingPeriodNs;
  if (expires > timestampNs(now)) return OK;
  return fail(height, 'light.trusting_period', `now (${fmt(now)}) before the trusted header at ${trusted.height} expires`,
    `it expired at ${fmt(fromNs(expires))}`);
}

/** verifyNewHeaderAndVals */
export function verifyNewHeaderAndVals(untrusted: SignedHeader, untrustedVals: ValidatorSet, trusted: Header, now: Timestamp, maxClockDriftNs: bigint): Verdict {
  const basic = validateSignedHeaderBasic(untrusted, trusted.chainId);
  if (!basic.ok) return basic;
  const u = untrusted.header;
  if (u.height <= trusted.height) return fail(u.height, 'header.height', `a height greater than ${trusted.height} (the trusted header)`, String(u.height));
  if (timestampNs(u.time) <= timestampNs(trusted.time)) {
    return fail(u.height, 'header.time', `a time after ${fmt(trusted.time)} (the trusted header)`, fmt(u.time));
  }
  const limit = timestampNs(now) + maxClockDriftNs;
  if (timestampNs(u.time) >= limit) {
    return fail(u.height, 'light.header_from_future', `a time before ${fmt(fromNs(limit))} (now + max clock drift)`, fmt(u.time));
  }
  return validatorsMatch(u.height, 'header.validators_hash', u.validatorsHash, untrustedVals, 'the supplied validator set');
}

/**
 * VerifyAdjacent: `untrusted` is at trusted height + 1; its ValidatorsHash must equal the
 * trusted NextValidatorsHash and > 2/3 of `untrustedVals` must have signed it.
 */
export function verifyAdjacent(trusted: TrustedState, untrusted: SignedHeader, untrustedVals: ValidatorSet, opts: LightOptions, verifier: Ed25519Verifier): Verdict {
  const th = trusted.signedHeader.header, u = untrusted.header;
  if (u.height !== th.height + 1n) return fail(u.height, 'header.height', `${th.height + 1n} (adjacent to the trusted header)`, String(u.height));
  const tp = checkWithinTrustingPeriod(th, opts.trustingPeriodNs, opts.now, u.height);
  if (!tp.ok) return tp;
  const nv = verifyNewHeaderAndVals(untrusted, untrustedVals, th, opts.now, opts.maxClockDriftNs);
  if (!nv.ok) return nv;
  if (!bytesEqual(u.validatorsHash, th.nextValidatorsHash)) {
    return fail(u.height, 'header.validators_hash', `${toHex(th.nextValidatorsHash)} (next_validators_hash of the trusted header)`, toHex(u.validatorsHash));
  }
  return verifyCommitLight(th.chainId, untrustedVals, untrusted.commit.blockId, u.height, untrusted.commit, verifier);
}

/** ValidateTrustLevel: within [1/3, 1]. */
export function validateTrustLevel(lvl: TrustLevel, height: bigint): Verdict {
  const n = BigInt(lvl.numerator), d = BigInt(lvl.denominator);
  if (n * 3n < d || n > d || d === 0n) return fail(height, 'light.trust_level', 'a trust level within [1/3, 1]', `${n}/${d}`);
  return OK;
}

/**
 * VerifyNonAdjacent: `untrusted` is further ahead; more than trustLevel (default 1/3) of the
 * trusted next validators must have signed it (else NOT_ENOUGH_TRUST: 'light.not_enough_trust'),
 * then > 2/3 of `untrustedVals` (checked last: untrustedVals may be made large to DoS).
 */
export function verifyNonAdjacent(trusted: TrustedState, untrusted: SignedHeader, untrustedVals: ValidatorSet, opts: LightOptions, verifier: Ed25519Verifier): Verdict {
  const th = trusted.signedHeader.header, u = untrusted.header;
  if (u.height === th.height + 1n) return fail(u.height, 'header.height', `a height other than ${u.height} (non-adjacent to the trusted header)`, String(u.height));
  const trustLevel = opts.trustLevel ?? DEFAULT_TRUST_LEVEL;
  const tl = validateTrustLevel(trustLevel, u.height);
  if (!tl.ok) return tl;
  const tp = checkWithinTrustingPeriod(th, opts.trustingPeriodNs, opts.now, u.height);
  if (!tp.ok) return tp;
  const nv = verifyNewHeaderAndVals(untrusted, untrustedVals, th, opts.now, opts.maxClockDriftNs);
  if (!nv.ok) return nv;
  // The trusted next set must be the one the trusted header names (tendermint-rs leaves this
  // to the caller; checking it keeps a wrong set from lending trust).
  const tn = validatorsMatch(th.height, 'header.next_validators_hash', th.nextValidatorsHash, trusted.nextValidators, 'the trusted next validator set');
  if (!tn.ok) return tn;
  const trust = verifyCommitLightTrusting(th.chainId, trusted.nextValidators, untrusted.commit, trustLevel, verifier);
  if (!trust.ok) {
    if (trust.check !== 'commit.voting_power') return trust;
    return fail(trust.height, 'light.not_enough_trust', trust.expected.replace('voting power', 'trusted voting power'), trust.found,
      `the trusted validators at ${th.height} did not sign enough of this header: ${trust.detail ?? ''}`);
  }
  return verifyCommitLight(th.chainId, untrustedVals, untrusted.commit.blockId, u.height, untrusted.commit, verifier);
}

/** Verify: VerifyAdjacent at trusted height + 1, VerifyNonAdjacent otherwise. */
export function verify(trusted: TrustedState, untrusted: SignedHeader, untrustedVals: ValidatorSet, opts: LightOptions, verifier: Ed25519Verifier): Verdict {
  if (untrusted.header.height !== trusted.signedHeader.header.height + 1n) {
    return verifyNonAdjacent(trusted, untrusted, untrustedVals, opts, verifier);
  }
  return verifyAdjacent(trusted, untrusted, untrustedVals, opts, verifier);
}

// ---------------------------------------------------------------------------------------------
// Full-replica linkage

/** A block header with the BlockID it was committed under. */
export interface LinkedHeader {
  header: Header;
  blockId: BlockId;
}

/**
 * Consecutive blocks of a full replica link up (state/validation.go validateBlock against the
 * state after `prev`): same chain, height + 1, LastBlockID = prev's BlockID, time strictly
 * later (MedianTime of the last commit is always after the previous block's time), and
 * ValidatorsHash = prev's NextValidatorsHash. That `prev.blockId.hash` is prev's header hash is
 * headerMatchesBlockId's job.
 */
export function verifyLinked(prev: LinkedHeader, next: Header): Verdict {
  const p = prev.header, h = next.height;
  if (next.chainId !== p.chainId) return fail(h, 'header.chain_id', JSON.stringify(p.chainId), JSON.stringify(next.chainId));
  if (h !== p.height + 1n) return fail(h, 'header.height', `${p.height + 1n} (after ${p.height})`, String(h));
  if (!blockIdEquals(next.lastBlockId, prev.blockId)) {
    return fail(h, 'header.last_block_id', `${describeBlockId(prev.blockId)} (block ${p.height})`, describeBlockId(next.lastBlockId));
  }
  if (timestampNs(next.time) <= timestampNs(p.time)) return fail(h, 'header.time', `a time after ${fmt(p.time)} (block ${p.height})`, fmt(next.time));
  if (!bytesEqual(next.validatorsHash, p.nextValidatorsHash)) {
    return fail(h, 'header.validators_hash', `${toHex(p.nextValidatorsHash)} (next_validators_hash of block ${p.height})`, toHex(next.validatorsHash));
  }
  return OK;
}
