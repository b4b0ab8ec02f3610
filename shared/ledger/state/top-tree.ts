// The top of a bucketed §7.2 trie (bucketed.ts): the 2^B bucket roots as the leaves of a complete
// binary tree in one array (node k's children are 2k and 2k+1; bucket b is node 2^B + b). A node
// with buckets on both sides is SHA-256(0x01 ‖ left ‖ right); with buckets on one side only it
// is that side (the crit-bit trie collapses single-child levels, §7.2); with none it is empty.
// Fixed memory: 32 bytes and two flags per node, whatever the number of entries.
import { nodeHashWords } from '../../cometbft/sha256';
import { EMPTY_ROOT } from './merkle';

export class TopTree {
  /** Node k's hash: words 8k..8k+8. */
  private readonly h: Int32Array;
  /** 1: the node has a bucket with leaves under it. */
  private readonly full: Uint8Array;
  /** 1: queued for rehashing. */
  private readonly queued: Uint8Array;
  /** Nodes to rehash, all on one level. */
  private readonly queue: Int32Array;
  private n = 0;

  constructor(readonly bits: number) {
    const nodes = 2 ** (bits + 1);
    this.h = new Int32Array(8 * nodes);
    this.full = new Uint8Array(nodes);
    this.queued = new Uint8Array(nodes);
    this.queue = new Int32Array(2 ** bits);
  }

  /** Bucket b's root is w[o..o+8). */
  setLeaf(b: number, w: Int32Array, o: number): void {
    const k = 2 ** this.bits + b;
    for (let j = 0; j < 8; j++) this.h[8 * k + j] = w[o + j]!;
    this.full[k] = 1;
    this.enqueue(k);
  }

  /** Bucket b has no leaves. */
  clearLeaf(b: number): void {
    const k = 2 ** this.bits + b;
    this.full[k] = 0;
    this.enqueue(k);
  }

  /** The root (§7.2; empty: SHA-256 of nothing), rehashing the paths above the buckets set since. */
  root(): Uint8Array {
    const q = this.queue, queued = this.queued;
    let n = this.n;
    // Level by level up: each queued node's parent, once (parents go where their children were).
    while (n > 0 && q[0]! > 1) {
      let m = 0;
      for (let i = 0; i < n; i++) {
        const c = q[i]!;
        queued[c] = 0;
        const p = c >> 1;
        if (!queued[p]) { queued[p] = 1; q[m++] = p; }
      }
      for (let i = 0; i < m; i++) this.rehash(q[i]!);
      n = m;
    }
    for (let i = 0; i < n; i++) queued[q[i]!] = 0;
    this.n = 0;
    if (!this.full[1]) return EMPTY_ROOT.slice();
    const out = new Uint8Array(32);
    for (let j = 0; j < 8; j++) {
      const v = this.h[8 + j]!;
      out[4 * j] = v >>> 24; out[4 * j + 1] = (v >>> 16) & 0xff; out[4 * j + 2] = (v >>> 8) & 0xff; out[4 * j + 3] = v & 0xff;
    }
    return out;
  }

  private enqueue(k: number): void {
    if (this.queued[k]) return;
    this.queued[k] = 1;
    this.queue[this.n++] = k;
  }

  private rehash(p: number): void {
    const h = this.h, l = 2 * p, r = l + 1;
    if (this.full[l] && this.full[r]) nodeHashWords(1, h, 8 * l, h, 8 * r, h, 8 * p);
    else if (this.full[l] || this.full[r]) h.copyWithin(8 * p, 8 * (this.full[l] ? l : r), 8 * (this.full[l] ? l : r) + 8);
    this.full[p] = this.full[l]! | this.full[r]!;
  }
}
