// The CometBFT v0.38 data model as Custos holds it after decoding JSON-RPC (types/block.go,
// types/vote.go, types/validator.go). Bytes are Uint8Array; int64 values are bigint so no
// precision is lost; times keep their nanoseconds.

/** google.protobuf.Timestamp: seconds since the Unix epoch and nanoseconds (0..999_999_999). */
export interface Timestamp {
  seconds: bigint;
  nanos: number;
}

/** types.PartSetHeader */
export interface PartSetHeader {
  total: number;
  hash: Uint8Array;
}

/** types.BlockID; the zero BlockID (empty hash, zero parts) stands for "nil". */
export interface BlockId {
  hash: Uint8Array;
  parts: PartSetHeader;
}

/** version.Consensus */
export interface ConsensusVersion {
  block: bigint;
  app: bigint;
}

/** types.Header: the 14 fields that Header.Hash() merkleizes. */
export interface Header {
  version: ConsensusVersion;
  chainId: string;
  height: bigint;
  time: Timestamp;
  lastBlockId: BlockId;
  lastCommitHash: Uint8Array;
  dataHash: Uint8Array;
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
  consensusHash: Uint8Array;
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  evidenceHash: Uint8Array;
  proposerAddress: Uint8Array;
}

/** types.BlockIDFlag (types/block.go) */
export enum BlockIdFlag {
  Unknown = 0,
  Absent = 1,
  Commit = 2,
  Nil = 3,
}

/** types.CommitSig */
export interface CommitSig {
  blockIdFlag: BlockIdFlag;
  validatorAddress: Uint8Array;
  timestamp: Timestamp;
  signature: Uint8Array;
}

/** types.Commit */
export interface Commit {
  height: bigint;
  round: number;
  blockId: BlockId;
  signatures: CommitSig[];
}

export interface SignedHeader {
  header: Header;
  commit: Commit;
}

/** types.Validator with an Ed25519 key (the only key type this ledger admits). */
export interface Validator {
  address: Uint8Array;
  pubKey: Uint8Array;
  pubKeyType: 'ed25519';
  votingPower: bigint;
  proposerPriority: bigint;
}

/** types.ValidatorSet; `validators` are kept in the order they were given. */
export interface ValidatorSet {
  validators: Validator[];
}

/** One page of /validators (rpc/core/consensus.go Validators is paginated: count of total). */
export interface ValidatorsPage {
  blockHeight: bigint;
  validatorSet: ValidatorSet;
  count: number;
  total: number;
}

/** types.Vote as carried inside DuplicateVoteEvidence (types/vote.go; proto tendermint.types.Vote). */
export interface Vote {
  /** SignedMsgType: 1 prevote, 2 precommit, 32 proposal. */
  type: number;
  height: bigint;
  round: number;
  blockId: BlockId;
  timestamp: Timestamp;
  validatorAddress: Uint8Array;
  validatorIndex: number;
  signature: Uint8Array;
  extension: Uint8Array;
  extensionSignature: Uint8Array;
}

/** types.DuplicateVoteEvidence (types/evidence.go). */
export interface DuplicateVoteEvidence {
  kind: 'duplicate_vote';
  voteA: Vote;
  voteB: Vote;
  totalVotingPower: bigint;
  validatorPower: bigint;
  timestamp: Timestamp;
}

/** Evidence Custos decodes but cannot hash (LightClientAttackEvidence): kept as the node sent it. */
export interface UnsupportedEvidence {
  kind: 'unsupported';
  type: string;
  value: unknown;
}

export type Evidence = DuplicateVoteEvidence | UnsupportedEvidence;

/** types.Block */
export interface Block {
  header: Header;
  txs: Uint8Array[];
  evidence: Evidence[];
  lastCommit: Commit | null;
}

/** The /block response: the block and the BlockID the node says it has. */
export interface BlockResponse {
  blockId: BlockId;
  block: Block;
}

/** types.BlockMeta as /blockchain returns it. */
export interface BlockMeta {
  blockId: BlockId;
  blockSize: bigint;
  header: Header;
  numTxs: bigint;
}

/** /blockchain: metas in descending height order, as the node sent them. */
export interface BlockchainResponse {
  lastHeight: bigint;
  blockMetas: BlockMeta[];
}

/** abci.ExecTxResult fields that LastResultsHash commits to (types/results.go: deterministicExecTxResult). */
export interface ExecTxResult {
  code: number;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  log: string;
  codespace: string;
  events: unknown[];
}

/** A validator update returned by FinalizeBlock. */
export interface ValidatorUpdate {
  pubKeyType: string;
  pubKey: Uint8Array;
  power: bigint;
}

/** /block_results */
export interface BlockResults {
  height: bigint;
  txsResults: ExecTxResult[];
  validatorUpdates: ValidatorUpdate[];
  appHash: Uint8Array;
}

/** types.ConsensusParams subset hashed into ConsensusHash (types/params.go: HashedParams). */
export interface ConsensusParams {
  block: { maxBytes: bigint; maxGas: bigint };
  evidence: { maxAgeNumBlocks: bigint; maxAgeDurationNs: bigint; maxBytes: bigint };
  validator: { pubKeyTypes: string[] };
  version: { app: bigint };
  abci: { voteExtensionsEnableHeight: bigint };
}

export interface GenesisValidator {
  address: Uint8Array;
  pubKey: Uint8Array;
  pubKeyType: 'ed25519';
  power: bigint;
  name: string;
}

/** /genesis */
export interface GenesisDoc {
  genesisTime: Timestamp;
  chainId: string;
  initialHeight: bigint;
  consensusParams: ConsensusParams;
  validators: GenesisValidator[];
  appHash: Uint8Array;
  appState: unknown;
}
