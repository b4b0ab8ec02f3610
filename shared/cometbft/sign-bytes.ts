// The bytes a validator signs for a vote (CometBFT v0.38 types/vote.go VoteSignBytes,
// types/canonical.go CanonicalizeVote / CanonicalizeBlockID, proto/tendermint/types/canonical.proto):
// a uvarint-length-prefixed (protoio.MarshalDelimited) CanonicalVote
//   1 type      SignedMsgType (varint)
//   2 height    sfixed64
//   3 round     sfixed64
//   4 block_id  CanonicalBlockID {1 hash, 2 part_set_header {1 total uint32, 2 hash}}; nil for a nil vote
//   5 timestamp google.protobuf.Timestamp (non-nullable: always written)
//   6 chain_id  string
import { ProtoWriter, uvarint } from './proto';
import { concatBytes } from './bytes';
import { encodeBlockId, encodeTimestamp } from './encode';
import { BlockIdFlag, type BlockId, type Commit, type Timestamp } from './types';

/** proto/tendermint/types/types.proto SignedMsgType */
export enum SignedMsgType {
  Prevote = 1,
  Precommit = 2,
  Proposal = 32,
}

/** The vote fields CanonicalizeVote reads (ValidatorAddress/Index and extensions are not signed). */
export interface VoteToSign {
  type: SignedMsgType;
  height: bigint;
  round: number;
  /** null or the zero BlockID: a vote for nil (block_id is then omitted). */
  blockId: BlockId | null;
  timestamp: Timestamp;
}

/** types.BlockID.IsZero */
export function isZeroBlockId(b: BlockId): boolean {
  return b.hash.length === 0 && b.parts.total === 0 && b.parts.hash.length === 0;
}

/** The CanonicalVote message without its length prefix. */
export function canonicalVoteBytes(chainId: string, vote: VoteToSign): Uint8Array {
  const w = new ProtoWriter()
    .int(1, vote.type)
    .sfixed64(2, vote.height)
    .sfixed64(3, BigInt(vote.round));
  // CanonicalBlockID {1 hash, 2 CanonicalPartSetHeader {1 total, 2 hash}} has BlockID's wire
  // layout, so encodeBlockId writes it; nil (omitted) for the zero BlockID.
  if (vote.blockId !== null && !isZeroBlockId(vote.blockId)) w.message(4, encodeBlockId(vote.blockId));
  w.message(5, encodeTimestamp(vote.timestamp));
  w.string(6, chainId);
  return w.finish();
}

/** types/vote.go VoteSignBytes: uvarint(len) || CanonicalVote. */
export function voteSignBytes(chainId: string, vote: VoteToSign): Uint8Array {
  const body = canonicalVoteBytes(chainId, vote);
  return concatBytes(uvarint(body.length), body);
}

/**
 * types/block.go Commit.VoteSignBytes(chainID, valIdx) via Commit.GetVote and CommitSig.BlockID:
 * a precommit at the commit's height and round, for the commit's BlockID when the flag is
 * Commit and for nil when it is Nil or Absent. Throws on an unknown flag (Go panics); callers
 * validate flags first.
 */
export function commitSigSignBytes(chainId: string, commit: Commit, idx: number): Uint8Array {
  const sig = commit.signatures[idx];
  if (sig === undefined) throw new RangeError(`commit has no signature #${idx}`);
  let blockId: BlockId | null;
  switch (sig.blockIdFlag) {
    case BlockIdFlag.Commit: blockId = commit.blockId; break;
    case BlockIdFlag.Nil:
    case BlockIdFlag.Absent: blockId = null; break;
    default: throw new Error(`unknown BlockIDFlag ${String(sig.blockIdFlag)} at signature #${idx}`);
  }
  return voteSignBytes(chainId, {
    type: SignedMsgType.Precommit,
    height: commit.height,
    round: commit.round,
    blockId,
    timestamp: sig.timestamp,
  });
}
