// The bucket file: the leaves of the verifier's AppHash commitment on disk (shared/ledger/state/
// bucketed.ts), one append-only file per generation beside the state log of the same generation
// (`<checkpoint file>.buckets-<gen>`, state-log.ts). When a block is committed, each bucket it
// wrote is appended whole, as one record; the latest record of a bucket is its content.
//
//   "custos-state-buckets/1\n" | u8 B | record*     record: u32 LE bucket | u32 LE leaves | leaves
//   leaf (19 × int32 LE): path (8 big-endian words) | leaf hash (8) | value's state log offset (low, high 32 bits) | record length
//
// In memory: where each bucket's latest record is (12 bytes a bucket, 2^B buckets), the bytes of
// values each bucket's leaves point at, and a byte-bounded cache of bucket contents.
import { endianness } from 'node:os';
import { basename } from 'node:path';
import { LEAF_WORDS, type BucketStore } from '../../../shared/ledger/state/buckets';
import { BucketCache } from './bucket-cache';
import { scanRecords, type LogWriter } from './state-log';

if (endianness() !== 'LE') throw new Error('the bucket file is read and written as little-endian words');

export const BUCKET_MAGIC = Buffer.from('custos-state-buckets/1\n', 'latin1');
/** A leaf's words after its path and hash: where its value is in the state log. */
export const LOCATION_WORDS = 3;
export const STRIDE = LEAF_WORDS + LOCATION_WORDS;
const LOC = LEAF_WORDS;
const RECORD_HEADER = 8;
const NONE = new Int32Array(0);

/** The header of a bucket file of 2^bits buckets. */
export function bucketHeader(bits: number): Buffer {
  return Buffer.concat([BUCKET_MAGIC, Buffer.from([bits])]);
}

/** Where leaf i's value is in the state log. */
export function valueOffset(leaves: Int32Array, i: number): number {
  return (leaves[i * STRIDE + LOC]! >>> 0) + leaves[i * STRIDE + LOC + 1]! * 2 ** 32;
}

export function valueLength(leaves: Int32Array, i: number): number {
  return leaves[i * STRIDE + LOC + 2]!;
}

/** Sets a location's words (offset, length) into w[0..3). */
export function setLocation(w: Int32Array, offset: number, length: number): void {
  w[0] = offset >>> 0;
  w[1] = Math.floor(offset / 2 ** 32);
  w[2] = length;
}

/** Something bucket records can be read from: the file being written, or one opened for reading. */
export interface RecordSource { read(offset: number, length: number): Buffer }

export class DiskBucketStore implements BucketStore {
  readonly extraWords = LOCATION_WORDS;
  /** Each bucket's latest record: offset (0: empty) and length. */
  private readonly offsets: Float64Array;
  private readonly lengths: Int32Array;
  /** Bytes of the state log records each bucket's leaves point at. */
  private readonly values: Float64Array;
  /** Bytes of the latest records, and of the values they point at. */
  liveBytes = 0;
  liveValueBytes = 0;
  readonly stats = { hits: 0, reads: 0 };

  /**
   * `cacheBytes`: the cache's budget; it may start smaller and doubles while it holds less than
   * the buckets' live bytes, so a small state costs little.
   */
  private constructor(
    readonly bits: number, private readonly file: RecordSource, private readonly cache: BucketCache, private readonly cacheBytes = cache.capacity,
    /** Where save() appends: the file itself when it is being written; null for one opened to be read (scan). */
    private readonly writer: LogWriter | null = null,
  ) {
    this.offsets = new Float64Array(2 ** bits);
    this.lengths = new Int32Array(2 ** bits);
    this.values = new Float64Array(2 ** bits);
  }

  /** An empty store writing into `file` (a new bucket file), its cache growing up to `cacheBytes`. */
  static create(bits: number, file: LogWriter, cache: BucketCache, cacheBytes: number): DiskBucketStore {
    return new DiskBucketStore(bits, file, cache, cacheBytes, file);
  }

  /**
   * The buckets of the file at `path` up to `mark` (refused unless those bytes are exactly the
   * ones marked, and every record is well-formed), read through `file`.
   */
  static scan(path: string, mark: { length: number; sha256: string }, file: RecordSource, cacheBytes: number): DiskBucketStore {
    const head = Buffer.from(file.read(0, BUCKET_MAGIC.length + 1));
    const bits = head[BUCKET_MAGIC.length]!;
    if (!head.subarray(0, BUCKET_MAGIC.length).equals(BUCKET_MAGIC) || bits < 1 || bits > 24) throw new Error(`${basename(path)} is not a bucket file`);
    const s = new DiskBucketStore(bits, file, new BucketCache(bits, cacheBytes));
    scanRecords(path, mark, head, 'bucket file', (buf, at, end) => {
      if (at + RECORD_HEADER > end) return null;
      const length = RECORD_HEADER + 4 * STRIDE * buf.readUInt32LE(at + 4);
      return at + length <= end ? length : null;
    }, (offset, rec) => {
      const b = rec.readUInt32LE(0);
      if (b >= 2 ** bits) throw new Error(`${basename(path)}: the record at ${offset} names bucket ${b} of ${2 ** bits}`);
      s.offsets[b] = rec.length > RECORD_HEADER ? offset : 0;
      s.lengths[b] = rec.length > RECORD_HEADER ? rec.length : 0;
    });
    for (let b = 0; b < s.offsets.length; b++) s.liveBytes += s.lengths[b]!;
    return s;
  }

  /** Whether bucket b has leaves. */
  has(b: number): boolean {
    return this.offsets[b]! > 0;
  }

  load(b: number): Int32Array {
    const c = this.cache.get(b);
    if (c) {
      this.stats.hits++;
      return c;
    }
    const off = this.offsets[b]!;
    if (!off) return NONE;
    this.stats.reads++;
    const rec = this.file.read(off, this.lengths[b]!);
    if (rec.readUInt32LE(0) !== b) throw new Error(`the bucket file's record at ${off} is not bucket ${b}'s`);
    const body = rec.subarray(RECORD_HEADER);
    const cached = this.cache.putBytes(b, body);
    if (cached) return cached;
    const out = new Int32Array(body.length >> 2);
    new Uint8Array(out.buffer).set(body);
    return out;
  }

  save(b: number, leaves: Int32Array): void {
    if (!this.writer) throw new Error('a bucket file opened for reading is not written');
    let values = 0;
    for (let i = LOC + 2; i < leaves.length; i += STRIDE) values += leaves[i]!;
    this.liveValueBytes += values - this.values[b]!;
    this.values[b] = values;
    this.liveBytes -= this.lengths[b]!;
    const length = RECORD_HEADER + 4 * leaves.length;
    const offset = this.writer.appendWords(b, leaves.length / STRIDE, leaves);
    if (leaves.length) {
      this.offsets[b] = offset;
      this.lengths[b] = length;
      this.liveBytes += length;
      if (this.liveBytes > this.cache.capacity && this.cache.capacity < this.cacheBytes) this.cache.resize(Math.min(this.cacheBytes, 2 * this.cache.capacity));
      this.cache.put(b, leaves);
    } else {
      this.offsets[b] = 0;
      this.lengths[b] = 0;
      this.cache.drop(b);
    }
  }
}
