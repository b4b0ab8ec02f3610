// Walking the verifier's state on disk bucket by bucket, in chunks of a bounded number of leaves:
// each chunk's values are read from the state log in file order (readRecords). Used to list the
// state (keys, forEachCanonical) and to copy it into a new generation: compaction, and a resume,
// which also checks every value against its leaf.
import { sha256WordsOf, type Sha256 } from '../../../shared/ledger/hash';
import { comparePath, HASH, LEAF_WORDS, PATH, type BucketStore } from '../../../shared/ledger/state/buckets';
import { nodeHashWords } from '../../../shared/cometbft/sha256';
import { setLocation, STRIDE, valueLength, valueOffset, type DiskBucketStore } from './bucket-store';
import { readRecords, RECORD_HEADER, TOMBSTONE, type LogFile, type LogWriter } from './state-log';

/** Leaves per chunk (about 76 bytes each, plus their values' locations). */
const CHUNK_LEAVES = 16_384;

/**
 * Every bucket with leaves, in chunks: `fn` gets the chunk's buckets, a copy of each one's leaves,
 * and calls `read` to have their values (a view of each record, valid during the call) in file order.
 */
export function forEachChunk(
  store: DiskBucketStore, log: LogFile,
  fn: (buckets: number[], leaves: Int32Array[], read: (each: (bucket: number, leaf: number, rec: Buffer) => void) => void) => void,
): void {
  const n = 2 ** store.bits;
  for (let b = 0; b < n;) {
    const buckets: number[] = [];
    const leaves: Int32Array[] = [];
    let count = 0;
    for (; b < n && count < CHUNK_LEAVES; b++) {
      if (!store.has(b)) continue;
      const l = store.load(b).slice();
      buckets.push(b);
      leaves.push(l);
      count += l.length / STRIDE;
    }
    if (!count) continue;
    fn(buckets, leaves, (each) => {
      // Sorted by offset: `at` holds (bucket index, leaf) pairs.
      const offs = new Float64Array(count), lens = new Int32Array(count), at = new Int32Array(2 * count);
      let k = 0;
      leaves.forEach((l, i) => {
        for (let j = 0; j < l.length / STRIDE; j++, k++) { offs[k] = valueOffset(l, j); lens[k] = valueLength(l, j); at[2 * k] = i; at[2 * k + 1] = j; }
      });
      const order = Int32Array.from({ length: count }, (_, i) => i).sort((x, y) => offs[x]! - offs[y]!);
      readRecords(log, Array.from(order, (i) => offs[i]!), Array.from(order, (i) => lens[i]!), (r, rec) => {
        const i = order[r]!;
        each(at[2 * i]!, at[2 * i + 1]!, rec);
      });
    });
  }
}

/**
 * Copies the state (`from`: its buckets and the log their leaves point into) into a new
 * generation (`to`: an empty store and log): each value once, in file order, each bucket with its
 * new locations. `adopt` sees each bucket as copied. With `check` (a resume), every leaf must hold
 * the value it commits to: the record's key hashes to the leaf's path, in the leaf's bucket and
 * in order, and SHA-256(0x00 ‖ path ‖ SHA-256(value)) is the leaf's hash (§7.2).
 */
export function copyState(
  from: { store: DiskBucketStore; log: LogFile }, to: { store: BucketStore; log: LogWriter },
  adopt: (b: number, leaves: Int32Array) => void, check: { sha256?: Sha256 } | null,
): void {
  const w = new Int32Array(16);
  const loc = new Int32Array(3);
  forEachChunk(from.store, from.log, (buckets, leaves, read) => {
    if (check) buckets.forEach((b, i) => checkBucket(b, leaves[i]!, from.store.bits));
    read((i, j, rec) => {
      if (check) checkValue(rec, leaves[i]!, j, w, check.sha256);
      setLocation(loc, to.log.appendRecord(rec), rec.length);
      leaves[i]!.set(loc, j * STRIDE + LEAF_WORDS);
    });
    buckets.forEach((b, i) => {
      to.store.save(b, leaves[i]!);
      adopt(b, leaves[i]!);
    });
  });
}

/** The leaves are in bucket b (their first bits) and strictly in path order. */
function checkBucket(b: number, leaves: Int32Array, bits: number): void {
  for (let i = 0; i < leaves.length; i += STRIDE) {
    if (leaves[i]! >>> (32 - bits) !== b) throw new Error(`bucket ${b} holds a leaf of another bucket`);
    if (i > 0 && comparePath(leaves, i - STRIDE + PATH, leaves, i + PATH) >= 0) throw new Error(`bucket ${b}'s leaves are out of order`);
  }
}

/** The record is a value (not a tombstone) whose key is leaf j's path and whose leaf hash is leaf j's. */
function checkValue(rec: Buffer, leaves: Int32Array, j: number, w: Int32Array, sha256: Sha256 | undefined): void {
  const keyLen = rec.readUInt32LE(0), valueLen = rec.readUInt32LE(4);
  if (valueLen === TOMBSTONE || RECORD_HEADER + keyLen + valueLen !== rec.length) throw new Error('a leaf points at no value record');
  sha256WordsOf(sha256, rec.subarray(RECORD_HEADER, RECORD_HEADER + keyLen), w, 0);
  sha256WordsOf(sha256, rec.subarray(RECORD_HEADER + keyLen), w, 8);
  nodeHashWords(0, w, 0, w, 8, w, 8);
  const at = j * STRIDE;
  for (let k = 0; k < 8; k++) {
    if (w[k] !== leaves[at + PATH + k]) throw new Error('a value record\'s key is not its leaf\'s');
    if (w[8 + k] !== leaves[at + HASH + k]) throw new Error('a value does not hash to its leaf');
  }
}
