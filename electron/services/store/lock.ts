// Single-writer locks: a file (`LOCK` for the store's writer, others for other writers of the
// same directory, e.g. the verifier's checkpoint) holding the holder's pid and, on Linux, its
// start time (so a pid reused by an unrelated process is not taken for the holder). A lock
// left by a process that no longer exists (crash, kill -9) is taken over; an empty one is a
// lock being written, unless it stays empty.

import { open, readFile, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreLockedError } from './errors';

/** The store writer's lock (store.ts). */
export const STORE_LOCK = 'LOCK';

/** How long a lock file may stay empty (its writer between create and write) before it counts as abandoned. */
const EMPTY_GRACE_MS = 2000;

/** /proc/<pid>/stat field 22 (starttime, clock ticks since boot), or null off Linux. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** What a lock file names: `pid[ starttime]`, or null for a missing, empty or unreadable one. */
async function readHolder(path: string): Promise<{ pid: number; started: string | null } | null> {
  const [pidText, started] = (await readFile(path, 'utf8').catch(() => '')).trim().split(' ');
  const pid = Number(pidText);
  return pidText && Number.isInteger(pid) && pid > 0 ? { pid, started: started ?? null } : null;
}

function alive(pid: number, started: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = started === null ? null : startTime(pid);
  return now === null || now === started;
}

/** Takes the lock `name` in `dir`, or throws StoreLockedError naming the holder and `activity`; resolves to its release. */
export async function acquireLock(dir: string, name = STORE_LOCK, activity?: string): Promise<() => Promise<void>> {
  const path = join(dir, name);
  const me = `${process.pid} ${startTime(process.pid) ?? ''}`.trim();
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(me);
      } finally {
        await fh.close();
      }
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(path);
    if (holder === null) {
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age < EMPTY_GRACE_MS) {
        await sleep(10); // its writer is between create and write
        continue;
      }
    } else if (alive(holder.pid, holder.started)) {
      throw new StoreLockedError(dir, holder.pid, activity);
    }
    await rm(path, { force: true });
  }
  throw new StoreLockedError(dir, -1, activity);
}

/** The pid holding the lock `name` in `dir`, by the rules acquireLock goes by, or null when none does. */
export async function lockHolder(dir: string, name: string): Promise<number | null> {
  const holder = await readHolder(join(dir, name));
  return holder && alive(holder.pid, holder.started) ? holder.pid : null;
}

/** The name of the lock beside `file` (lockBeside). */
export function lockNameFor(file: string): string {
  return `${basename(file)}.lock`;
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
    return await acquireLock(dirname(file), lockNameFor(file), activity);
  } catch (e) {
    if (UNLOCKABLE.has((e as NodeJS.ErrnoException).code ?? '')) return null;
    throw e;
  }
}
