// Typed failures of the JSON-RPC client, and endpoint labels safe to show and log.

/**
 * timeout    no complete answer within the per-request timeout
 * oversized  the body passed the size limit (the read was aborted there)
 * malformed  not JSON, not UTF-8, or not a JSON-RPC envelope that answers the request
 * rpc        a well-formed JSON-RPC error envelope
 * http       an HTTP error status without a JSON-RPC body
 * network    connection refused, reset, DNS, TLS ...
 * aborted    cancelled by the caller
 */
export type RpcFailureKind = 'timeout' | 'oversized' | 'malformed' | 'rpc' | 'http' | 'network' | 'aborted';

export interface JsonRpcErrorBody {
  code: number;
  message: string;
  data?: string;
}

export class RpcClientError extends Error {
  override name = 'RpcClientError';
  constructor(
    readonly kind: RpcFailureKind,
    /** The redacted endpoint (see redactUrl). */
    readonly endpoint: string,
    readonly method: string,
    readonly detail: string,
    readonly rpc?: JsonRpcErrorBody,
  ) {
    super(`${method} @ ${endpoint}: ${kind}: ${detail}`);
  }
}

/**
 * An endpoint as it may appear in logs, events, reports and fork evidence: scheme, host,
 * port and path only. Credentials in the user-info part and query strings (API keys) are
 * dropped.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** A JSON-RPC error that only says the node has no data here yet (or any more): not a fault. */
export function isHeightUnavailable(e: unknown): boolean {
  if (!(e instanceof RpcClientError) || e.kind !== 'rpc') return false;
  const text = `${e.rpc?.message ?? ''} ${e.rpc?.data ?? ''}`;
  // rpc/core/env.go getHeight: "must be less than or equal to the current blockchain height",
  // "is not available, lowest height is"; store pruning: "could not find"; /blockchain above the
  // tip (rpc/core/blocks.go filterMinMax): "min height H can't be greater than max height M".
  return /less than or equal to the current blockchain height|is not available|could not find|can't be greater than max height/i.test(text);
}
