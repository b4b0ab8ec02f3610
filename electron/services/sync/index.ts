// The sync: fills a replica store from several untrusted CometBFT 0.38 RPC endpoints.
// See engine.ts for the design, genesis.ts for which genesis bytes the pin hashes.

export { syncReplica, SYNC_STATUS_FILE, SYNC_DEFAULTS } from './engine';
export {
  SyncError, type SyncOptions, type SyncProgress, type SyncEvent, type SyncResult, type SyncStore, type SyncErrorKind,
  type EndpointHealth, type EndpointProblem, type EndpointState,
} from './types';
export { FORKS_FILE, type ForkEvidence, type ForkSide } from './fork-evidence';
export { fetchGenesis, parseGenesis, sha256Hex, type FetchedGenesis } from './genesis';
export {
  RpcClient, mergeValidatorPages, parseStatus, VALIDATORS_PER_PAGE,
  type RpcClientOptions, type RpcCall, type RpcResult, type BatchOutcome, type NodeStatus, type GenesisResult,
} from './rpc-client';
export { RpcClientError, redactUrl, isHeightUnavailable, type RpcFailureKind, type JsonRpcErrorBody } from './rpc-errors';
export { BadDataError, NotReadyError, type DataFault } from './height-checks';
