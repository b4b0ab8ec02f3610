// Single-writer locks: a file (`LOCK` for the store's writer, others for other writers of the
// same directory, e.g. the verifier's checkpoint) holding the holder's pid. A lock left by a
// process that no longer exists (crash, kill -9) is taken over.

import { open, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StoreLockedError } from './errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock `name` in `dir`, or throws StoreLockedError naming the holder and `activity`; resolves to its release. */
export async function acquireLock(dir: string, name = 'LOCK', activity?: string): Promise<() => Promise<void>> {
  const path = join(dir, name);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid))) throw new StoreLockedError(dir, pid, activity);
    await rm(path, { force: true });
  }
  throw new StoreLockedError(dir, -1, activity);
}

/** Where nothing can be written (read-only media, no such folder), there is nothing to protect. */
const UNLOCKABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOENT']);

/**
 * The lock `<file>.lock` beside a file that one process at a time may write (the verifier's
 * checkpoint, the index): its release, or null where no lock file can be made. Throws
 * StoreLockedError (naming the holder and `activity`) when another live process holds it.
 */
export async function lockBeside(file: string, activity: string): Promise<(() => Promise<void>) | null> {
  try {
    return await acquireLock(dirname(file), `${basename(file)}.lock`, activity);
  } catch (e) {
    if (UNLOCKABLE.has((e as NodeJS.ErrnoException).code ?? '')) return null;
    throw e;
  }
}
