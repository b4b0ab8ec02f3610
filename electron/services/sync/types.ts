// The sync's public shapes: options, progress, events, endpoint health, result, errors.

import type { Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import type { ReplicaStore } from '../store';
import type { ForkEvidence } from './fork-evidence';
import type { RpcClientOptions } from './rpc-client';
import type { RpcFailureKind } from './rpc-errors';

/** What the sync needs of the replica store (electron/services/store). */
export type SyncStore = Pick<ReplicaStore, 'dir' | 'genesisSha256' | 'append' | 'flush' | 'missing' | 'get' | 'putGenesis' | 'getGenesis' | 'stats'>;

export interface SyncOptions {
  store: SyncStore;
  /** RPC endpoints of different consortium members (http or https). */
  endpoints: readonly string[];
  /** Expected chain id (default: the genesis document's). */
  chainId?: string;
  /** Pinned SHA-256 (hex) of the canonical genesis bytes (see genesis.ts). */
  genesisSha256?: string;
  /** Last height to sync (default: what the endpoints have). */
  to?: number;
  /** Keep polling for new heights until `to` or cancellation. */
  follow?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  onEvent?: (e: SyncEvent) => void;
  /** Ed25519 for the commit self-check (default native with ZIP-215 re-check). */
  verifier?: Ed25519Verifier;
  rpc?: Omit<RpcClientOptions, 'signal'>;
  /** Heights per work unit, 1..20 (/blockchain returns at most 20 metas). Default 20. */
  chunkSize?: number;
  /** Work units in flight per endpoint (default 4). */
  windowPerEndpoint?: number;
  /** Concurrent batch POSTs within one work unit (default 4). */
  requestsPerChunk?: number;
  /**
   * Batch POSTs of block data in flight per endpoint, across its work units (default 8): the
   * next unit's POSTs fill in while one unit waits for its last answers.
   */
  postsPerEndpoint?: number;
  /** Work units fetched ahead of the in-order write point (default 8 per endpoint, more when blocks are large). */
  maxAheadChunks?: number;
  /**
   * Memory for block data, in bytes (default 16 MiB): payloads received and not yet written,
   * plus what the requests in flight are expected to bring, stay under it (only the work unit
   * at the write point is started past it), whatever the block size. Work units are cut to an
   * eighth of it.
   */
  memoryBudgetBytes?: number;
  /** Fetch each height's header from a second endpoint when one is healthy (default true). */
  crossCheck?: boolean;
  /** How many other endpoints vouch for each chunk's BlockIDs (default: every healthy one; /blockchain is cheap). */
  witnesses?: number;
  /** Flush (make durable) after this many heights or this long (defaults 1000, 2000 ms). */
  flushEveryHeights?: number;
  flushIntervalMs?: number;
  /** Follow mode: status poll period (default 1000 ms). */
  pollIntervalMs?: number;
  /** Without follow: give up when no endpoint can serve the heights left for this long (default 30 s). */
  stallTimeoutMs?: number;
  /** Transient failures in a row (timeouts, errors) before an endpoint is set aside (default 2). */
  maxConsecutiveFailures?: number;
  /** Minimum time between progress callbacks (default 250 ms). */
  progressIntervalMs?: number;
  /** Write profile.json and sync-status.json into the store directory (default true). */
  saveProfile?: boolean;
}

export type EndpointState = 'ok' | 'degraded' | 'set-aside';

/**
 * Why an endpoint is degraded or set aside: a transport failure (RpcFailureKind), served data
 * that failed a check ('bad-data', with height/check/expected/found), another chain
 * ('wrong-chain'), or a header at a fork that the known validator set did not certify ('fork').
 */
export interface EndpointProblem {
  kind: RpcFailureKind | 'bad-data' | 'wrong-chain' | 'fork' | 'not-ready';
  message: string;
  height?: number;
  check?: string;
  expected?: string;
  found?: string;
  at: string;
}

export interface EndpointHealth {
  /** Redacted: no credentials, no query string. */
  endpoint: string;
  state: EndpointState;
  /** Why it is set aside (or degraded). */
  reason?: EndpointProblem;
  lastError?: EndpointProblem;
  /** Smoothed request latency. */
  latencyMs: number | null;
  blocksServed: number;
  requests: number;
  failures: number;
  latestHeight: number | null;
  inFlight: number;
}

export interface SyncProgress {
  phase: 'connecting' | 'genesis' | 'syncing' | 'following' | 'done';
  /** Every height up to here (from the start of this run's range) is written. */
  height: number;
  /** Acknowledged (durable) complete height of the store. */
  durableHeight: number;
  target: number;
  blocksPerSecond: number;
  etaSeconds: number | null;
  heightsWritten: number;
  crossChecked: number;
  singleSource: number;
  forks: number;
  endpoints: EndpointHealth[];
}

export type SyncEvent =
  | { type: 'genesis'; chainId: string; sha256: string; from: string; via: string; pinned: boolean; stored: boolean }
  | { type: 'endpoint'; endpoint: string; state: EndpointState; problem?: EndpointProblem }
  | { type: 'fork'; evidence: ForkEvidence }
  | { type: 'single-source'; from: number; to: number; endpoint: string }
  | { type: 'flush'; durableHeight: number };

export interface SyncResult {
  chainId: string;
  genesisSha256: string;
  stopped: 'done' | 'aborted' | 'error';
  /** Durable complete height of the store when the sync stopped. */
  completeHeight: number;
  target: number;
  heightsWritten: number;
  crossChecked: number;
  singleSource: number;
  forks: ForkEvidence[];
  endpoints: EndpointHealth[];
  elapsedMs: number;
  blocksPerSecond: number;
}

export type SyncErrorKind = 'bad-options' | 'genesis-mismatch' | 'genesis-unavailable' | 'chain-id' | 'no-endpoints' | 'fork' | 'stalled';

/** The sync stopped; what was written before is durable (`result`). */
export class SyncError extends Error {
  override name = 'SyncError';
  result?: SyncResult;
  constructor(readonly kind: SyncErrorKind, message: string) {
    super(message);
  }
}
