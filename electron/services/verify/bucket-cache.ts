// A byte-bounded cache of bucket contents (bucket-store.ts): one Int32Array ring in segments,
// filled in order; when the ring comes round, the next segment is emptied whole (FIFO by
// segment). Nothing is allocated per entry: an entry is [bucket, words, ...words] and a table
// holds each bucket's position. An entry larger than a segment is not cached.
export class BucketCache {
  private ring!: Int32Array;
  private bytes!: Uint8Array;
  /** Where each bucket's entry is, or -1. */
  private readonly at: Int32Array;
  private segWords = 0;
  /** Where each segment's entries end. */
  private readonly ends: Int32Array;
  private seg = 0;
  private fill = 0;

  constructor(bits: number, capacityBytes: number, segments = 8) {
    this.at = new Int32Array(2 ** bits);
    this.ends = new Int32Array(segments);
    this.resize(capacityBytes);
  }

  /** Bytes it holds at most. */
  get capacity(): number {
    return this.ring.byteLength;
  }

  /** A new capacity (emptied). */
  resize(capacityBytes: number): void {
    this.segWords = Math.max(64, Math.floor(capacityBytes / 4 / this.ends.length));
    this.ring = new Int32Array(this.segWords * this.ends.length);
    this.bytes = new Uint8Array(this.ring.buffer);
    this.clear();
  }

  /** Bucket b's words (a view, valid until the next put), or null. */
  get(b: number): Int32Array | null {
    const p = this.at[b]!;
    return p < 0 ? null : this.ring.subarray(p + 2, p + 2 + this.ring[p + 1]!);
  }

  /** Caches bucket b's words (replacing any; none if too large). */
  put(b: number, words: Int32Array): void {
    const p = this.reserve(b, words.length);
    if (p >= 0) this.ring.set(words, p);
  }

  /** As put, from the words' bytes (little-endian, any alignment). */
  putBytes(b: number, src: Uint8Array): Int32Array | null {
    const n = src.length >> 2;
    const p = this.reserve(b, n);
    if (p < 0) return null;
    this.bytes.set(src.subarray(0, 4 * n), 4 * p);
    return this.ring.subarray(p, p + n);
  }

  drop(b: number): void {
    this.at[b] = -1;
  }

  clear(): void {
    this.at.fill(-1);
    for (let i = 0; i < this.ends.length; i++) this.ends[i] = i * this.segWords;
    this.seg = 0;
    this.fill = 0;
  }

  /** Room for n words of bucket b; returns where they go, or -1. */
  private reserve(b: number, n: number): number {
    this.at[b] = -1;
    if (n + 2 > this.segWords) return -1;
    if (this.fill + n + 2 > (this.seg + 1) * this.segWords) this.nextSegment();
    const p = this.fill;
    this.ring[p] = b;
    this.ring[p + 1] = n;
    this.at[b] = p;
    this.fill += n + 2;
    this.ends[this.seg] = this.fill;
    return p + 2;
  }

  /** Empties the next segment (forgetting the buckets whose entry is there) and fills it next. */
  private nextSegment(): void {
    this.seg = (this.seg + 1) % this.ends.length;
    const start = this.seg * this.segWords;
    for (let p = start; p < this.ends[this.seg]!; p += 2 + this.ring[p + 1]!) {
      const b = this.ring[p]!;
      if (this.at[b] === p) this.at[b] = -1;
    }
    this.ends[this.seg] = start;
    this.fill = start;
  }
}
