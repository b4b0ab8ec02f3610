// The console's state as the renderer sees it: the replicas this user has, the open one, and
// the long jobs on it (sync, indexing, verification) with their progress. The Node side pushes
// a fresh snapshot in the `console.status` event whenever it changes (at most a few per second).
import * as s from '../schema';
import type { Infer } from '../schema';
import { chainId, count, endpointUrl, height, rate, replicaId, sha256, text, time } from './common';

/** Why an endpoint was degraded or set aside: which height, which check, what was expected and found. */
export const endpointProblem = s.object({
  kind: s.string({ max: 40 }),
  message: text(2000),
  height: s.optional(height),
  check: s.optional(s.string({ max: 80 })),
  expected: s.optional(text(2000)),
  found: s.optional(text(2000)),
  at: s.optional(time),
});
export type EndpointProblemView = Infer<typeof endpointProblem>;

export const endpointView = s.object({
  endpoint: s.string({ max: 300 }),
  state: s.literal('ok', 'degraded', 'set-aside', 'unknown'),
  latencyMs: s.nullable(rate),
  blocksServed: count,
  requests: count,
  failures: count,
  latestHeight: s.nullable(height),
  problem: s.nullable(endpointProblem),
});
export type EndpointView = Infer<typeof endpointView>;

export const forkView = s.object({
  height,
  resolution: s.literal('preferred', 'unresolved'),
  note: text(2000),
  detectedAt: time,
  sides: s.array(s.object({ blockId: s.string({ max: 200 }), endpoints: s.array(s.string({ max: 300 }), { max: 20 }), certified: s.boolean(), verdict: text(2000) }), { max: 20 }),
});
export type ForkView = Infer<typeof forkView>;

export const syncView = s.object({
  state: s.literal('idle', 'running', 'pausing', 'paused', 'done', 'failed'),
  phase: s.nullable(s.literal('connecting', 'genesis', 'syncing', 'following', 'done')),
  height,
  durableHeight: height,
  target: height,
  blocksPerSecond: rate,
  etaSeconds: s.nullable(rate),
  heightsWritten: count,
  crossChecked: count,
  singleSource: count,
  endpoints: s.array(endpointView, { max: 32 }),
  forks: s.array(forkView, { max: 100 }),
  error: s.nullable(s.object({ kind: s.string({ max: 40 }), message: text(2000) })),
  startedAt: s.nullable(time),
  finishedAt: s.nullable(time),
});
export type SyncView = Infer<typeof syncView>;

export const verifyView = s.object({
  state: s.literal('idle', 'running', 'done', 'failed', 'cancelled'),
  /** What the verifier is doing right now (indexing the replica comes first). */
  step: s.nullable(s.literal('indexing', 'verifying', 'recording')),
  height,
  from: height,
  to: height,
  done: count,
  total: count,
  blocksPerSecond: rate,
  etaSeconds: s.nullable(rate),
  failures: count,
  error: s.nullable(text(2000)),
  startedAt: s.nullable(time),
  finishedAt: s.nullable(time),
});
export type VerifyView = Infer<typeof verifyView>;

export const replicaSummary = s.object({
  id: replicaId,
  name: s.string({ min: 1, max: 80 }),
  kind: s.literal('demo', 'network', 'import'),
  chainId: s.nullable(chainId),
  /** The genesis SHA-256 the user pinned (the only trust anchor). */
  pinnedGenesis: s.nullable(sha256),
  /** The SHA-256 of the genesis actually stored in the replica. */
  storedGenesis: s.nullable(sha256),
  endpoints: s.array(s.string({ max: 300 }), { max: 16 }),
  heights: s.object({ lowest: height, highest: height, complete: height }),
  verification: s.object({
    state: s.literal('unverified', 'verified', 'failed', 'partial'),
    verifiedTo: s.nullable(height),
    failures: count,
    at: s.nullable(time),
  }),
  createdAt: time,
});
export type ReplicaSummary = Infer<typeof replicaSummary>;

export const notice = s.object({ level: s.literal('info', 'warning', 'error'), message: s.string({ min: 1, max: 2000 }), at: time });

export const consoleStatus = s.object({
  dataDir: s.string({ max: 1024 }),
  /** The desktop host opens native file dialogs; the headless host takes typed paths. */
  nativeDialogs: s.boolean(),
  replicas: s.array(replicaSummary, { max: 200 }),
  openId: s.nullable(replicaId),
  /** Something that keeps the whole console busy (first start, an import). */
  busy: s.nullable(s.object({ what: s.literal('starting', 'import', 'export', 'open'), message: text(500) })),
  sync: syncView,
  verify: verifyView,
  notice: s.nullable(notice),
});
export type ConsoleStatus = Infer<typeof consoleStatus>;

/** What fetching the genesis from a set of endpoints found (profile form, before pinning). */
export const genesisProbe = s.object({
  chainId,
  sha256,
  genesisTime: time,
  initialHeight: height,
  validators: count,
  bytes: count,
  from: s.string({ max: 300 }),
  via: s.string({ max: 40 }),
  endpoints: s.array(s.object({ endpoint: s.string({ max: 300 }), ok: s.boolean(), message: text(500), latestHeight: s.nullable(height) }), { max: 16 }),
});
export type GenesisProbe = Infer<typeof genesisProbe>;

export const newProfile = s.object({
  name: s.string({ min: 1, max: 80 }),
  chainId,
  endpoints: s.array(endpointUrl, { max: 16 }),
  genesisSha256: sha256,
});
export type NewProfile = Infer<typeof newProfile>;

export { chainId, endpointUrl, replicaId };
