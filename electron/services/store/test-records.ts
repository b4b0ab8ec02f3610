// Deterministic fake RPC payloads for the store and bundle tests (and the crash-test child).

import { KIND_LIST, type RecordKind } from './kinds';
import type { StoreRecord } from './store';

const enc = new TextEncoder();
const CHARS = enc.encode('abcdefghijklmnopqrstuvwxyz0123456789');
const TAIL = enc.encode('"}');

/** JSON bytes for (kind, height), 20..maxLen+20 bytes; every `bigEvery`-th height carries a ~1 MiB block_results. */
export function payloadFor(kind: RecordKind, height: number, maxLen = 200, bigEvery = 0): Uint8Array {
  let x = (Math.imul(height, 2654435761) ^ Math.imul(KIND_LIST.indexOf(kind) + 1, 40503)) >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
  const big = bigEvery > 0 && kind === 'block_results' && height % bigEvery === 0;
  const n = big ? (1 << 20) + (next() % 4096) : next() % maxLen;
  const head = enc.encode(`{"kind":"${kind}","height":"${height}","data":"`);
  const out = new Uint8Array(head.length + n + 2);
  out.set(head);
  for (let i = 0; i < n; i++) out[head.length + i] = CHARS[next() % CHARS.length]!;
  out.set(TAIL, head.length + n);
  return out;
}

export function recordsFor(height: number, maxLen = 200, bigEvery = 0): StoreRecord[] {
  return KIND_LIST.map((kind) => ({ kind, height, payload: payloadFor(kind, height, maxLen, bigEvery) }));
}
