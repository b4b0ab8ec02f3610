// A §7.2 commitment whose leaves live in a BucketStore (buckets.ts), e.g. on disk, so that what it
// keeps in memory does not grow with the state: the top of the trie over the 2^B buckets
// (top-tree.ts) and the buckets a block writes. The same root as AppHasher, byte for byte: all
// paths of a bucket share its B bits and differ only after them, so in the crit-bit trie each
// non-empty bucket is a whole subtree (its root: bucketRoot over its sorted leaves; one leaf: the
// leaf hash), and the crit bits above the buckets are the ones between bucket numbers.
//
// A block's writes go into copies of the buckets they touch (pending: regions of one array,
// reused from block to block, so a write allocates nothing); root() rehashes those buckets and
// the paths above them; the state that owns the store commits them (commit()) when it applies
// the block, or the machine drops them (discard()).
import { nodeHashWords } from '../../cometbft/sha256';
import { sha256WordsOf, type Sha256 } from '../hash';
import { bucketRoot, findLeaf, HASH, LEAF_WORDS, PATH, type BucketStore } from './buckets';
import type { StateCommitment } from './committed';
import { TopTree } from './top-tree';

/** Words of the pending buckets' array at first, and at most kept from one block to the next. */
const ARENA_START = 1 << 16, ARENA_KEPT = 1 << 20;

export class BucketedCommitment implements StateCommitment {
  readonly bits: number;
  /** Words per leaf. */
  readonly stride: number;
  private readonly shift: number;
  private readonly top: TopTree;
  /** The pending buckets' leaves: bucket b's `count[b]` leaves at arena[at[b]..], room for `room[b]` (at[b] -1: not pending). */
  private arena = new Int32Array(ARENA_START);
  private used = 0;
  private readonly at: Int32Array;
  private readonly count: Int32Array;
  private readonly room: Int32Array;
  /** The pending buckets. */
  private readonly dirty: number[] = [];
  /** Buckets whose root the top does not have yet. */
  private readonly stale: number[] = [];
  private readonly isStale: Uint8Array;
  /** Keys written since the last commit, in order (a key written twice is there twice); key i's path is paths[8i..8i+8). */
  private readonly written: string[] = [];
  private paths = new Int32Array(8 * 256);
  /** Where the owner's next write is expected in `written` (it applies them in the order written). */
  private cursor = 0;
  /** Index of `written`, made only when the owner's writes come in another order. */
  private index: Map<string, number> | null = null;
  private leaves = 0;
  /** Leaves added by pending writes (less those removed). */
  private delta = 0;
  /** Path words at 0, value and then leaf hash at 8. */
  private readonly w = new Int32Array(16);

  constructor(private store: BucketStore, private readonly host?: Sha256) {
    if (!Number.isInteger(store.bits) || store.bits < 1 || store.bits > 24) throw new RangeError(`bucket bits ${store.bits} (1..24)`);
    this.bits = store.bits;
    this.stride = LEAF_WORDS + store.extraWords;
    this.shift = 32 - store.bits;
    this.top = new TopTree(store.bits);
    const n = 2 ** store.bits;
    this.isStale = new Uint8Array(n);
    this.at = new Int32Array(n).fill(-1);
    this.count = new Int32Array(n);
    this.room = new Int32Array(n);
  }

  /** Entries, pending writes included. */
  get size(): number {
    return this.leaves + this.delta;
  }

  /** Entries committed. */
  get committedSize(): number {
    return this.leaves;
  }

  writeCanonical(key: string, canonical: string | Uint8Array | null): void {
    const w = this.w, s = this.stride;
    sha256WordsOf(this.host, key, w, 0);
    const b = w[0]! >>> this.shift;
    let i: number;
    if (this.at[b]! < 0) {
      const from = this.store.load(b);
      i = findLeaf(from, 0, from.length / s, s, w, 0);
      if (canonical === null && i < 0) return this.remember(key); // nothing to delete
      this.pend(b, from);
    } else {
      i = findLeaf(this.arena, this.at[b]!, this.count[b]!, s, w, 0);
      if (canonical === null && i < 0) return this.remember(key);
    }
    if (canonical === null) {
      const at = this.at[b]! + i * s, end = this.at[b]! + this.count[b]! * s;
      this.arena.copyWithin(at, at + s, end);
      this.count[b]!--;
      this.delta--;
    } else {
      sha256WordsOf(this.host, canonical, w, 8, true);
      nodeHashWords(0, w, 0, w, 8, w, 8); // §7.2 leaf: SHA-256(0x00 ‖ path ‖ value hash)
      if (i < 0) {
        i = -i - 1;
        if (this.count[b] === this.room[b]) this.move(b, 2 * this.room[b]! + 2);
        const at = this.at[b]! + i * s, end = this.at[b]! + this.count[b]! * s;
        this.arena.copyWithin(at + s, at, end);
        for (let j = 0; j < 8; j++) this.arena[at + PATH + j] = w[j]!;
        this.arena.fill(-1, at + LEAF_WORDS, at + s);
        this.count[b]!++;
        this.delta++;
      }
      const at = this.at[b]! + i * s;
      for (let j = 0; j < 8; j++) this.arena[at + HASH + j] = w[8 + j]!;
    }
    this.remember(key);
    if (!this.isStale[b]) { this.isStale[b] = 1; this.stale.push(b); }
  }

