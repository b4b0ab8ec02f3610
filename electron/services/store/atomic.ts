// Durable file replacement: write a temp file, fsync it, rename over the target, fsync the directory.
// A reader sees the old file or the new one, never a torn one, even after a crash or power loss.

import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StoreError } from './errors';

/** fsync a directory so a rename or a new entry in it is durable (a no-op where directories cannot be opened, e.g. Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if (process.platform === 'win32') return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw e;
  } finally {
    await fh.close();
  }
}

/** Writes temp, fsync, rename, fsync of the directory; `data` may come in parts (written one after another, never joined). */
export async function writeFileAtomic(path: string, data: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
    else {
      for (const part of data) {
        for (let off = 0; off < part.length;) off += (await fh.write(part, off, part.length - off)).bytesWritten;
      }
    }
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Reads a JSON file written by writeJsonAtomic: undefined when absent; StoreError naming the file
 * when it is not JSON or `problem` (a shape check returning what is wrong) finds fault.
 */
export async function readJsonChecked(path: string, problem: (v: unknown) => string | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new StoreError(`${path} is not valid JSON`);
  }
  const bad = problem(v);
  if (bad) throw new StoreError(`${path}: ${bad}`);
  return v;
}
