// The state commitment (PROTOCOL.md §7.2): a binary Merkle trie over SHA-256(key), with
// single-child levels collapsed (a crit-bit tree), so its shape depends only on the set of
// keys. Each inner node caches its hash; a write invalidates only the nodes on its path, so a
// block that writes w keys costs O(w · log n) hashes, not O(n).
//
// Storage is flat, no object per node (a few dozen bytes per state entry instead of hundreds):
// nodes are records in one Int32Array, named by their offset; a leaf keeps its path in a second
// slab. Hashing works on big-endian words directly. A dirty inner node's ancestors are all
// dirty, so invalidation stops at the first dirty one.
import { nodeHashWords } from '../../cometbft/sha256';
import { nodeHash, portableSha256 } from '../hash';

/** §7.2: the root of the empty trie is SHA-256 of the empty string. */
export const EMPTY_ROOT = portableSha256(new Uint8Array(0));

const NONE = -1;

function bitAt(path: Uint8Array, i: number): number {
  return (path[i >> 3]! >> (7 - (i & 7))) & 1;
}

/** §7.2 inner node: SHA-256(0x01 ‖ left ‖ right). */
export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return nodeHash(1, left, right);
}

/** Big-endian words of 32 bytes into w[o..o+8). */
export function bytesToWords(b: Uint8Array, w: Int32Array, o: number): void {
  for (let j = 0; j < 8; j++) w[o + j] = (b[4 * j]! << 24) | (b[4 * j + 1]! << 16) | (b[4 * j + 2]! << 8) | b[4 * j + 3]!;
}

function wordsToBytes(w: Int32Array, o: number): Uint8Array {
  const out = new Uint8Array(32);
  for (let j = 0; j < 8; j++) {
    const v = w[o + j]!;
    out[4 * j] = v >>> 24; out[4 * j + 1] = (v >>> 16) & 0xff; out[4 * j + 2] = (v >>> 8) & 0xff; out[4 * j + 3] = v & 0xff;
  }
  return out;
}

/** A copy of `a` with room for at least n words, grown by half, in whole records of `unit` words. */
function grow(a: Int32Array, n: number, unit: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(n, unit * Math.ceil((a.length * 1.5) / unit)));
  b.set(a);
  return b;
}

const SCRATCH = new Int32Array(16);

// A node is 12 words at 12·i: its flags and crit bit, left, right, parent, then its hash (8
// big-endian words). Interleaved, a walk touches one cache line per node.
const STRIDE = 12;
const F = 0, L = 1, R = 2, UP = 3, HASH = 4;
/** F: the crit bit of an inner node (0..255), or LEAF; DIRTY marks an inner node to rehash. */
const BIT = 0xff, DIRTY = 0x100, LEAF = 0x200;

export class MerkleTrie {
  private root = NONE;
  private count = 0;
  private n = new Int32Array(64 * STRIDE);
  /** A leaf's path: words 8s..8s+7 of its slot s (held in its L). */
  private paths = new Int32Array(32 * 8);
  private nodes = 0;
  private slots = 0;
  private freeNodes: number[] = [];
  private freeSlots: number[] = [];

  get size(): number {
    return this.count;
  }

  /** Inserts or replaces the leaf at `path` (32 bytes). */
  set(path: Uint8Array, leafHash: Uint8Array): void {
    bytesToWords(path, SCRATCH, 0);
    bytesToWords(leafHash, SCRATCH, 8);
    this.setLeafHash(this.leafAt(SCRATCH, 0), SCRATCH, 8);
  }

  /** Removes the leaf at `path` if present. */
  delete(path: Uint8Array): void {
    bytesToWords(path, SCRATCH, 0);
    const n = this.find(SCRATCH, 0);
    if (n !== NONE) this.removeLeaf(n);
  }

  /** The root hash (§7.2), recomputing only invalidated nodes. */
  rootHash(): Uint8Array {
    if (this.root === NONE) return EMPTY_ROOT.slice();
    if (this.n[this.root + F]! & DIRTY) this.rehash(this.root);
    return wordsToBytes(this.n, this.root + HASH);
  }

  /** The leaf (a node offset) whose path is w[o..o+8), or NONE. */
  find(w: Int32Array, o: number): number {
    if (this.root === NONE) return NONE;
    const n = this.descend(w, o);
    return this.critBit(n, w, o) < 0 ? n : NONE;
  }

  /**
   * The leaf (a node offset) whose path is w[o..o+8), created if absent. A new leaf's hash
   * must be set (setLeafHash / setLeafValueHash) before the next rootHash().
   */
  leafAt(w: Int32Array, o: number): number {
    if (this.root === NONE) {
      this.root = this.newLeaf(w, o);
      this.n[this.root + UP] = NONE;
      this.count++;
      return this.root;
    }
    const near = this.descend(w, o);
    const crit = this.critBit(near, w, o);
    if (crit < 0) return near;
    const leaf = this.newLeaf(w, o);
    const inner = this.newNode();
    const a = this.n;
    // Above the new inner node: the last node on the path whose crit bit comes before `crit`.
    let parent = NONE;
    let cur = this.root;
    for (let f = a[cur + F]!; !(f & LEAF) && (f & BIT) < crit; f = a[cur + F]!) {
      parent = cur;
      cur = pathBit(w, o, f & BIT) ? a[cur + R]! : a[cur + L]!;
    }
    a[inner + F] = crit | DIRTY;
    if (pathBit(w, o, crit)) { a[inner + L] = cur; a[inner + R] = leaf; }
    else { a[inner + L] = leaf; a[inner + R] = cur; }
    a[inner + UP] = parent;
    a[cur + UP] = inner;
    a[leaf + UP] = inner;
    if (parent === NONE) this.root = inner;
    else if (a[parent + R] === cur) a[parent + R] = inner;
    else a[parent + L] = inner;
    this.invalidate(parent);
    this.count++;
    return leaf;
  }

