// In-memory index: for each (kind, height) the location of the latest valid record.
// Dense typed arrays over [base, base + capacity): 8 bytes of location + 4 of length per
// kind per height, no payloads. A location packs (segment number, offset) as
// segment * 2^32 + offset; 0 means absent (segment numbers start at 1).

import { KIND_LIST, REQUIRED_KINDS, kindSlot } from './kinds';

const K = KIND_LIST.length;
const REQUIRED = REQUIRED_KINDS.map(kindSlot);
const TWO32 = 2 ** 32;

export const packLoc = (segment: number, offset: number): number => segment * TWO32 + offset;
export const locSegment = (loc: number): number => Math.floor(loc / TWO32);
export const locOffset = (loc: number): number => loc % TWO32;

export interface HeightRange {
  from: number;
  to: number;
}

export class HeightIndex {
  private base = 0;
  private cap = 0;
  private locs = new Float64Array(0);
  private lens = new Uint32Array(0);
  private lo = Infinity; // lowest and highest heights with any entry
  private hi = 0;
  private contig = 0; // end of the complete run starting at lo (lo - 1 when none)
  private contigDirty = false;
  readonly countBySlot = new Array<number>(K).fill(0);

  get lowest(): number {
    return this.lo === Infinity ? 0 : this.lo;
  }

  get highest(): number {
    return this.hi;
  }

  get count(): number {
    return this.countBySlot.reduce((a, b) => a + b, 0);
  }

  loc(slot: number, height: number): number {
    const i = height - this.base;
    return i >= 0 && i < this.cap ? this.locs[i * K + slot]! : 0;
  }

  len(slot: number, height: number): number {
    return this.lens[(height - this.base) * K + slot]!;
  }

  set(slot: number, height: number, loc: number, len: number): void {
    this.ensure(height);
    const j = (height - this.base) * K + slot;
    if (this.locs[j] === 0) this.countBySlot[slot]!++;
    this.locs[j] = loc;
    this.lens[j] = len;
    if (height < this.lo) {
      this.lo = height;
      this.contigDirty = true;
    }
    if (height > this.hi) this.hi = height;
    if (!this.contigDirty && height === this.contig + 1) {
      while (this.contig < this.hi && this.complete(this.contig + 1)) this.contig++;
    }
  }

  delete(slot: number, height: number): void {
    const i = height - this.base;
    if (i < 0 || i >= this.cap) return;
    const j = i * K + slot;
    if (this.locs[j] === 0) return;
    this.locs[j] = 0;
    this.lens[j] = 0;
    this.countBySlot[slot]!--;
    this.contigDirty = true;
  }

  /** Keep `height` as the lowest height even when nothing is stored there (after a drop, across reopen). */
  noteLowest(height: number): void {
    if (height > 0 && height < this.lo) {
      this.lo = height;
      this.contigDirty = true;
    }
  }

  complete(height: number): boolean {
    const i = height - this.base;
    if (i < 0 || i >= this.cap) return false;
    for (const s of REQUIRED) if (this.locs[i * K + s] === 0) return false;
    return true;
  }

  /** End of the run of complete heights that starts at the lowest stored height; 0 when there is none. */
  completeHeight(): number {
    if (this.lo === Infinity) return 0;
    if (this.contigDirty) {
      this.contig = this.lo - 1;
      while (this.contig < this.hi && this.complete(this.contig + 1)) this.contig++;
      this.contigDirty = false;
    }
    return this.contig >= this.lo ? this.contig : 0;
  }

  /** Runs of complete heights (when complete) or of incomplete ones, within [from, to]. */
  ranges(from: number, to: number, complete: boolean): HeightRange[] {
    const out: HeightRange[] = [];
    if (to < from) return out;
    // Outside [base, base + cap) nothing is complete: those parts are handled without a loop.
    const a = Math.max(from, this.base);
    const b = Math.min(to, this.base + this.cap - 1);
    if (a > b) return complete ? out : [{ from, to }];
    let start = !complete && from < a ? from : -1;
    for (let h = a; h <= b; h++) {
      if (this.complete(h) === complete) {
        if (start < 0) start = h;
      } else if (start >= 0) {
        out.push({ from: start, to: h - 1 });
        start = -1;
      }
    }
    if (!complete && to > b && start < 0) start = b + 1;
    if (start >= 0) out.push({ from: start, to });
    return out;
  }

  private ensure(height: number): void {
    if (this.cap === 0) {
      this.base = height;
      this.grow(height, 1024);
      return;
    }
    if (height >= this.base && height < this.base + this.cap) return;
    const lo = Math.min(this.base, height);
    const hi = Math.max(this.base + this.cap - 1, height);
    const cap = Math.max(hi - lo + 1, this.cap * 2);
    // Growing downwards leaves the slack below, upwards above.
    this.grow(height < this.base ? Math.max(0, hi - cap + 1) : lo, cap);
  }

  private grow(newBase: number, newCap: number): void {
    if (newCap * K > 2 ** 31) throw new RangeError(`height span ${newCap} too large for the index`);
    const locs = new Float64Array(newCap * K);
    const lens = new Uint32Array(newCap * K);
    const shift = (this.base - newBase) * K;
    locs.set(this.locs, shift);
    lens.set(this.lens, shift);
    this.locs = locs;
    this.lens = lens;
    this.base = newBase;
    this.cap = newCap;
  }
}
