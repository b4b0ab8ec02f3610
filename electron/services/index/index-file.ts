// The index file on disk: the SQLite database image (sql.js export()) followed by a 48-byte
// trailer — magic "CUSTOSIX", the image length (u64 LE) and its SHA-256 — so that a damaged
// file is recognised before any query trusts it. It is replaced atomically (temp file, fsync,
// rename, fsync of the directory: store/atomic.ts), so a crash leaves the old or the new one.
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '../store/atomic';

const MAGIC = Buffer.from('CUSTOSIX', 'latin1');
export const TRAILER_SIZE = 8 + 8 + 32;

export type ReadResult =
  | { ok: true; image: Uint8Array }
  | { ok: false; missing: true }
  | { ok: false; missing: false; reason: string };

export async function readIndexFile(path: string): Promise<ReadResult> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    return { ok: false, missing: false, reason: `cannot be read (${code ?? (e as Error).message})` };
  }
  if (buf.length < TRAILER_SIZE) return { ok: false, missing: false, reason: `is ${buf.length} bytes, shorter than its trailer` };
  const t = buf.subarray(buf.length - TRAILER_SIZE);
  if (!t.subarray(0, 8).equals(MAGIC)) return { ok: false, missing: false, reason: 'has no index trailer (bad magic)' };
  const len = t.readBigUInt64LE(8);
  if (len !== BigInt(buf.length - TRAILER_SIZE)) return { ok: false, missing: false, reason: `length mismatch: expected ${len} bytes, found ${buf.length - TRAILER_SIZE}` };
  const image = buf.subarray(0, buf.length - TRAILER_SIZE);
  const want = t.subarray(16).toString('hex');
  const got = createHash('sha256').update(image).digest('hex');
  if (want !== got) return { ok: false, missing: false, reason: `checksum mismatch: expected ${want}, found ${got}` };
  return { ok: true, image: new Uint8Array(image.buffer, image.byteOffset, image.length) };
}

export async function writeIndexFile(path: string, image: Uint8Array): Promise<void> {
  const t = Buffer.alloc(TRAILER_SIZE);
  MAGIC.copy(t, 0);
  t.writeBigUInt64LE(BigInt(image.length), 8);
  createHash('sha256').update(image).digest().copy(t, 16);
  // As store/atomic.ts writeFileAtomic, but in two writes so the image is not copied.
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(image);
    await fh.writeFile(t);
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}
