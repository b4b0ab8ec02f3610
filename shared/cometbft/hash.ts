// The hashes a CometBFT 0.38 header commits to, computed from the typed model.
import { sha256 } from '@noble/hashes/sha2.js';
import {
  cdcBytes, cdcInt64, cdcString, encodeBlockId, encodeCommitSig, encodeConsensusVersion, encodeDeterministicExecTxResult,
  encodeDuplicateVoteEvidence, encodeHashedParams, encodeSimpleValidator, encodeTimestamp,
} from './encode';
import { merkleRoot } from './merkle';
import type { Commit, ConsensusParams, Evidence, ExecTxResult, Header, Validator, ValidatorSet } from './types';

/**
 * types/block.go Header.Hash: the Merkle root of the 14 encoded fields, in this order. Go
 * returns nil when ValidatorsHash is empty; that is an empty array here.
 */
export function headerHash(h: Header): Uint8Array {
  if (h.validatorsHash.length === 0) return new Uint8Array(0);
  return merkleRoot([
    encodeConsensusVersion(h.version),
    cdcString(h.chainId),
    cdcInt64(h.height),
    encodeTimestamp(h.time),
    encodeBlockId(h.lastBlockId),
    cdcBytes(h.lastCommitHash),
    cdcBytes(h.dataHash),
    cdcBytes(h.validatorsHash),
    cdcBytes(h.nextValidatorsHash),
    cdcBytes(h.consensusHash),
    cdcBytes(h.appHash),
    cdcBytes(h.lastResultsHash),
    cdcBytes(h.evidenceHash),
    cdcBytes(h.proposerAddress),
  ]);
}

/** types/tx.go Tx.Hash: SHA-256 of the raw transaction (the tx hash /tx and tx_search use). */
export function txHash(tx: Uint8Array): Uint8Array {
  return sha256(tx);
}

/** types/tx.go Txs.Hash (Data.Hash): Merkle root whose leaves are the tx hashes, not the txs. */
export function dataHash(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map(txHash));
}

/** types/block.go Commit.Hash: Merkle root of the proto-encoded CommitSigs, in commit order. */
export function lastCommitHash(commit: Commit): Uint8Array {
  return merkleRoot(commit.signatures.map(encodeCommitSig));
}

/** types/validator_set.go ValidatorsByVotingPower.Less: voting power descending, then address ascending. */
export function compareValidators(a: Validator, b: Validator): number {
  if (a.votingPower !== b.votingPower) return a.votingPower > b.votingPower ? -1 : 1;
  const n = Math.min(a.address.length, b.address.length);
  for (let i = 0; i < n; i++) if (a.address[i] !== b.address[i]) return a.address[i]! - b.address[i]!;
  return a.address.length - b.address.length;
}

/**
 * A copy of the set in CometBFT's canonical order. NewValidatorSet and every update sort this
 * way (validator_set.go updateWithChangeSet, ValidatorSetFromExistingValidators), so it is the
 * order ValidatorsHash commits to and the order a Commit's signatures follow (signature i is
 * by validator i in VerifyCommit*). Sets from /validators already come sorted; the
 * light-client vectors do not.
 */
export function sortValidators(vs: ValidatorSet): ValidatorSet {
  return { validators: [...vs.validators].sort(compareValidators) };
}

/**
 * types/validator_set.go ValidatorSet.Hash: Merkle root of SimpleValidator bytes
 * (Validator.Bytes), taken over the canonical order (sorted here, whatever the input order).
 */
export function validatorSetHash(vs: ValidatorSet): Uint8Array {
  return merkleRoot(sortValidators(vs).validators.map(encodeSimpleValidator));
}

/** types/params.go ConsensusParams.Hash: SHA-256 (not a Merkle root) of HashedParams. */
export function consensusParamsHash(params: ConsensusParams): Uint8Array {
  return sha256(encodeHashedParams(params));
}

/** types/results.go ABCIResults.Hash: Merkle root of the deterministic ExecTxResult encodings. */
export function lastResultsHash(results: readonly ExecTxResult[]): Uint8Array {
  return merkleRoot(results.map(encodeDeterministicExecTxResult));
}

/**
 * types/evidence.go EvidenceList.Hash: Merkle root of each evidence's Bytes() (the bare
 * DuplicateVoteEvidence proto, not the Evidence oneof). No evidence → SHA-256("").
 * LightClientAttackEvidence is not supported and throws.
 */
export function evidenceHash(evidence: readonly Evidence[]): Uint8Array {
  return merkleRoot(evidence.map((e, i) => {
    if (e.kind !== 'duplicate_vote') throw new Error(`evidence[${i}]: cannot hash ${e.type} (only DuplicateVoteEvidence is supported)`);
    return encodeDuplicateVoteEvidence(e);
  }));
}

/** crypto/ed25519 PubKey.Address: the first 20 bytes of SHA-256(pubkey). */
export function validatorAddress(pubKey: Uint8Array): Uint8Array {
  return sha256(pubKey).slice(0, 20);
}
