// Endpoint health: ok → degraded (transient failures) → set aside (for the rest of the run).
// Served data that fails a check, malformed or oversized answers, another chain, or an
// uncertified header at a fork set an endpoint aside at once; timeouts, connection and
// JSON-RPC errors only after `maxConsecutiveFailures` in a row.

import { Limiter } from './concurrency';
import { BadDataError, NotReadyError } from './height-checks';
import type { RpcClient } from './rpc-client';
import { RpcClientError, isHeightUnavailable } from './rpc-errors';
import type { EndpointHealth, EndpointProblem, EndpointState } from './types';

const TRANSIENT = new Set<EndpointProblem['kind']>(['timeout', 'network', 'http', 'rpc', 'not-ready']);

export function problemOf(e: unknown): EndpointProblem {
  const at = new Date().toISOString();
  if (e instanceof BadDataError) {
    const f = e.fault;
    return { kind: 'bad-data', message: e.message, height: f.height, check: f.check, expected: f.expected, found: f.found, at };
  }
  if (e instanceof NotReadyError || isHeightUnavailable(e)) {
    const p: EndpointProblem = { kind: 'not-ready', message: (e as Error).message, at };
    if (e instanceof NotReadyError) p.height = e.height;
    return p;
  }
  if (e instanceof RpcClientError) return { kind: e.kind, message: e.message, at };
  return { kind: 'malformed', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), at };
}

export class Endpoint {
  readonly label: string;
  state: EndpointState = 'ok';
  reason: EndpointProblem | undefined;
  lastError: EndpointProblem | undefined;
  latencyMs: number | null = null;
  blocksServed = 0;
  requests = 0;
  failures = 0;
  consecutive = 0;
  latestHeight: number | null = null;
  earliestHeight = 1;
  inFlight = 0;
  /** Caps the data POSTs in flight to this endpoint across all its chunks. */
  readonly posts: Limiter;

  constructor(readonly client: RpcClient, private readonly onChange: (ep: Endpoint, problem?: EndpointProblem) => void, postsInFlight = Infinity) {
    this.label = client.label;
    this.posts = new Limiter(postsInFlight);
  }

  get usable(): boolean {
    return this.state !== 'set-aside';
  }

  /** Can serve every height of [from, to] as far as its last status said. */
  canServe(from: number, to: number): boolean {
    return this.usable && this.latestHeight !== null && this.latestHeight >= to && this.earliestHeight <= from;
  }

  succeeded(ms: number, blocks = 0): void {
    this.requests++;
    this.blocksServed += blocks;
    this.latencyMs = this.latencyMs === null ? ms : this.latencyMs * 0.8 + ms * 0.2;
    this.consecutive = 0;
    if (this.state === 'degraded') {
      this.state = 'ok';
      this.reason = undefined;
      this.onChange(this);
    }
  }

  /** Record a failure; returns the problem. Cancellation is not the endpoint's fault. */
  failed(e: unknown, maxConsecutive: number): EndpointProblem | undefined {
    if (e instanceof RpcClientError && e.kind === 'aborted') return undefined;
    const p = problemOf(e);
    this.requests++;
    this.lastError = p;
    if (p.kind === 'not-ready') {
      // Behind what its status said: not picked for these heights until the next status.
      if (p.height !== undefined && this.latestHeight !== null) this.latestHeight = Math.min(this.latestHeight, p.height - 1);
      return p;
    }
    this.failures++;
    if (!TRANSIENT.has(p.kind)) this.setAside(p);
    else if (++this.consecutive >= maxConsecutive) this.setAside(p);
    else if (this.state === 'ok') {
      this.state = 'degraded';
      this.reason = p;
      this.onChange(this, p);
    }
    return p;
  }

  setAside(p: EndpointProblem): void {
    if (this.state === 'set-aside') return;
    this.state = 'set-aside';
    this.reason = p;
    this.lastError = p;
    this.onChange(this, p);
  }

  health(): EndpointHealth {
    const h: EndpointHealth = {
      endpoint: this.label,
      state: this.state,
      latencyMs: this.latencyMs === null ? null : Math.round(this.latencyMs * 10) / 10,
      blocksServed: this.blocksServed,
      requests: this.requests,
      failures: this.failures,
      latestHeight: this.latestHeight,
      inFlight: this.inFlight,
    };
    if (this.reason) h.reason = this.reason;
    if (this.lastError) h.lastError = this.lastError;
    return h;
  }
}

/**
 * The endpoint to give work to: usable, below its window, able to serve [from, to]; ok before
 * degraded, then fewest in flight, then lowest latency; ties rotate (round robin).
 */
export function pickEndpoint(eps: readonly Endpoint[], from: number, to: number, window: number, avoid: ReadonlySet<Endpoint>, turn: number): Endpoint | undefined {
  const fits = eps.filter((e) => e.inFlight < window && e.canServe(from, to));
  const pool = fits.some((e) => !avoid.has(e)) ? fits.filter((e) => !avoid.has(e)) : fits;
  let best: Endpoint | undefined;
  let bestKey: number[] = [];
  pool.forEach((e, i) => {
    const key = [e.state === 'ok' ? 0 : 1, e.inFlight, Math.round((e.latencyMs ?? 0) / 5), (i - turn + pool.length * 1000) % pool.length];
    if (!best || lexLess(key, bestKey)) {
      best = e;
      bestKey = key;
    }
  });
  return best;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