  /** Sets leaf n's hash to w[o..o+8). */
  setLeafHash(n: number, w: Int32Array, o: number): void {
    for (let j = 0; j < 8; j++) this.n[n + HASH + j] = w[o + j]!;
    this.invalidate(this.n[n + UP]!);
  }

  /** §7.2: sets leaf n's hash to SHA-256(0x00 ‖ path ‖ value hash), the value hash being w[o..o+8). */
  setLeafValueHash(n: number, w: Int32Array, o: number): void {
    nodeHashWords(0, this.paths, 8 * this.n[n + L]!, w, o, this.n, n + HASH);
    this.invalidate(this.n[n + UP]!);
  }

  /** Removes leaf n: its sibling takes its parent's place. */
  removeLeaf(n: number): void {
    const a = this.n;
    this.count--;
    this.freeSlots.push(a[n + L]!);
    this.freeNodes.push(n);
    const p = a[n + UP]!;
    if (p === NONE) { this.root = NONE; return; }
    const sibling = a[p + L] === n ? a[p + R]! : a[p + L]!;
    const g = a[p + UP]!;
    a[sibling + UP] = g;
    this.freeNodes.push(p);
    if (g === NONE) { this.root = sibling; return; }
    if (a[g + L] === p) a[g + L] = sibling;
    else a[g + R] = sibling;
    this.invalidate(g);
  }

  /** The leaf reached by following w's bits from the root (the root must exist). */
  private descend(w: Int32Array, o: number): number {
    const a = this.n;
    let n = this.root;
    for (let f = a[n + F]!; !(f & LEAF); f = a[n + F]!) n = pathBit(w, o, f & BIT) ? a[n + R]! : a[n + L]!;
    return n;
  }

  /** The first bit (MSB first) where leaf n's path and w[o..o+8) differ, or -1. */
  private critBit(n: number, w: Int32Array, o: number): number {
    const p = 8 * this.n[n + L]!;
    for (let j = 0; j < 8; j++) {
      const x = this.paths[p + j]! ^ w[o + j]!;
      if (x !== 0) return 32 * j + Math.clz32(x);
    }
    return -1;
  }

  /** Marks n and its ancestors dirty, stopping at the first already dirty one. */
  private invalidate(n: number): void {
    const a = this.n;
    while (n !== NONE && !(a[n + F]! & DIRTY)) {
      a[n + F] = a[n + F]! | DIRTY;
      n = a[n + UP]!;
    }
  }

  private rehash(n: number): void {
    const a = this.n;
    const l = a[n + L]!, r = a[n + R]!;
    if (a[l + F]! & DIRTY) this.rehash(l);
    if (a[r + F]! & DIRTY) this.rehash(r);
    nodeHashWords(1, a, l + HASH, a, r + HASH, a, n + HASH);
    a[n + F] = a[n + F]! & ~DIRTY;
  }

  private newNode(): number {
    const n = this.freeNodes.pop() ?? STRIDE * this.nodes++;
    if (n + STRIDE > this.n.length) this.n = grow(this.n, n + STRIDE, STRIDE);
    this.n[n + F] = 0;
    return n;
  }

  private newLeaf(w: Int32Array, o: number): number {
    const n = this.newNode();
    const s = this.freeSlots.pop() ?? this.slots++;
    if (8 * s + 8 > this.paths.length) this.paths = grow(this.paths, 8 * s + 8, 8);
    for (let j = 0; j < 8; j++) this.paths[8 * s + j] = w[o + j]!;
    this.n[n + F] = LEAF;
    this.n[n + L] = s;
    return n;
  }
}

function pathBit(w: Int32Array, o: number, i: number): number {
  return (w[o + (i >> 5)]! >>> (31 - (i & 31))) & 1;
}

/**
 * The §7.2 definition, written directly (recursive over sorted leaves): the reference the
 * incremental trie is tested against, and a template for independent implementations.
 */
export function referenceRoot(leaves: { path: Uint8Array; hash: Uint8Array }[]): Uint8Array {
  const sorted = [...leaves].sort((a, b) => {
    for (let i = 0; i < 32; i++) if (a.path[i] !== b.path[i]) return a.path[i]! - b.path[i]!;
    return 0;
  });
  const rec = (items: typeof sorted, depth: number): Uint8Array => {
    if (items.length === 1) return items[0]!.hash;
    for (let d = depth; d < 256; d++) {
      const split = items.findIndex((x) => bitAt(x.path, d) === 1);
      if (split > 0) return innerHash(rec(items.slice(0, split), d + 1), rec(items.slice(split), d + 1));
    }
    throw new Error('duplicate paths');
  };
  return sorted.length === 0 ? EMPTY_ROOT : rec(sorted, 0);
}