  root(): Uint8Array {
    for (const b of this.stale) {
      let ok: boolean;
      if (this.at[b]! >= 0) ok = bucketRoot(this.arena, this.at[b]!, this.count[b]!, this.stride, this.w, 0);
      else {
        const leaves = this.store.load(b);
        ok = bucketRoot(leaves, 0, leaves.length / this.stride, this.stride, this.w, 0);
      }
      if (ok) this.top.setLeaf(b, this.w, 0);
      else this.top.clearLeaf(b);
      this.isStale[b] = 0;
    }
    this.stale.length = 0;
    return this.top.root();
  }

  /**
   * Where `key` is among the writes since the last commit (for setExtra), or -1 if it was not
   * written. Cheap when asked in the order written, as the machine's writes are applied.
   */
  writeIndex(key: string): number {
    if (this.written[this.cursor] === key) return this.cursor++;
    this.index ??= new Map(this.written.map((k, i) => [k, i]));
    return this.index.get(key) ?? -1;
  }

  /** Sets the store's words of the pending leaf of write `n` (writeIndex); false if it deleted the leaf. */
  setExtra(n: number, words: ArrayLike<number>): boolean {
    const b = this.paths[8 * n]! >>> this.shift;
    const i = this.at[b]! < 0 ? -1 : findLeaf(this.arena, this.at[b]!, this.count[b]!, this.stride, this.paths, 8 * n);
    if (i < 0) return false;
    const at = this.at[b]! + i * this.stride + LEAF_WORDS;
    for (let j = 0; j < words.length; j++) this.arena[at + j] = words[j]!;
    return true;
  }

  /** The pending writes become the store's (its owner calls this when it applies the block). */
  commit(): void {
    for (const b of this.dirty) this.store.save(b, this.arena.subarray(this.at[b]!, this.at[b]! + this.count[b]! * this.stride));
    this.leaves += this.delta;
    this.forget();
  }

  discard(): void {
    for (const b of this.dirty) {
      if (!this.isStale[b]) { this.isStale[b] = 1; this.stale.push(b); }
    }
    this.forget();
  }

  /** Takes in bucket b's leaves, as the store holds them (e.g. a state resumed from disk). */
  adopt(b: number, leaves: Int32Array): void {
    const n = leaves.length / this.stride;
    this.leaves += n;
    if (bucketRoot(leaves, 0, n, this.stride, this.w, 0)) this.top.setLeaf(b, this.w, 0);
    else this.top.clearLeaf(b);
  }

  /** Another store holding the same leaves (e.g. compacted into a new file); nothing may be pending. */
  useStore(store: BucketStore): void {
    if (this.dirty.length) throw new Error('useStore with writes pending');
    if (store.bits !== this.bits || LEAF_WORDS + store.extraWords !== this.stride) throw new Error('useStore: another layout');
    this.store = store;
  }

  /** Bucket b becomes pending, holding `leaves` (its committed ones) with room for more. */
  private pend(b: number, leaves: Int32Array): void {
    const n = leaves.length / this.stride;
    this.reserve(b, n + 2);
    this.arena.set(leaves, this.at[b]!);
    this.count[b] = n;
    this.dirty.push(b);
  }

  /** Moves bucket b's leaves to a region with room for `room` leaves. */
  private move(b: number, room: number): void {
    const from = this.at[b]!, words = this.count[b]! * this.stride;
    this.reserve(b, room);
    this.arena.copyWithin(this.at[b]!, from, from + words);
  }

  /** A region at the end of the arena for `room` leaves of bucket b (the arena grows as needed). */
  private reserve(b: number, room: number): void {
    const need = this.used + room * this.stride;
    if (need > this.arena.length) {
      const a = new Int32Array(Math.max(need, 2 * this.arena.length));
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    this.at[b] = this.used;
    this.room[b] = room;
    this.used = need;
  }

  private remember(key: string): void {
    const at = this.written.length;
    if (8 * at + 8 > this.paths.length) {
      const p = new Int32Array(2 * this.paths.length);
      p.set(this.paths);
      this.paths = p;
    }
    for (let j = 0; j < 8; j++) this.paths[8 * at + j] = this.w[j]!;
    this.written.push(key);
    if (this.index && !this.index.has(key)) this.index.set(key, at);
  }

  private forget(): void {
    for (const b of this.dirty) this.at[b] = -1;
    this.dirty.length = 0;
    this.used = 0;
    if (this.arena.length > ARENA_KEPT) this.arena = new Int32Array(ARENA_START); // after e.g. a genesis of many entries
    this.written.length = 0;
    this.cursor = 0;
    this.index = null;
    this.delta = 0;
  }
}
