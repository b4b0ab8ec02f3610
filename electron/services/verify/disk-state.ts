// The ledger's committed state on disk (shared/ledger/state/committed.ts CommittedState), for
// the chain worker, with its AppHash commitment on disk too, so that what it keeps in memory is a
// fixed budget, not a cost per entry:
//
//   state log    the values: one record per write (state-log.ts);
//   bucket file  the §7.2 leaves in 2^B buckets by path, each leaf with where its value is in the
//                state log (bucket-store.ts): the commitment's store, and the state's index;
//   in memory    the top of the trie over the buckets (shared/ledger/state/bucketed.ts), a table
//                of where each bucket is, a byte-bounded cache of buckets and a bounded cache of
//                parsed values (the hot ones: accounts, members, policy, meta).
//
//   get      the value cache, else the key's path (SHA-256) → its bucket → its leaf → one read of
//            its record, whose key must be the one asked for;
//   apply    one record per write (canonical JSON, already computed for the AppHash), then the
//            buckets the block wrote (the machine wrote them into the commitment first);
//   mark     both files on disk (fsync), named by length and SHA-256, for a checkpoint;
//   resume   the files a checkpoint names, read up to their marks (which must match byte for
//            byte), every leaf checked against its value and copied into a new generation; the
//            machine then refuses the lot unless the root is the recorded AppHash (LedgerMachine.open).
// When most of both files is dead (superseded), the live part moves to a new generation.
// A failure of the files (I/O, a record that does not parse) is a CommittedStateError: the host's,
// never a verdict on the block being replayed.
import { unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { Json } from '../../../shared/ledger/encoding/canonical';
import { sha256WordsOf, type Sha256 } from '../../../shared/ledger/hash';
import { BucketedCommitment } from '../../../shared/ledger/state/bucketed';
import { findLeaf } from '../../../shared/ledger/state/buckets';
import { CommittedStateError, type CommittedState, type StateWrite } from '../../../shared/ledger/state/committed';
import { BucketCache } from './bucket-cache';
import { bucketHeader, DiskBucketStore, setLocation, STRIDE, valueLength, valueOffset } from './bucket-store';
import { copyState, forEachChunk } from './state-copy';
import { bucketFilePath, LOG_MAGIC, LogReader, LogWriter, logRecordLength, RECORD_HEADER, scanRecords, type LogMark } from './state-log';
import { ValueCache } from './value-cache';

export interface DiskStateOptions {
  /** Parsed values kept in memory, at most (default 16,384). */
  cacheEntries?: number;
  /** Bytes of bucket contents kept in memory, at most (default 4 MiB; less while the buckets are fewer). */
  bucketCacheBytes?: number;
  /** B: 2^B buckets (default 16: 4 MiB for the top of the trie, 12 bytes a bucket for the table). */
  bucketBits?: number;
  /** The files are compacted once their dead bytes are at least this many (default 64 MiB) and twice their live bytes. */
  compactMinBytes?: number;
  /** Each file's append buffer (default 1 MiB). */
  bufferBytes?: number;
  /** SHA-256 for long keys and values (as MachineOptions.sha256: the same results). */
  sha256?: Sha256;
}

export class DiskState implements CommittedState {
  private log: LogWriter;
  private buckets: LogWriter;
  private store: DiskBucketStore;
  readonly commitment: BucketedCommitment;
  private readonly cache: ValueCache;
  private readonly bucketCache: BucketCache;
  private readonly compactMin: number;
  /** Every file this state wrote (compaction starts a new generation). */
  private readonly written: string[] = [];
  private readonly w = new Int32Array(8);
  private readonly loc = new Int32Array(3);
  /** Counters (tests, measurements). */
  readonly stats = { hits: 0, reads: 0, compactions: 0 };

  private constructor(private readonly checkpointPath: string, private readonly opts: DiskStateOptions, bits: number) {
    const { log, buckets } = LogWriter.createGeneration(checkpointPath, bucketHeader(bits), opts.bufferBytes);
    this.log = log;
    this.buckets = buckets;
    this.written.push(log.path, buckets.path);
    const cacheBytes = opts.bucketCacheBytes ?? 4 << 20;
    this.bucketCache = new BucketCache(bits, Math.min(cacheBytes, 1 << 20));
    this.store = DiskBucketStore.create(bits, buckets, this.bucketCache, cacheBytes);
    this.commitment = new BucketedCommitment(this.store, opts.sha256);
    this.cache = new ValueCache(Math.max(1, opts.cacheEntries ?? 16_384));
    this.compactMin = opts.compactMinBytes ?? 64 << 20;
  }

  /** An empty state in a new generation beside the checkpoint at `checkpointPath`. */
  static create(checkpointPath: string, opts: DiskStateOptions = {}): DiskState {
    return new DiskState(checkpointPath, opts, opts.bucketBits ?? 16);
  }

  /**
   * The state a checkpoint recorded: the log at `path` and its bucket file, up to `mark` (refused
   * unless those bytes are exactly the ones marked and every leaf holds its value), copied into
   * a new generation. Memory: the same fixed budget as a running state.
   */
  static resume(checkpointPath: string, path: string, mark: LogMark, opts: DiskStateOptions = {}): DiskState {
    if (!mark.buckets) throw new Error(`${mark.file} has no bucket file (an older version's state log)`);
    const bpath = bucketFilePath(checkpointPath, mark.file);
    if (!bpath) throw new Error(`${mark.file} is not a state log of this checkpoint`);
    scanRecords(path, mark, LOG_MAGIC, 'state log', logRecordLength, () => undefined);
    const log = LogReader.open(path, mark.length);
    const bfile = LogReader.open(bpath, mark.buckets.length);
    try {
      const from = DiskBucketStore.scan(bpath, mark.buckets, bfile, 64 << 10); // each bucket is read once
      const s = new DiskState(checkpointPath, opts, from.bits);
      try {
        copyState({ store: from, log }, { store: s.store, log: s.log }, (b, leaves) => s.commitment.adopt(b, leaves), { sha256: opts.sha256 });
        return s;
      } catch (e) {
        s.close(null);
        throw e;
      }
    } finally {
      log.close();
      bfile.close();
    }
  }

  get size(): number {
    return this.commitment.committedSize;
  }

  /** The log being written. */
  get file(): string {
    return this.log.file;
  }

  /** Bucket cache counters. */
  get bucketStats(): { hits: number; reads: number } {
    return this.store.stats;
  }

  get(key: string): Json | undefined {
    const c = this.cache.find(key);
    if (c >= 0) {
      this.stats.hits++;
      return this.cache.value(c);
    }
    return this.io('read', () => this.read(key));
  }

  apply(writes: readonly StateWrite[]): void {
    this.io('write', () => this.write(writes));
  }

  keys(): Iterable<string> {
    const out: string[] = [];
    this.forEachRecord((key) => out.push(key));
    return out;
  }

  canonical(key: string): string | undefined {
    return this.io('read', () => {
      const found = this.lookup(key);
      return found ? found.rec.toString('utf8', found.keyEnd) : undefined;
    });
  }

  forEachCanonical(fn: (key: string, canonical: string | Uint8Array) => void): void {
    this.forEachRecord(fn);
  }

  /** Everything applied so far, on disk, as a checkpoint names it. */
  mark(): LogMark {
    return this.io('sync', () => {
      const b = this.buckets.mark();
      return { ...this.log.mark(), buckets: { length: b.length, sha256: b.sha256 } };
    });
  }

  /**
   * Closes the files; with `keep` given, deletes every file this state wrote except the log named
   * `keep` and its bucket file (the ones a written checkpoint names; null: none).
   */
  close(keep?: string | null): void {
    try {
      this.log.close();
    } finally {
      this.buckets.close();
      if (keep !== undefined) {
        const kept = keep === null ? [] : [keep, basename(bucketFilePath(this.checkpointPath, keep) ?? '')];
        for (const path of this.written.splice(0)) {
          if (kept.includes(basename(path))) continue;
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        }
      }
    }
  }

  /** The key's value read from the log, then cached. */
  private read(key: string): Json | undefined {
    const found = this.lookup(key);
    if (!found) return undefined;
    const value = JSON.parse(found.rec.toString('utf8', found.keyEnd)) as Json;
    this.stats.reads++;
    this.cache.add(key, value);
    return value;
  }

  private write(writes: readonly StateWrite[]): void {
    const c = this.commitment;
    for (const w of writes) {
      let at = c.writeIndex(w.key);
      if (at < 0) {
        c.writeCanonical(w.key, w.canonical); // not written by the machine (e.g. the genesis entries)
        at = c.writeIndex(w.key);
      }
      if (w.value === null) {
        this.cache.delete(w.key);
        continue;
      }
      const { offset, length } = this.log.append(w.key, w.canonical!);
      setLocation(this.loc, offset, length);
      if (!c.setExtra(at, this.loc)) throw new Error('a write has no leaf');
      const cached = this.cache.find(w.key);
      if (cached >= 0) this.cache.set(cached, w.value);
      else this.cache.add(w.key, w.value);
    }
    c.commit();
    const live = this.store.liveBytes + this.store.liveValueBytes;
    const dead = this.log.length + this.buckets.length - live;
    if (dead >= Math.max(this.compactMin, 2 * live)) this.compact();
  }

  /** Every live record (key, value bytes as a view valid during the call), bucket by bucket. */
  private forEachRecord(fn: (key: string, value: Uint8Array) => void): void {
    this.io('read', () => forEachChunk(this.store, this.log.asFile(), (_b, _l, read) => read((_i, _j, rec) => {
      const keyLen = rec.readUInt32LE(0);
      fn(rec.toString('utf8', RECORD_HEADER, RECORD_HEADER + keyLen), rec.subarray(RECORD_HEADER + keyLen));
    })));
  }

  /** The live state into a new generation; the old files stay until a checkpoint names the new ones (run.ts). */
  private compact(): void {
    const next = LogWriter.createGeneration(this.checkpointPath, bucketHeader(this.store.bits), this.opts.bufferBytes);
    this.written.push(next.log.path, next.buckets.path);
    // One cache for both stores: each bucket is read from the old one before the new one writes it.
    const store = DiskBucketStore.create(this.store.bits, next.buckets, this.bucketCache, this.opts.bucketCacheBytes ?? 4 << 20);
    copyState({ store: this.store, log: this.log.asFile() }, { store, log: next.log }, () => undefined, null);
    this.log.close();
    this.buckets.close();
    this.log = next.log;
    this.buckets = next.buckets;
    this.store = store;
    this.commitment.useStore(store);
    this.stats.compactions++;
  }

  private io<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CommittedStateError) throw e;
      throw new CommittedStateError(`the state log ${this.log.file} failed to ${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
  }

  /** A key's record (a view, valid until the next read or append), or null: its leaf says where. */
  private lookup(key: string): { rec: Buffer; keyEnd: number } | null {
    sha256WordsOf(this.opts.sha256, key, this.w, 0);
    const leaves = this.store.load(this.w[0]! >>> (32 - this.store.bits));
    const i = findLeaf(leaves, 0, leaves.length / STRIDE, STRIDE, this.w, 0);
    if (i < 0) return null;
    const offset = valueOffset(leaves, i);
    const rec = this.log.read(offset, valueLength(leaves, i));
    const keyEnd = RECORD_HEADER + rec.readUInt32LE(0);
    if (keyEnd > rec.length || rec.toString('utf8', RECORD_HEADER, keyEnd) !== key) throw new Error(`the record at ${offset} is another key's`);
    return { rec, keyEnd };
  }
}
