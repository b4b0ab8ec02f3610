// Builds small, correctly signed CometBFT 0.38 chains for tests and benchmarks: deterministic
// Ed25519 validators, headers whose hashes, validator hashes and commits are all consistent,
// and helpers to re-hash and re-sign after a deliberate change.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { headerHash, sortValidators, validatorAddress, validatorSetHash } from '../shared/cometbft/hash';
import { commitSigSignBytes } from '../shared/cometbft/sign-bytes';
import { utf8 } from '../shared/cometbft/bytes';
import {
  BlockIdFlag, type BlockId, type Commit, type CommitSig, type Header, type SignedHeader, type Timestamp, type Validator,
  type ValidatorSet,
} from '../shared/cometbft/types';

export interface TestValidator extends Validator {
  secretKey: Uint8Array;
}

export type Signer = (message: Uint8Array, secretKey: Uint8Array) => Uint8Array;
export const nobleSigner: Signer = (m, sk) => ed25519.sign(m, sk);

/** Validator `name` with a key derived from its name (stable across runs). */
export function testValidator(name: string, power: bigint): TestValidator {
  const secretKey = sha256(utf8(`custos test validator ${name}`));
  const pubKey = ed25519.getPublicKey(secretKey);
  return { address: validatorAddress(pubKey), pubKey, pubKeyType: 'ed25519', votingPower: power, proposerPriority: 0n, secretKey };
}

/** A set in canonical order (power descending, address ascending). */
export function testValidatorSet(powers: readonly bigint[], prefix = 'v'): { vals: ValidatorSet; keys: Map<string, Uint8Array> } {
  const vs = powers.map((p, i) => testValidator(`${prefix}${i}`, p));
  const keys = new Map(vs.map((v) => [hex(v.address), v.secretKey]));
  const sorted = sortValidators({ validators: vs.map(stripKey) });
  return { vals: sorted, keys };
}

function stripKey(v: TestValidator): Validator {
  const { secretKey: _s, ...rest } = v;
  return rest;
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function ts(seconds: number, nanos = 0): Timestamp {
  return { seconds: BigInt(seconds), nanos };
}

export interface BlockSpec {
  chainId: string;
  height: bigint;
  time: Timestamp;
  vals: ValidatorSet;
  nextVals: ValidatorSet;
  lastBlockId?: BlockId;
  round?: number;
  /** Flag per validator index (canonical order); default Commit for all. */
  flags?: readonly BlockIdFlag[];
}

export function header(spec: BlockSpec): Header {
  const h32 = (tag: string) => sha256(utf8(`${tag} ${spec.height}`));
  return {
    version: { block: 11n, app: 1n },
    chainId: spec.chainId,
    height: spec.height,
    time: spec.time,
    lastBlockId: spec.lastBlockId ?? { hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } },
    lastCommitHash: h32('last_commit'),
    dataHash: h32('data'),
    validatorsHash: validatorSetHash(spec.vals),
    nextValidatorsHash: validatorSetHash(spec.nextVals),
    consensusHash: h32('consensus'),
    appHash: h32('app').slice(0, 8),
    lastResultsHash: h32('results'),
    evidenceHash: h32('evidence'),
    proposerAddress: spec.vals.validators[0]!.address,
  };
}

export function blockIdOf(h: Header): BlockId {
  return { hash: headerHash(h), parts: { total: 1, hash: sha256(utf8(`parts ${h.height}`)) } };
}

/** Sign (or re-sign) every non-absent signature of `commit` with the keys in `keys`. */
export function signCommit(chainId: string, commit: Commit, keys: Map<string, Uint8Array>, signer: Signer = nobleSigner): Commit {
  const out: Commit = { ...commit, signatures: commit.signatures.map((s) => ({ ...s })) };
  out.signatures.forEach((s, i) => {
    if (s.blockIdFlag === BlockIdFlag.Absent) return;
    const sk = keys.get(hex(s.validatorAddress));
    if (!sk) throw new Error(`no key for ${hex(s.validatorAddress)}`);
    s.signature = signer(commitSigSignBytes(chainId, out, i), sk);
  });
  return out;
}

export function makeCommit(h: Header, blockId: BlockId, vals: ValidatorSet, flags: readonly BlockIdFlag[] | undefined, round: number): Commit {
  const signatures: CommitSig[] = vals.validators.map((v, i) => {
    const flag = flags?.[i] ?? BlockIdFlag.Commit;
    if (flag === BlockIdFlag.Absent) {
      return { blockIdFlag: flag, validatorAddress: new Uint8Array(0), timestamp: { seconds: -62135596800n, nanos: 0 }, signature: new Uint8Array(0) };
    }
    return { blockIdFlag: flag, validatorAddress: v.address, timestamp: { seconds: h.time.seconds, nanos: 1000 * (i + 1) }, signature: new Uint8Array(0) };
  });
  return { height: h.height, round, blockId, signatures };
}

/** A signed header; re-hash/re-sign after edits with `resign`. */
export function signedHeader(spec: BlockSpec, keys: Map<string, Uint8Array>, signer: Signer = nobleSigner): SignedHeader {
  const h = header(spec);
  const commit = makeCommit(h, blockIdOf(h), spec.vals, spec.flags, spec.round ?? 0);
  return { header: h, commit: signCommit(spec.chainId, commit, keys, signer) };
}

/** Re-hash `sh.header` into the commit's BlockID and re-sign: a header a signing majority really committed. */
export function resign(sh: SignedHeader, keys: Map<string, Uint8Array>, chainId = sh.header.chainId): SignedHeader {
  const blockId = { ...sh.commit.blockId, hash: headerHash(sh.header) };
  return { header: sh.header, commit: signCommit(chainId, { ...sh.commit, blockId }, keys) };
}

/** A deep copy (Uint8Arrays included), for mutation. */
export function clone<T>(x: T): T {
  return structuredClone(x);
}
