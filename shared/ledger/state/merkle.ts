// The state commitment (PROTOCOL.md §7.2): a binary Merkle trie over SHA-256(key), with
// single-child levels collapsed (a crit-bit tree), so its shape depends only on the set of
// keys. Each inner node caches its hash; a write invalidates only the nodes on its path, so a
// block that writes w keys costs O(w · log n) hashes, not O(n). An inner node rehashes into its
// own buffer (no garbage per rehash); rootHash() hands out a copy.
import { nodeHash, portableSha256 } from '../hash';

interface Leaf { kind: 0; path: Uint8Array; hash: Uint8Array }
interface Inner { kind: 1; bit: number; left: Node; right: Node; hash: Uint8Array; dirty: boolean }
type Node = Leaf | Inner;

/** §7.2: the root of the empty trie is SHA-256 of the empty string. */
export const EMPTY_ROOT = portableSha256(new Uint8Array(0));

function bitAt(path: Uint8Array, i: number): number {
  return (path[i >> 3]! >> (7 - (i & 7))) & 1;
}

/** The index of the first bit (MSB-first) where two 32-byte paths differ, or -1. */
function critBit(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return -1;
}

/** §7.2 inner node: SHA-256(0x01 ‖ left ‖ right). */
export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return nodeHash(1, left, right);
}

export class MerkleTrie {
  private root: Node | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Inserts or replaces the leaf at `path` (32 bytes). */
  set(path: Uint8Array, leafHash: Uint8Array): void {
    if (this.root === null) {
      this.root = { kind: 0, path, hash: leafHash };
      this.count++;
      return;
    }
    let n: Node = this.root;
    while (n.kind === 1) n = bitAt(path, n.bit) ? n.right : n.left;
    const crit = critBit(n.path, path);
    if (crit < 0) {
      // Same key: replace the leaf hash and invalidate its ancestors.
      let m: Node = this.root;
      while (m.kind === 1) { m.dirty = true; m = bitAt(path, m.bit) ? m.right : m.left; }
      m.hash = leafHash;
      return;
    }
    const leaf: Leaf = { kind: 0, path, hash: leafHash };
    let parent: Inner | null = null;
    let cur: Node = this.root;
    while (cur.kind === 1 && cur.bit < crit) {
      cur.dirty = true;
      parent = cur;
      cur = bitAt(path, cur.bit) ? cur.right : cur.left;
    }
    const inner: Inner = bitAt(path, crit)
      ? { kind: 1, bit: crit, left: cur, right: leaf, hash: new Uint8Array(32), dirty: true }
      : { kind: 1, bit: crit, left: leaf, right: cur, hash: new Uint8Array(32), dirty: true };
    if (parent === null) this.root = inner;
    else if (bitAt(path, parent.bit)) parent.right = inner;
    else parent.left = inner;
    this.count++;
  }

  /** Removes the leaf at `path` if present. */
  delete(path: Uint8Array): void {
    if (this.root === null) return;
    let gp: Inner | null = null;
    let p: Inner | null = null;
    let cur: Node = this.root;
    while (cur.kind === 1) {
      gp = p;
      p = cur;
      cur = bitAt(path, cur.bit) ? cur.right : cur.left;
    }
    if (critBit(cur.path, path) >= 0) return;
    // Invalidate every inner node on the path before unlinking.
    for (let m: Node = this.root; m.kind === 1; m = bitAt(path, m.bit) ? m.right : m.left) m.dirty = true;
    this.count--;
    if (p === null) { this.root = null; return; }
    const sibling = bitAt(path, p.bit) ? p.left : p.right;
    if (gp === null) this.root = sibling;
    else if (bitAt(path, gp.bit)) gp.right = sibling;
    else gp.left = sibling;
  }

  /** The root hash (§7.2), recomputing only invalidated nodes. */
  rootHash(): Uint8Array {
    if (this.root === null) return EMPTY_ROOT.slice();
    return hashOf(this.root).slice();
  }
}

function hashOf(n: Node): Uint8Array {
  if (n.kind === 0) return n.hash;
  if (n.dirty) {
    nodeHash(1, hashOf(n.left), hashOf(n.right), n.hash);
    n.dirty = false;
  }
  return n.hash;
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
