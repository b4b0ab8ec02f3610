// The state log: the verifier's committed ledger state on disk (disk-state.ts), one append-only
// file per generation next to the checkpoint, `<checkpoint file>.state-<gen>`. Each write of a
// committed block is one record; where each key's latest record is, the bucket file of the same
// generation says (`<checkpoint file>.buckets-<gen>`, bucket-store.ts).
//
//   "custos-state-log/1\n" | record*     record: u32 LE key bytes | u32 LE value bytes (0xFFFFFFFF:
//                                                 tombstone, from older versions) | key (UTF-8) | value (canonical JSON, UTF-8)
//
// A file is written by one run only (a new generation is claimed with O_EXCL), so the prefix a
// checkpoint names (its length and the SHA-256 of those bytes, a LogMark) never changes after.
// Synchronous fs: this runs in the chain worker, a thread of its own.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readdirSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const LOG_MAGIC = Buffer.from('custos-state-log/1\n', 'latin1');
export const RECORD_HEADER = 8;
export const TOMBSTONE = 0xffffffff;

/** A prefix of a state log, as a checkpoint records it. */
export interface LogMark {
  /** The file name (in the checkpoint's directory). */
  file: string;
  length: number;
  /** Hex SHA-256 of the first `length` bytes. */
  sha256: string;
  /** The same for the bucket file of the log's generation (absent: an older version's log, without one). */
  buckets?: { length: number; sha256: string };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The generation of `name` if it is a state log of the checkpoint at `checkpointPath`, else null. */
export function logGeneration(checkpointPath: string, name: string): number | null {
  const m = new RegExp(`^${escape(basename(checkpointPath))}\\.state-([0-9]{1,9})$`).exec(name);
  return m ? Number(m[1]) : null;
}

/** The generation of `name` if it is a state log or a bucket file of the checkpoint, else null. */
function fileGeneration(checkpointPath: string, name: string): number | null {
  const m = new RegExp(`^${escape(basename(checkpointPath))}\\.(?:state|buckets)-([0-9]{1,9})$`).exec(name);
  return m ? Number(m[1]) : null;
}

/** The path of the bucket file that goes with the state log `logFile` (same generation), or null. */
export function bucketFilePath(checkpointPath: string, logFile: string): string | null {
  const g = logGeneration(checkpointPath, logFile);
  return g === null ? null : join(dirname(checkpointPath), `${basename(checkpointPath)}.buckets-${g}`);
}

/** The path of a checkpoint's state log named `file`, or null if that is not such a name. */
export function logPath(checkpointPath: string, file: string): string | null {
  return logGeneration(checkpointPath, file) === null ? null : join(dirname(checkpointPath), file);
}

/** Deletes the checkpoint's state logs and bucket files older than `keep` (a checkpoint naming `keep` is durable). */
export async function removeLogsBefore(checkpointPath: string, keep: string): Promise<void> {
  const g = logGeneration(checkpointPath, keep);
  if (g === null) return;
  for (const name of await readdir(dirname(checkpointPath))) {
    const n = fileGeneration(checkpointPath, name);
    if (n !== null && n < g) await unlink(join(dirname(checkpointPath), name)).catch(() => undefined);
  }
}

/** An open log file, for reading records in bulk (readRecords). */
export interface LogFile { fd: number; path: string; size: number }

/** A file opened for reading only (e.g. the log a checkpoint names), read up to `size`. */
export class LogReader implements LogFile {
  private scratch = Buffer.alloc(4096);

  private constructor(readonly fd: number, readonly path: string, readonly size: number) {}

