// Decoders for blocks, headers and commits (/block, /commit, /blockchain and the light-client
// vector shapes). JSON field names follow types/block.go struct tags.
import {
  DecodeError, addressField, arrayField, asObject, base64Field, describe, field, hashField, hexField, int32Field,
  int64Field, join, objectField, parseBase64, parseUint64, stringField, uint32Field, unwrapResult,
} from './decode-core';
import { decodeTimestamp } from './timestamp';
import {
  BlockIdFlag, type Block, type BlockId, type BlockMeta, type BlockResponse, type BlockchainResponse, type Commit,
  type CommitSig, type ConsensusVersion, type DuplicateVoteEvidence, type Evidence, type Header, type SignedHeader,
  type Vote,
} from './types';

/** The zero BlockID (types/block.go BlockID.IsZero): what a nil last_block_id stands for. */
export function zeroBlockId(): BlockId {
  return { hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } };
}

/** types.BlockID. RPC prints the part set header as `parts`; the light-client vectors as `part_set_header`. */
export function decodeBlockId(json: unknown, path = 'block_id'): BlockId {
  const o = asObject(json, path);
  const key = 'parts' in o ? 'parts' : 'part_set_header' in o ? 'part_set_header' : null;
  if (key === null) throw new DecodeError(join(path, 'parts'), 'required field is missing (neither parts nor part_set_header)');
  const p = objectField(o, key, path);
  const pp = join(path, key);
  return { hash: hashField(o, 'hash', path), parts: { total: uint32Field(p, 'total', pp), hash: hashField(p, 'hash', pp) } };
}

/** version.Consensus; both fields are `omitempty` (proto JSON tags), so absent means 0. */
function decodeVersion(json: unknown, path: string): ConsensusVersion {
  const o = asObject(json, path);
  const u = (k: string): bigint => (o[k] === undefined ? 0n : parseUint64(o[k], join(path, k)));
  return { block: u('block'), app: u('app') };
}

/** types.Header (14 fields). `last_block_id: null` is the zero BlockID. */
export function decodeHeader(json: unknown, path = 'header'): Header {
  const o = asObject(json, path);
  const lbid = field(o, 'last_block_id', path);
  return {
    version: decodeVersion(field(o, 'version', path), join(path, 'version')),
    chainId: stringField(o, 'chain_id', path),
    height: int64Field(o, 'height', path),
    time: decodeTimestamp(field(o, 'time', path), join(path, 'time')),
    lastBlockId: lbid === null ? zeroBlockId() : decodeBlockId(lbid, join(path, 'last_block_id')),
    lastCommitHash: hashField(o, 'last_commit_hash', path),
    dataHash: hashField(o, 'data_hash', path),
    validatorsHash: hashField(o, 'validators_hash', path),
    nextValidatorsHash: hashField(o, 'next_validators_hash', path),
    consensusHash: hashField(o, 'consensus_hash', path),
    appHash: hexField(o, 'app_hash', path),
    lastResultsHash: hashField(o, 'last_results_hash', path),
    evidenceHash: hashField(o, 'evidence_hash', path),
    proposerAddress: addressField(o, 'proposer_address', path),
  };
}

function decodeCommitSig(json: unknown, path: string): CommitSig {
  const o = asObject(json, path);
  const flag = uint32Field(o, 'block_id_flag', path);
  if (flag > BlockIdFlag.Nil) throw new DecodeError(join(path, 'block_id_flag'), `expected a BlockIDFlag 0..3, found ${flag}`);
  return {
    blockIdFlag: flag as BlockIdFlag,
    validatorAddress: addressField(o, 'validator_address', path),
    timestamp: decodeTimestamp(field(o, 'timestamp', path), join(path, 'timestamp')),
    signature: base64Field(o, 'signature', path),
  };
}

/** types.Commit; `signatures: null` (nil slice) is an empty list. */
export function decodeCommit(json: unknown, path = 'commit'): Commit {
  const o = asObject(json, path);
  const sp = join(path, 'signatures');
  return {
    height: int64Field(o, 'height', path),
    round: int32Field(o, 'round', path),
    blockId: decodeBlockId(field(o, 'block_id', path), join(path, 'block_id')),
    signatures: arrayField(o, 'signatures', path).map((s, i) => decodeCommitSig(s, join(sp, i))),
  };
}

/** types.SignedHeader `{header, commit}`. */
export function decodeSignedHeader(json: unknown, path = 'signed_header'): SignedHeader {
  const o = asObject(json, path);
  return {
    header: decodeHeader(field(o, 'header', path), join(path, 'header')),
    commit: decodeCommit(field(o, 'commit', path), join(path, 'commit')),
  };
}

