// The ledger's committed state on disk (shared/ledger/state/committed.ts CommittedState), for
// the chain worker: the values live in a state log (state-log.ts), and what stays in memory is
// a few dozen bytes per entry (key-index.ts: a hash and a location) plus a bounded cache of
// parsed values, so memory no longer grows with the state's values.
//
//   get      the cache (the hot values: accounts, members, policy, meta), else one read of the
//            key's record, whose key must be the one asked for;
//   apply    one record per write (canonical JSON, already computed for the AppHash);
//   mark     everything on disk (fsync) and named by length and SHA-256, for a checkpoint;
//   resume   the log a checkpoint names, read up to its mark (which must match byte for byte),
//            its live records copied into a new generation; the machine then rebuilds the
//            AppHash trie from them and refuses the lot unless it matches (LedgerMachine.open).
// When most of the log is dead (superseded values), its live records move to a new generation.
// A failure of the log (I/O, a record that does not parse) is a CommittedStateError: the host's,
// never a verdict on the block being replayed.
import { closeSync, unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { Json } from '../../../shared/ledger/encoding/canonical';
import { CommittedStateError, type CommittedState, type StateWrite } from '../../../shared/ledger/state/committed';
import { KeyIndex } from './key-index';
import { ValueCache } from './value-cache';
import { LOG_MAGIC, LogWriter, openLog, RECORD_HEADER, readRecords, scanLog, TOMBSTONE, type LogMark } from './state-log';

export interface DiskStateOptions {
  /** Parsed values kept in memory, at most (default 16,384). */
  cacheEntries?: number;
  /** A log is compacted once its dead bytes are at least this many (default 64 MiB) and twice its live bytes. */
  compactMinBytes?: number;
  /** The append buffer (default 1 MiB). */
  bufferBytes?: number;
}

export class DiskState implements CommittedState {
  private log: LogWriter;
  private readonly cache: ValueCache;
  private readonly index = new KeyIndex((remap) => this.cache.remapSlots(remap));
  private readonly compactMin: number;
  private liveBytes = 0;
  /** Every log this state wrote (compaction starts a new one). */
  private readonly written: string[] = [];
  /** Counters (tests, measurements). */
  readonly stats = { hits: 0, reads: 0, compactions: 0 };

  private constructor(private readonly checkpointPath: string, private readonly opts: DiskStateOptions) {
    this.log = LogWriter.create(checkpointPath, opts.bufferBytes);
    this.written.push(this.log.path);
    this.cache = new ValueCache(Math.max(1, opts.cacheEntries ?? 16_384));
    this.compactMin = opts.compactMinBytes ?? 64 << 20;
  }

  /** An empty state in a new log beside the checkpoint at `checkpointPath`. */
  static create(checkpointPath: string, opts: DiskStateOptions = {}): DiskState {
    return new DiskState(checkpointPath, opts);
  }

  /**
   * The state a checkpoint recorded: the log at `path` up to `mark` (refused unless those bytes
   * are exactly the ones marked), its live records copied into a new generation.
   */
  static resume(checkpointPath: string, path: string, mark: LogMark, opts: DiskStateOptions = {}): DiskState {
    // Pass 1: the latest record of each key (keys in a transient map, this once).
    const latest = new Map<string, { offset: number; length: number }>();
    scanLog(path, mark, (offset, rec, keyLen, valueLen) => {
      const key = rec.toString('utf8', RECORD_HEADER, RECORD_HEADER + keyLen);
      if (valueLen === TOMBSTONE) latest.delete(key);
      else latest.set(key, { offset, length: rec.length });
    });
    const s = new DiskState(checkpointPath, opts);
    try {
      // Pass 2: those records, in file order, into the new log.
      const at = [...latest].sort((a, b) => a[1].offset - b[1].offset);
      latest.clear();
      const src = openLog(path);
      try {
        readRecords(src, at.map((a) => a[1].offset), at.map((a) => a[1].length), (i, rec) => {
          s.index.insert(s.index.hash(at[i]![0]), s.log.appendRecord(rec), rec.length);
          s.liveBytes += rec.length;
        });
      } finally {
        closeSync(src.fd);
      }
      return s;
    } catch (e) {
      s.close(null);
      throw e;
    }
  }

  get size(): number {
    return this.index.size;
  }

  /** The log being written. */
  get file(): string {
    return this.log.file;
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
    this.io('read', () => this.forEachRecord((key) => out.push(key)));
    return out;
  }

  canonical(key: string): string | undefined {
    return this.io('read', () => {
      const c = this.cache.find(key);
      const slot = c >= 0 ? this.cache.slot(c) : this.findSlot(key);
      if (slot < 0) return undefined;
      const rec = this.record(slot);
      return rec.toString('utf8', RECORD_HEADER + rec.readUInt32LE(0));
    });
  }

  forEachCanonical(fn: (key: string, canonical: string | Uint8Array) => void): void {
    this.io('read', () => this.forEachRecord(fn));
  }

  /** Everything applied so far, on disk, as a checkpoint names it. */
  mark(): LogMark {
    return this.io('sync', () => this.log.mark());
  }

  /**
   * Closes the log; with `keep` given, deletes every log this state wrote except the one named
   * `keep` (the one a written checkpoint names; null: none).
   */
  close(keep?: string | null): void {
    try {
      this.log.close();
    } finally {
      if (keep !== undefined) {
        for (const path of this.written.splice(0)) {
          if (basename(path) === keep) continue;
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
    this.cache.add(key, value, found.slot);
    return value;
  }

  private write(writes: readonly StateWrite[]): void {
    for (const w of writes) {
      const c = this.cache.find(w.key);
      const h = c >= 0 ? 0 : this.index.hash(w.key);
      const slot = c >= 0 ? this.cache.slot(c) : this.findSlot(w.key, h);
      if (w.value === null) {
        if (slot < 0) continue;
        this.liveBytes -= this.index.length(slot);
        this.index.remove(slot);
        this.cache.delete(w.key);
        this.log.append(w.key, null);
        continue;
      }
      const { offset, length } = this.log.append(w.key, w.canonical!);
      if (slot >= 0) {
        this.liveBytes -= this.index.length(slot);
        this.index.update(slot, offset, length);
        if (c >= 0) this.cache.set(c, w.value, slot);
        else this.cache.add(w.key, w.value, slot);
      } else {
        // insert() may move slots (the cache follows), so the new one is added after.
        this.cache.add(w.key, w.value, this.index.insert(h, offset, length));
      }
      this.liveBytes += length;
    }
    const dead = this.log.length - LOG_MAGIC.length - this.liveBytes;
    if (dead >= Math.max(this.compactMin, 2 * this.liveBytes)) this.compact();
  }

  /** Every live record in file order, with its index slot (`rec` is a view, valid during the call). */
  private forEachLive(fn: (slot: number, rec: Buffer) => void): void {
    const slots = this.index.slotsByOffset();
    const offs = Array.from(slots, (s) => this.index.offset(s));
    const lens = Array.from(slots, (s) => this.index.length(s));
    readRecords(this.log.asFile(), offs, lens, (i, rec) => fn(slots[i]!, rec));
  }

  private forEachRecord(fn: (key: string, value: Uint8Array) => void): void {
    this.forEachLive((_slot, rec) => {
      const keyLen = rec.readUInt32LE(0);
      fn(rec.toString('utf8', RECORD_HEADER, RECORD_HEADER + keyLen), rec.subarray(RECORD_HEADER + keyLen));
    });
  }

  /** The live records into a new generation; the old file stays until a checkpoint names the new one (run.ts). */
  private compact(): void {
    const next = LogWriter.create(this.checkpointPath, this.opts.bufferBytes);
    this.written.push(next.path);
    this.forEachLive((slot, rec) => this.index.update(slot, next.appendRecord(rec), rec.length));
    this.log.close();
    this.log = next;
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

  private record(slot: number): Buffer {
    return this.log.read(this.index.offset(slot), this.index.length(slot));
  }

  /** The index slot of a key not in the cache, or -1. */
  private findSlot(key: string, h = this.index.hash(key)): number {
    return this.lookup(key, h)?.slot ?? -1;
  }

  /**
   * A key's slot and record (a view, valid until the next read or append), or null: a hash match
   * may be another key's, so the record's own key decides.
   */
  private lookup(key: string, h = this.index.hash(key)): { slot: number; rec: Buffer; keyEnd: number } | null {
    for (let i = this.index.candidate(h); i >= 0; i = this.index.candidate(h, i)) {
      const rec = this.record(i);
      const keyEnd = RECORD_HEADER + rec.readUInt32LE(0);
      if (rec.toString('utf8', RECORD_HEADER, keyEnd) === key) return { slot: i, rec, keyEnd };
    }
    return null;
  }
}