  /** `path`, read no further than `size` bytes (default: its length). */
  static open(path: string, size?: number): LogReader {
    const fd = openSync(path, 'r');
    try {
      return new LogReader(fd, path, Math.min(size ?? Infinity, fstatSync(fd).size));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** The bytes at `offset` (`length`): a view valid until the next read. */
  read(offset: number, length: number): Buffer {
    if (offset + length > this.size) throw new Error(`${basename(this.path)}: ${length} bytes at ${offset} run past ${this.size}`);
    if (this.scratch.length < length) this.scratch = Buffer.alloc(Math.max(length, 2 * this.scratch.length));
    return readAt(this.fd, this.path, offset, length, this.scratch);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A log being written: appends go through a buffer; reads see buffered records too. */
export class LogWriter {
  /** Bytes in the file plus bytes buffered. */
  length: number;
  private flushed = 0;
  private buf: Buffer;
  private used = 0;
  private readonly hash: Hash = createHash('sha256');
  private scratch = Buffer.alloc(4096);

  /** A new file at `path` (claimed by the caller), starting with `header`. */
  constructor(readonly path: string, private fd: number, bufferBytes: number, header: Uint8Array = LOG_MAGIC) {
    this.buf = Buffer.alloc(Math.max(bufferBytes, header.length));
    this.buf.set(header);
    this.used = this.length = header.length;
  }

  /**
   * A new generation (one more than any log or bucket file present): its state log and its
   * bucket file (starting with `bucketHeader`), both claimed exclusively.
   */
  static createGeneration(checkpointPath: string, bucketHeader: Uint8Array, bufferBytes = 1 << 20): { log: LogWriter; buckets: LogWriter } {
    const dir = dirname(checkpointPath);
    let gen = 0;
    for (const name of readdirSync(dir)) gen = Math.max(gen, (fileGeneration(checkpointPath, name) ?? 0) + 1);
    for (;; gen++) {
      const path = join(dir, `${basename(checkpointPath)}.state-${gen}`);
      let fd: number;
      try {
        fd = openSync(path, 'wx+');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      const bpath = bucketFilePath(checkpointPath, basename(path))!;
      try {
        // A block's buckets are tens of KB: a smaller buffer for them.
        return { log: new LogWriter(path, fd, bufferBytes), buckets: new LogWriter(bpath, openSync(bpath, 'wx+'), Math.min(bufferBytes, 256 << 10), bucketHeader) };
      } catch (e) {
        closeSync(fd);
        unlinkSync(path);
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }

  get file(): string {
    return basename(this.path);
  }

  /** Appends a whole record as it is (compaction); returns its offset. */
  appendRecord(rec: Uint8Array): number {
    if (this.used + rec.length > this.buf.length) {
      this.flush();
      if (rec.length > this.buf.length) this.buf = Buffer.alloc(rec.length);
    }
    this.buf.set(rec, this.used);
    this.used += rec.length;
    const offset = this.length;
    this.length += rec.length;
    return offset;
  }

  /** Appends a record of two u32 LE and `words` (int32 LE); returns its offset. */
  appendWords(a: number, b: number, words: Int32Array): number {
    const n = 8 + 4 * words.length;
    if (this.used + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.alloc(n);
    }
    this.buf.writeUInt32LE(a, this.used);
    this.buf.writeUInt32LE(b, this.used + 4);
    this.buf.set(new Uint8Array(words.buffer, words.byteOffset, 4 * words.length), this.used + 8);
    this.used += n;
    const offset = this.length;
    this.length += n;
    return offset;
  }

  /** Appends a record; returns its offset and length. `value` null: a tombstone. */
  append(key: string, value: string | null): { offset: number; length: number } {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const max = RECORD_HEADER + 3 * (key.length + (value?.length ?? 0));
    if (this.used + max > this.buf.length) {
      this.flush();
      if (max > this.buf.length) this.buf = Buffer.alloc(max);
    }
    const at = this.used;
    const k = this.buf.write(key, at + RECORD_HEADER, 'utf8');
    const v = value === null ? 0 : this.buf.write(value, at + RECORD_HEADER + k, 'utf8');
    this.buf.writeUInt32LE(k, at);
    this.buf.writeUInt32LE(value === null ? TOMBSTONE : v, at + 4);
    const length = RECORD_HEADER + k + v;
    this.used += length;
    const offset = this.length;
    this.length += length;
    return { offset, length };
  }

  /** The record at `offset` (`length` bytes): a view valid until the next append or read. */
  read(offset: number, length: number): Buffer {
    if (offset >= this.flushed) return this.buf.subarray(offset - this.flushed, offset - this.flushed + length);
    return readAt(this.fd, this.path, offset, length, this.scratchOf(length));
  }

  private scratchOf(n: number): Buffer {
    if (this.scratch.length < n) this.scratch = Buffer.alloc(Math.max(n, 2 * this.scratch.length));
    return this.scratch;
  }

  flush(): void {
    if (this.used === 0) return;
    const chunk = this.buf.subarray(0, this.used);
    for (let done = 0; done < chunk.length;) done += writeSync(this.fd, chunk, done, chunk.length - done, this.flushed + done);
    this.hash.update(chunk);
    this.flushed += this.used;
    this.used = 0;
  }

  /** Everything appended so far, on disk (fsync), as a mark a checkpoint can name. */
  mark(): LogMark {
    this.flush();
    fsyncSync(this.fd);
    return { file: this.file, length: this.length, sha256: this.hash.copy().digest('hex') };
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  /** The file with everything appended so far in it, for readRecords. */
  asFile(): LogFile {
    this.flush();
    return { fd: this.fd, path: this.path, size: this.length };
  }
}

function readAt(fd: number, path: string, offset: number, length: number, into: Buffer): Buffer {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, into, got, length - got, offset + got);
    if (n === 0) throw new Error(`${basename(path)}: unexpected end of file at ${offset + got}`);
    got += n;
  }
  return into.subarray(0, length);
}

/** A record parsed from bytes: where its key and value are, or why it cannot be one. */
export function recordAt(b: Buffer, at: number, end: number): { keyLen: number; valueLen: number; length: number } | null {
  if (at + RECORD_HEADER > end) return null;
  const keyLen = b.readUInt32LE(at);
  const valueLen = b.readUInt32LE(at + 4);
  const length = RECORD_HEADER + keyLen + (valueLen === TOMBSTONE ? 0 : valueLen);
  return at + length <= end ? { keyLen, valueLen, length } : null;
}

/** A record's length at b[at..end), or null when it does not fit there (or cannot be one). */
export type RecordLength = (b: Buffer, at: number, end: number) => number | null;

/** The state log's records (recordAt). */
export const logRecordLength: RecordLength = (b, at, end) => recordAt(b, at, end)?.length ?? null;

/**
 * Reads a file in order, record by record, up to `mark.length`: `fn` gets each record's offset
 * and bytes (a view, valid during the call). Throws unless the file starts with `header`, the
 * records end exactly at the mark, and those bytes hash to the mark's SHA-256.
 */
export function scanRecords(
  path: string, mark: { length: number; sha256: string }, header: Uint8Array, what: string, recordLength: RecordLength,
  fn: (offset: number, record: Buffer) => void, chunkBytes = 4 << 20,
): void {
  const name = basename(path);
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size < mark.length) throw new Error(`${name} is shorter than the checkpoint says (${mark.length} bytes)`);
    const hash = createHash('sha256');
    let buf = Buffer.alloc(Math.max(chunkBytes, header.length));
    let pos = 0; // file offset of buf[0]
    let have = 0;
    let at = 0; // offset in buf of the next record
    const fill = (): void => {
      const rest = have - at;
      buf.copyWithin(0, at, have);
      pos += at;
      at = 0;
      have = rest;
      const want = Math.min(buf.length - have, mark.length - (pos + have));
      if (want > 0) have += readAt(fd, path, pos + have, want, buf.subarray(have)).length;
    };
    fill();
    if (have < header.length || !buf.subarray(0, header.length).equals(header)) throw new Error(`${name} is not a ${what}`);
    hash.update(buf.subarray(0, have));
    at = header.length;
    while (pos + at < mark.length) {
      let n = recordLength(buf, at, have);
      if (n === null) {
        const before = have - at;
        fill();
        hash.update(buf.subarray(before, have));
        n = recordLength(buf, at, have);
        if (n === null && have === buf.length) {
          // One record larger than the buffer: a bigger buffer.
          const bigger = Buffer.alloc(2 * buf.length);
          bigger.set(buf.subarray(0, have));
          buf = bigger;
          continue;
        }
        if (n === null) throw new Error(`${name}: a record at ${pos + at} runs past the checkpoint's length ${mark.length}`);
      }
      fn(pos + at, buf.subarray(at, at + n));
      at += n;
    }
    if (hash.digest('hex') !== mark.sha256) throw new Error(`${name} is not the one the checkpoint names (SHA-256 differs)`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the records at `offsets` (ascending, each `lengths[i]` bytes) from an open log, in
 * chunks: `fn` gets each one's bytes (a view, valid during the call).
 */
export function readRecords(log: LogFile, offsets: ArrayLike<number>, lengths: ArrayLike<number>, fn: (i: number, record: Buffer) => void, chunkBytes = 4 << 20): void {
  const fd = log.fd;
  let buf = Buffer.alloc(chunkBytes);
  let start = 0;
  let end = 0; // file range held in buf
  for (let i = 0; i < offsets.length; i++) {
    const off = offsets[i]!, len = lengths[i]!;
    if (off < start || off + len > end) {
      if (len > buf.length) buf = Buffer.alloc(len);
      // As much of what follows as fits, but never past the file's end.
      const n = Math.min(buf.length, Math.max(len, log.size - off));
      readAt(fd, log.path, off, n, buf);
      start = off;
      end = off + n;
    }
    fn(i, buf.subarray(off - start, off - start + len));
  }
}