/** /commit: `{signed_header, canonical}` (rpc/core/types ResultCommit). */
export function decodeCommitResponse(json: unknown): SignedHeader {
  const r = unwrapResult(json);
  const o = asObject(r.value, r.path);
  return decodeSignedHeader(field(o, 'signed_header', r.path), join(r.path, 'signed_header'));
}

function decodeVote(json: unknown, path: string): Vote {
  const o = asObject(json, path);
  const optBytes = (k: string): Uint8Array => (o[k] === undefined ? new Uint8Array(0) : base64Field(o, k, path));
  return {
    type: int32Field(o, 'type', path),
    height: int64Field(o, 'height', path),
    round: int32Field(o, 'round', path),
    blockId: decodeBlockId(field(o, 'block_id', path), join(path, 'block_id')),
    timestamp: decodeTimestamp(field(o, 'timestamp', path), join(path, 'timestamp')),
    validatorAddress: addressField(o, 'validator_address', path),
    validatorIndex: int32Field(o, 'validator_index', path),
    signature: base64Field(o, 'signature', path),
    extension: optBytes('extension'),
    extensionSignature: optBytes('extension_signature'),
  };
}

/** One item of block.evidence.evidence: libs/json `{type, value}` (types/evidence.go registrations). */
function decodeEvidence(json: unknown, path: string): Evidence {
  const o = asObject(json, path);
  const type = stringField(o, 'type', path);
  if (type === 'tendermint/DuplicateVoteEvidence') {
    const vp = join(path, 'value');
    const v = objectField(o, 'value', path);
    const ev: DuplicateVoteEvidence = {
      kind: 'duplicate_vote',
      voteA: decodeVote(field(v, 'vote_a', vp), join(vp, 'vote_a')),
      voteB: decodeVote(field(v, 'vote_b', vp), join(vp, 'vote_b')),
      totalVotingPower: int64Field(v, 'total_voting_power', vp),
      validatorPower: int64Field(v, 'validator_power', vp),
      timestamp: decodeTimestamp(field(v, 'timestamp', vp), join(vp, 'timestamp')),
    };
    return ev;
  }
  if (type === 'tendermint/LightClientAttackEvidence') return { kind: 'unsupported', type, value: o['value'] };
  throw new DecodeError(join(path, 'type'), `expected a known evidence type, found ${describe(type)}`);
}

/** types.Block `{header, data: {txs}, evidence: {evidence}, last_commit}`. */
export function decodeBlock(json: unknown, path = 'block'): Block {
  const o = asObject(json, path);
  const data = objectField(o, 'data', path);
  const dp = join(join(path, 'data'), 'txs');
  const txs = arrayField(data, 'txs', join(path, 'data')).map((t, i) => parseBase64(t, join(dp, i), false));
  const evo = field(o, 'evidence', path);
  const ep = join(path, 'evidence');
  const evidence = evo === null ? [] : arrayField(asObject(evo, ep), 'evidence', ep).map((e, i) => decodeEvidence(e, join(join(ep, 'evidence'), i)));
  const lc = field(o, 'last_commit', path);
  return {
    header: decodeHeader(field(o, 'header', path), join(path, 'header')),
    txs,
    evidence,
    lastCommit: lc === null ? null : decodeCommit(lc, join(path, 'last_commit')),
  };
}

/** /block and /block_by_hash: `{block_id, block}` (rpc/core/types ResultBlock); also NewBlock event values. */
export function decodeBlockResponse(json: unknown, path?: string): BlockResponse {
  const r = unwrapResult(json, path);
  const o = asObject(r.value, r.path);
  if (o['block'] === null) throw new DecodeError(join(r.path, 'block'), 'the node has no block here (null)');
  return {
    blockId: decodeBlockId(field(o, 'block_id', r.path), join(r.path, 'block_id')),
    block: decodeBlock(field(o, 'block', r.path), join(r.path, 'block')),
  };
}

/** /blockchain: `{last_height, block_metas: [{block_id, block_size, header, num_txs}]}`. */
export function decodeBlockchain(json: unknown): BlockchainResponse {
  const r = unwrapResult(json);
  const o = asObject(r.value, r.path);
  const mp = join(r.path, 'block_metas');
  const blockMetas = arrayField(o, 'block_metas', r.path).map((m, i): BlockMeta => {
    const p = join(mp, i);
    const mo = asObject(m, p);
    return {
      blockId: decodeBlockId(field(mo, 'block_id', p), join(p, 'block_id')),
      blockSize: int64Field(mo, 'block_size', p),
      header: decodeHeader(field(mo, 'header', p), join(p, 'header')),
      numTxs: int64Field(mo, 'num_txs', p),
    };
  });
  return { lastHeight: int64Field(o, 'last_height', r.path), blockMetas };
}
