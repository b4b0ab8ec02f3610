// The state log: the verifier's committed ledger state on disk (disk-state.ts), one append-only
// file per generation next to the checkpoint, `<checkpoint file>.state-<gen>`. Each write of a
// committed block is one record; the latest record of a key is its value, a tombstone deletes it.
//
//   "custos-state-log/1\n" | record*     record: u32 LE key bytes | u32 LE value bytes (0xFFFFFFFF:
//                                                 tombstone) | key (UTF-8) | value (canonical JSON, UTF-8)
//
// A file is written by one run only (a new generation is claimed with O_EXCL), so the prefix a
// checkpoint names (its length and the SHA-256 of those bytes, a LogMark) never changes after.
// Synchronous fs: this runs in the chain worker, a thread of its own.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
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
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The generation of `name` if it is a state log of the checkpoint at `checkpointPath`, else null. */
export function logGeneration(checkpointPath: string, name: string): number | null {
  const m = new RegExp(`^${escape(basename(checkpointPath))}\\.state-([0-9]{1,9})$`).exec(name);
  return m ? Number(m[1]) : null;
}

/** The path of a checkpoint's state log named `file`, or null if that is not such a name. */
export function logPath(checkpointPath: string, file: string): string | null {
  return logGeneration(checkpointPath, file) === null ? null : join(dirname(checkpointPath), file);
}

/** Deletes the checkpoint's state logs older than `keep` (a checkpoint naming `keep` is durable). */
export async function removeLogsBefore(checkpointPath: string, keep: string): Promise<void> {
  const g = logGeneration(checkpointPath, keep);
  if (g === null) return;
  for (const name of await readdir(dirname(checkpointPath))) {
    const n = logGeneration(checkpointPath, name);
    if (n !== null && n < g) await unlink(join(dirname(checkpointPath), name)).catch(() => undefined);
  }
}

/** An open log file, for reading records in bulk (readRecords). */
export interface LogFile { fd: number; path: string; size: number }

/** A log opened for reading only (the one a checkpoint names); closeSync(fd) when done. */
export function openLog(path: string): LogFile {
  const fd = openSync(path, 'r');
  return { fd, path, size: fstatSync(fd).size };
}

/** A log being written: appends go through a buffer; reads see buffered records too. */
export class LogWriter {
  /** Bytes in the file plus bytes buffered. */
  length = LOG_MAGIC.length;
  private flushed = 0;
  private buf: Buffer;
  private used = 0;
  private readonly hash: Hash = createHash('sha256');
  private scratch = Buffer.alloc(4096);

  private constructor(readonly path: string, private fd: number, bufferBytes: number) {
    this.buf = Buffer.alloc(bufferBytes);
    this.buf.set(LOG_MAGIC);
    this.used = LOG_MAGIC.length;
  }

  /** A new generation (one more than any present), claimed exclusively. */
  static create(checkpointPath: string, bufferBytes = 1 << 20): LogWriter {
    const dir = dirname(checkpointPath);
    let gen = 0;
    for (const name of readdirSync(dir)) gen = Math.max(gen, (logGeneration(checkpointPath, name) ?? 0) + 1);
    for (;; gen++) {
      const path = join(dir, `${basename(checkpointPath)}.state-${gen}`);
      try {
        return new LogWriter(path, openSync(path, 'wx+'), bufferBytes);
      } catch (e) {
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

/**
 * Reads a log file in order, record by record, up to `mark.length`: `fn` gets each record's
 * offset and bytes (a view, valid during the call). Throws unless the file starts with the
 * magic, the records end exactly at the mark, and those bytes hash to the mark's SHA-256.
 */
export function scanLog(path: string, mark: LogMark, fn: (offset: number, record: Buffer, keyLen: number, valueLen: number) => void, chunkBytes = 4 << 20): void {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size < mark.length) throw new Error(`${mark.file} is shorter than the checkpoint says (${mark.length} bytes)`);
    const hash = createHash('sha256');
    let buf = Buffer.alloc(chunkBytes);
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
    if (have < LOG_MAGIC.length || !buf.subarray(0, LOG_MAGIC.length).equals(LOG_MAGIC)) throw new Error(`${mark.file} is not a state log`);
    hash.update(buf.subarray(0, have));
    at = LOG_MAGIC.length;
    while (pos + at < mark.length) {
      let r = recordAt(buf, at, have);
      if (!r) {
        const before = have - at;
        fill();
        hash.update(buf.subarray(before, have));
        r = recordAt(buf, at, have);
        if (!r && have === buf.length) {
          // One record larger than the buffer: a bigger buffer.
          const bigger = Buffer.alloc(2 * buf.length);
          bigger.set(buf.subarray(0, have));
          buf = bigger;
          continue;
        }
        if (!r) throw new Error(`${mark.file}: a record at ${pos + at} runs past the checkpoint's length ${mark.length}`);
      }
      fn(pos + at, buf.subarray(at, at + r.length), r.keyLen, r.valueLen);
      at += r.length;
    }
    if (hash.digest('hex') !== mark.sha256) throw new Error(`${mark.file} is not the one the checkpoint names (SHA-256 differs)`);
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
