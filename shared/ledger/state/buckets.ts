// The leaves of a bucketed §7.2 commitment (bucketed.ts): bucket b holds the leaves whose path
// starts with the B bits of b, sorted by path. A bucket is one Int32Array of leaves, `stride`
// words each: the path (8 big-endian words), the leaf hash (8 words), then words of the store's
// own (e.g. where the value is on disk), which the commitment carries along unread.
import { nodeHashWords } from '../../cometbft/sha256';

export const PATH = 0;
export const HASH = 8;
/** Words of a leaf before the store's own. */
export const LEAF_WORDS = 16;

/** Where a commitment's buckets are kept: in memory (MemoryBucketStore), on disk (the verifier's). */
export interface BucketStore {
  /** B: 2^B buckets, named by the first B bits of a path (1..24). */
  readonly bits: number;
  /** Words a leaf carries after its path and hash; a new leaf's are -1 until the store's owner sets them. */
  readonly extraWords: number;
  /** Bucket b's committed leaves (length 0: none). A view the caller must not write into, valid until the next load or save. */
  load(b: number): Int32Array;
  /** Commit: bucket b now holds `leaves`, a view valid during the call only (the store copies what it keeps). */
  save(b: number, leaves: Int32Array): void;
}

const NONE = new Int32Array(0);

/** Every bucket in memory: for tests, and a template for other stores. */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets: (Int32Array | undefined)[];

  constructor(readonly bits: number, readonly extraWords = 0) {
    this.buckets = new Array<Int32Array | undefined>(2 ** bits);
  }

  load(b: number): Int32Array {
    return this.buckets[b] ?? NONE;
  }

  save(b: number, leaves: Int32Array): void {
    this.buckets[b] = leaves.length ? leaves.slice() : undefined;
  }
}

/** Paths compared as unsigned big-endian words: byte order. */
export function comparePath(a: Int32Array, ao: number, b: Int32Array, bo: number): number {
  for (let j = 0; j < 8; j++) {
    const x = a[ao + j]! >>> 0, y = b[bo + j]! >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Of the n leaves at a[from..], the one whose path is w[o..o+8) (its index), or -(where it would go) - 1. */
export function findLeaf(a: Int32Array, from: number, n: number, stride: number, w: Int32Array, o: number): number {
  let lo = 0, hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = comparePath(a, from + mid * stride, w, o);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** The first bit (MSB first) where the paths at a[x..] and a[y..] differ. */
function critBit(a: Int32Array, x: number, y: number): number {
  for (let j = 0; j < 8; j++) {
    const d = a[x + j]! ^ a[y + j]!;
    if (d !== 0) return 32 * j + Math.clz32(d);
  }
  throw new Error('two leaves with one path');
}

let stack = new Int32Array(8 * 64);
let crits = new Int32Array(64);

/**
 * The §7.2 root of the n sorted leaves at a[from..] (a crit-bit trie: each inner node splits at
 * the first bit where its two sides differ) into out[o..o+8), or false when there are none.
 * Bottom-up in one pass: leaf i joins the subtree on its left first when the bit between them
 * comes after the bit between it and leaf i+1 (adjacent crit bits always differ), so n leaves
 * cost n-1 hashes.
 */
export function bucketRoot(a: Int32Array, from: number, n: number, stride: number, out: Int32Array, o: number): boolean {
  if (n === 0) return false;
  if (stack.length < 8 * n) { stack = new Int32Array(16 * n); crits = new Int32Array(2 * n); }
  let sp = 0;
  for (let i = 0, at = from; i < n; i++, at += stride) {
    for (let j = 0; j < 8; j++) stack[8 * sp + j] = a[at + HASH + j]!;
    const r = i + 1 < n ? critBit(a, at, at + stride) : -1;
    while (sp > 0 && crits[sp - 1]! > r) {
      nodeHashWords(1, stack, 8 * (sp - 1), stack, 8 * sp, stack, 8 * (sp - 1));
      sp--;
    }
    crits[sp++] = r;
  }
  for (let j = 0; j < 8; j++) out[o + j] = stack[j]!;
  return true;
}
