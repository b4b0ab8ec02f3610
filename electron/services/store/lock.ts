// Single-writer lock: a `LOCK` file holding the writer's pid. A lock left by a process that
// no longer exists (crash, kill -9) is taken over.

import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreLockedError } from './errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'LOCK');
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
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid))) throw new StoreLockedError(dir, pid);
    await rm(path, { force: true });
  }
  throw new StoreLockedError(dir, -1);
}
