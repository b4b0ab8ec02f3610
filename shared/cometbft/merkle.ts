// RFC 6962 Merkle root exactly as crypto/merkle/tree.go HashFromByteSlices (hash.go for the
// prefixes): empty → SHA-256(""), leaf → SHA-256(0x00 ‖ item), inner → SHA-256(0x01 ‖ left ‖ right),
// and n > 1 items split at the largest power of two strictly below n (getSplitPoint).
import { nodeHash, sha256 } from './sha256';

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

function root(items: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 1) return leafHash(items[from]!);
  const k = splitPoint(n);
  return innerHash(root(items, from, from + k), root(items, from + k, to));
}

/** crypto/merkle/tree.go HashFromByteSlices (recursion depth is log2 n). */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return EMPTY_HASH.slice();
  return root(items, 0, items.length);
}
