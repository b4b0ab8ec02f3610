// RFC 6962 Merkle root exactly as crypto/merkle/tree.go HashFromByteSlices (hash.go for the
// prefixes): empty → SHA-256(""), leaf → SHA-256(0x00 ‖ item), inner → SHA-256(0x01 ‖ left ‖ right),
// and n > 1 items split at the largest power of two strictly below n (getSplitPoint).
import { nodeHash, nodeHashWords, sha256, taggedWords, wordsToBytes } from './sha256';

const EMPTY_HASH = sha256(new Uint8Array(0));

/** crypto/merkle/hash.go leafHash */
export function leafHash(item: Uint8Array): Uint8Array {
  const buf = new Uint8Array(item.length + 1);
  buf.set(item, 1);
  return sha256(buf);
}

/** crypto/merkle/hash.go innerHash */
export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === 32 && right.length === 32) return nodeHash(1, left, right);
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** crypto/merkle/tree.go getSplitPoint: the largest power of two < n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root of leaves i in [from, to) (their hashes at w[8i..8i+8)), written over leaf `from`'s hash. */
function rootWords(w: Int32Array, from: number, to: number): void {
  if (to - from === 1) return;
  const k = splitPoint(to - from);
  rootWords(w, from, from + k);
  rootWords(w, from + k, to);
  nodeHashWords(1, w, 8 * from, w, 8 * (from + k), w, 8 * from);
}

/**
 * The root over leaf hashes held as big-endian words, 8 per leaf, in w[0..8n) (overwritten):
 * HashFromByteSlices once each leafHash is computed (leafWords computes one).
 */
export function merkleRootOfLeaves(w: Int32Array, n: number): Uint8Array {
  if (n === 0) return EMPTY_HASH.slice();
  rootWords(w, 0, n);
  return wordsToBytes(w, 0);
}

/** leafHash(item) as words into w[o..o+8). */
export function leafWords(item: Uint8Array, w: Int32Array, o: number): void {
  taggedWords(0, item, w, o);
}

/** crypto/merkle/tree.go HashFromByteSlices (recursion depth is log2 n), on words without a digest per node. */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  const w = new Int32Array(8 * items.length);
  for (let i = 0; i < items.length; i++) leafWords(items[i]!, w, 8 * i);
  return merkleRootOfLeaves(w, items.length);
}
