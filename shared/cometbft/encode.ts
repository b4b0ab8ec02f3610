// Byte-exact protobuf encodings that CometBFT hashes (gogoproto Marshal output). Proto3 omits
// zero scalars and empty bytes; gogoproto `nullable=false` embedded messages are always written,
// even when empty (e.g. BlockID.part_set_header, CommitSig.timestamp).
import { ProtoWriter } from './proto';
import type {
  BlockId, CommitSig, ConsensusParams, ConsensusVersion, DuplicateVoteEvidence, ExecTxResult, PartSetHeader, Timestamp,
  Vote,
} from './types';

/** google.protobuf.Timestamp {int64 seconds = 1; int32 nanos = 2} (gogoproto StdTimeMarshal). */
export function encodeTimestamp(ts: Timestamp): Uint8Array {
  return new ProtoWriter().int(1, ts.seconds).int(2, ts.nanos).finish();
}

/** tendermint.types.PartSetHeader {uint32 total = 1; bytes hash = 2}. */
export function encodePartSetHeader(p: PartSetHeader): Uint8Array {
  return new ProtoWriter().int(1, p.total).bytes(2, p.hash).finish();
}

/** tendermint.types.BlockID {bytes hash = 1; PartSetHeader part_set_header = 2 (non-nullable)} (types/block.go BlockID.ToProto). */
export function encodeBlockId(id: BlockId): Uint8Array {
  return new ProtoWriter().bytes(1, id.hash).message(2, encodePartSetHeader(id.parts)).finish();
}

/** tendermint.version.Consensus {uint64 block = 1; uint64 app = 2}. */
export function encodeConsensusVersion(v: ConsensusVersion): Uint8Array {
  return new ProtoWriter().int(1, v.block).int(2, v.app).finish();
}

// types/encoding_helper.go cdcEncode: gogotypes.{String,Int64,Bytes}Value{Value: item}.Marshal(),
// and nil for an empty item ("", 0, empty bytes) — which is the same bytes as the empty wrapper.

/** cdcEncode(string): google.protobuf.StringValue {string value = 1}. */
export function cdcString(s: string): Uint8Array {
  return new ProtoWriter().string(1, s).finish();
}

/** cdcEncode(int64): google.protobuf.Int64Value {int64 value = 1}. */
export function cdcInt64(n: bigint): Uint8Array {
  return new ProtoWriter().int(1, n).finish();
}

/** cdcEncode(HexBytes): google.protobuf.BytesValue {bytes value = 1}. */
export function cdcBytes(b: Uint8Array): Uint8Array {
  return new ProtoWriter().bytes(1, b).finish();
}

/** tendermint.types.CommitSig {flag = 1; validator_address = 2; timestamp = 3 (non-nullable); signature = 4} (CommitSig.ToProto). */
export function encodeCommitSig(s: CommitSig): Uint8Array {
  return new ProtoWriter()
    .int(1, s.blockIdFlag)
    .bytes(2, s.validatorAddress)
    .message(3, encodeTimestamp(s.timestamp))
    .bytes(4, s.signature)
    .finish();
}

/**
 * tendermint.types.SimpleValidator {PublicKey pub_key = 1; int64 voting_power = 2} with
 * tendermint.crypto.PublicKey oneof {bytes ed25519 = 1} (types/validator.go Validator.Bytes).
 */
export function encodeSimpleValidator(v: { pubKey: Uint8Array; votingPower: bigint }): Uint8Array {
  // A set oneof field is always written, even if its bytes were empty.
  const pk = new ProtoWriter().bytesAlways(1, v.pubKey).finish();
  return new ProtoWriter().message(1, pk).int(2, v.votingPower).finish();
}

/** tendermint.types.HashedParams {int64 block_max_bytes = 1; int64 block_max_gas = 2} (types/params.go Hash). */
export function encodeHashedParams(p: ConsensusParams): Uint8Array {
  return new ProtoWriter().int(1, p.block.maxBytes).int(2, p.block.maxGas).finish();
}

/**
 * abci.ExecTxResult reduced to its deterministic fields {uint32 code = 1; bytes data = 2;
 * int64 gas_wanted = 5; int64 gas_used = 6} (abci/types/types.go deterministicExecTxResult).
 */
export function encodeDeterministicExecTxResult(r: Pick<ExecTxResult, 'code' | 'data' | 'gasWanted' | 'gasUsed'>): Uint8Array {
  return new ProtoWriter().int(1, r.code).bytes(2, r.data).int(5, r.gasWanted).int(6, r.gasUsed).finish();
}

/** tendermint.types.Vote (types/vote.go Vote.ToProto): block_id and timestamp are non-nullable. */
export function encodeVote(v: Vote): Uint8Array {
  return new ProtoWriter()
    .int(1, v.type)
    .int(2, v.height)
    .int(3, v.round)
    .message(4, encodeBlockId(v.blockId))
    .message(5, encodeTimestamp(v.timestamp))
    .bytes(6, v.validatorAddress)
    .int(7, v.validatorIndex)
    .bytes(8, v.signature)
    .bytes(9, v.extension)
    .bytes(10, v.extensionSignature)
    .finish();
}

/**
 * tendermint.types.DuplicateVoteEvidence {Vote vote_a = 1; Vote vote_b = 2; int64 total_voting_power = 3;
 * int64 validator_power = 4; Timestamp timestamp = 5 (non-nullable)} (types/evidence.go Bytes).
 */
export function encodeDuplicateVoteEvidence(e: DuplicateVoteEvidence): Uint8Array {
  return new ProtoWriter()
    .message(1, encodeVote(e.voteA))
    .message(2, encodeVote(e.voteB))
    .int(3, e.totalVotingPower)
    .int(4, e.validatorPower)
    .message(5, encodeTimestamp(e.timestamp))
    .finish();
}
