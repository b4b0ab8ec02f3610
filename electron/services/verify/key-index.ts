// Where each key's latest record is in the state log (state-log.ts): an open-addressing table
// (linear probing) over typed arrays, 16 bytes a slot, no object or string per entry. The keys
// stay on disk: a slot holds a 32-bit hash of its key, and the caller confirms a hash match
// (the key read back from the log, or a slot it already knows for that key), so a collision
// costs a read, never a wrong answer. The hash is seeded per table (a random seed per run).
import { randomInt } from 'node:crypto';

const EMPTY = 0;
const DELETED = -1;

export class KeyIndex {
  private hashes: Int32Array;
  private offsets: Float64Array;
  /** Record length; EMPTY or DELETED for a free slot. */
  private lengths: Int32Array;
  private mask: number;
  private live = 0;
  /** Live and deleted slots (what probing walks over). */
  private taken = 0;
  private readonly seed = randomInt(2 ** 31);

  /** `onMove(remap)`: slots moved (the table grew), `remap[old]` is each live one's new slot. */
  constructor(private readonly onMove: (remap: Int32Array) => void = () => undefined, capacity = 1024) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.mask = cap - 1;
    this.hashes = new Int32Array(cap);
    this.offsets = new Float64Array(cap);
    this.lengths = new Int32Array(cap);
  }

  get size(): number {
    return this.live;
  }

  hash(key: string): number {
    let h = this.seed ^ key.length;
    for (let i = 0; i < key.length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /**
   * The first live slot with hash `h` at or after slot `from` in h's probe sequence (start with
   * `from` = -1; continue from a candidate the caller found to be another key's), or -1.
   */
  candidate(h: number, from = -1): number {
    for (let i = from < 0 ? h & this.mask : (from + 1) & this.mask; ; i = (i + 1) & this.mask) {
      const len = this.lengths[i]!;
      if (len === EMPTY) return -1;
      if (len > 0 && this.hashes[i] === h) return i;
    }
  }

  /** A new entry (the key must not be present); returns its slot. May move slots (epoch). */
  insert(h: number, offset: number, length: number): number {
    if (4 * (this.taken + 1) > 3 * (this.mask + 1)) this.rehash(2 * (this.live + 1) > this.mask + 1 ? 2 * (this.mask + 1) : this.mask + 1);
    let i = h & this.mask;
    while (this.lengths[i]! > 0) i = (i + 1) & this.mask;
    if (this.lengths[i] === EMPTY) this.taken++;
    this.hashes[i] = h;
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.live++;
    return i;
  }

  update(slot: number, offset: number, length: number): void {
    this.offsets[slot] = offset;
    this.lengths[slot] = length;
  }

  remove(slot: number): void {
    this.lengths[slot] = DELETED;
    this.live--;
  }

  offset(slot: number): number {
    return this.offsets[slot]!;
  }

  length(slot: number): number {
    return this.lengths[slot]!;
  }

  /** Every live slot, in ascending order of offset (reading them is then sequential). */
  slotsByOffset(): Int32Array {
    const out = new Int32Array(this.live);
    let n = 0;
    for (let i = 0; i <= this.mask; i++) if (this.lengths[i]! > 0) out[n++] = i;
    const off = this.offsets;
    return out.sort((a, b) => off[a]! - off[b]!);
  }

  private rehash(cap: number): void {
    const { hashes, offsets, lengths } = this;
    this.mask = cap - 1;
    this.hashes = new Int32Array(cap);
    this.offsets = new Float64Array(cap);
    this.lengths = new Int32Array(cap);
    this.taken = 0;
    this.live = 0;
    const remap = new Int32Array(lengths.length).fill(-1);
    for (let i = 0; i < lengths.length; i++) if (lengths[i]! > 0) remap[i] = this.insert(hashes[i]!, offsets[i]!, lengths[i]!);
    this.onMove(remap);
  }
}
