// The index file on disk: the SQLite database image (sql.js export()) followed by a 48-byte
// trailer — magic "CUSTOSIX", the image length (u64 LE) and its SHA-256 — so that a damaged
// file is recognised before any query trusts it. It is replaced atomically (temp file, fsync,
// rename, fsync of the directory: store/atomic.ts), so a crash leaves the old or the new one.
// The core (index.sqlite) and every shard file have this form.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { writeFileAtomic } from '../store/atomic';

const MAGIC = Buffer.from('CUSTOSIX', 'latin1');
export const TRAILER_SIZE = 8 + 8 + 32;

export type ReadResult =
  | { ok: true; image: Uint8Array; sha256: string }
  | { ok: false; missing: true }
  | { ok: false; missing: false; reason: string };

export async function readIndexFile(path: string): Promise<ReadResult> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    return unreadable(e);
  }
  return checkImage(buf);
}

/**
 * readIndexFile for a query that must answer synchronously (loading a shard), into `scratch`
 * when it is large enough: the image is a view of it, valid until the next read, which spares
 * allocating (and leaving to the collector) one file-sized buffer per load.
 */
export function readIndexFileSync(path: string, scratch?: { buf: Buffer }): ReadResult {
  let buf: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (scratch && scratch.buf.length < size) scratch.buf = Buffer.allocUnsafeSlow(size);
    buf = scratch ? scratch.buf.subarray(0, size) : Buffer.allocUnsafe(size);
    for (let at = 0; at < size;) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) return { ok: false, missing: false, reason: 'ended early while being read' };
      at += n;
    }
  } catch (e) {
    return unreadable(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return checkImage(buf);
}

/** Checks a file's trailer and checksum without holding it in memory (1 MiB at a time); resolves to the image's SHA-256. */
export async function checkIndexFile(path: string): Promise<{ ok: true; sha256: string; bytes: number } | { ok: false; missing: boolean; reason: string }> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const r = unreadable(e);
    return { ok: false, missing: !r.ok && r.missing, reason: !r.ok && !r.missing ? r.reason : 'is missing' };
  }
  try {
    const size = (await fh.stat()).size;
    if (size < TRAILER_SIZE) return { ok: false, missing: false, reason: `is ${size} bytes, shorter than its trailer` };
    const t = Buffer.alloc(TRAILER_SIZE);
    await fh.read(t, 0, TRAILER_SIZE, size - TRAILER_SIZE);
    const bad = badTrailer(t, size);
    if (bad) return { ok: false, missing: false, reason: bad };
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1 << 20);
    for (let at = 0; at < size - TRAILER_SIZE;) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, size - TRAILER_SIZE - at), at);
      if (bytesRead === 0) return { ok: false, missing: false, reason: 'ended early while being read' };
      hash.update(chunk.subarray(0, bytesRead));
      at += bytesRead;
    }
    const want = t.subarray(16).toString('hex');
    const got = hash.digest('hex');
    if (want !== got) return { ok: false, missing: false, reason: `checksum mismatch: expected ${want}, found ${got}` };
    return { ok: true, sha256: got, bytes: size };
  } finally {
    await fh.close();
  }
}

function unreadable(e: unknown): ReadResult {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { ok: false, missing: true };
  return { ok: false, missing: false, reason: `cannot be read (${code ?? (e as Error).message})` };
}

function badTrailer(t: Buffer, fileSize: number): string | null {
  if (!t.subarray(0, 8).equals(MAGIC)) return 'has no index trailer (bad magic)';
  const len = t.readBigUInt64LE(8);
  if (len !== BigInt(fileSize - TRAILER_SIZE)) return `length mismatch: expected ${len} bytes, found ${fileSize - TRAILER_SIZE}`;
  return null;
}

function checkImage(buf: Buffer): ReadResult {
  if (buf.length < TRAILER_SIZE) return { ok: false, missing: false, reason: `is ${buf.length} bytes, shorter than its trailer` };
  const t = buf.subarray(buf.length - TRAILER_SIZE);
  const bad = badTrailer(t, buf.length);
  if (bad) return { ok: false, missing: false, reason: bad };
  const image = buf.subarray(0, buf.length - TRAILER_SIZE);
  const want = t.subarray(16).toString('hex');
  const got = createHash('sha256').update(image).digest('hex');
  if (want !== got) return { ok: false, missing: false, reason: `checksum mismatch: expected ${want}, found ${got}` };
  return { ok: true, image: new Uint8Array(image.buffer, image.byteOffset, image.length), sha256: got };
}

/** Writes the image and its trailer atomically; resolves to the image's SHA-256 and the file's size. */
export async function writeIndexFile(path: string, image: Uint8Array): Promise<{ sha256: string; bytes: number }> {
  const t = Buffer.alloc(TRAILER_SIZE);
  MAGIC.copy(t, 0);
  t.writeBigUInt64LE(BigInt(image.length), 8);
  const digest = createHash('sha256').update(image).digest();
  digest.copy(t, 16);
  await writeFileAtomic(path, [image, t]); // in two parts, so the image is not copied
  return { sha256: digest.toString('hex'), bytes: image.length + TRAILER_SIZE };
}
