// One HTTP exchange with a hard deadline over headers and body and a hard cap on body size.

import { RpcClientError } from './rpc-errors';

export interface BoundedRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  /** For errors: the redacted endpoint and the JSON-RPC method(s). */
  endpoint: string;
  what: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface BoundedResponse {
  status: number;
  body: Uint8Array;
}

/** fetch, reading the body as a stream: past maxBytes the read is cancelled ("oversized"). */
export async function fetchBounded(r: BoundedRequest): Promise<BoundedResponse> {
  const fail = (kind: RpcClientError['kind'], detail: string) => new RpcClientError(kind, r.endpoint, r.what, detail);
  if (r.signal?.aborted) throw fail('aborted', 'cancelled');
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, r.timeoutMs);
  const onAbort = (): void => ac.abort();
  r.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(r.url, {
      method: r.method,
      headers: r.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: r.body,
      signal: ac.signal,
      redirect: 'error',
    });
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > r.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw fail('oversized', `body of ${declared} bytes declared, limit ${r.maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > r.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw fail('oversized', `body passed ${r.maxBytes} bytes`);
        }
        chunks.push(value);
      }
    }
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    return { status: res.status, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  } catch (e) {
    if (e instanceof RpcClientError) throw e;
    if (timedOut) throw fail('timeout', `no complete answer within ${r.timeoutMs} ms`);
    if (r.signal?.aborted) throw fail('aborted', 'cancelled');
    throw fail('network', describeNetworkError(e));
  } finally {
    clearTimeout(timer);
    r.signal?.removeEventListener('abort', onAbort);
  }
}

/** A short cause without the URL (undici puts it in messages; the URL may carry credentials). */
function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message.slice(0, 200);
  return e instanceof Error ? e.name : 'request failed';
}
