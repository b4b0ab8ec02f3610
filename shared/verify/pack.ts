// Handing a prepared height to another thread cheaply: the byte strings it holds by the
// hundred (tx bytes, tx result data) are copied into one ArrayBuffer and replaced by views of
// it, so a structured clone (postMessage, node:v8 serialize) writes one buffer, which can be
// transferred, and the receiver gets views of one buffer instead of an allocation per array.
import type { PreparedHeight } from './prepare';

/** Packs `p`'s tx bytes and result data into one buffer (in place); the buffer to transfer, or null when there is nothing to pack. */
export function packPrepared(p: PreparedHeight): ArrayBuffer | null {
  const txs = p.decoded.block?.block.txs ?? [];
  const results = p.decoded.results?.txsResults ?? [];
  let total = 0;
  for (const t of txs) total += t.length;
  for (const r of results) total += r.data.length;
  if (total === 0) return null;
  const buf = new ArrayBuffer(total);
  const all = new Uint8Array(buf);
  let off = 0;
  const move = (b: Uint8Array): Uint8Array => {
    all.set(b, off);
    off += b.length;
    return all.subarray(off - b.length, off);
  };
  for (let i = 0; i < txs.length; i++) txs[i] = move(txs[i]!);
  for (const r of results) r.data = move(r.data);
  return buf;
}
