import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, lockBeside } from './lock';
import { StoreLockedError } from './errors';

const dir = mkdtempSync(join(tmpdir(), 'custos-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const onLinux = existsSync('/proc/self/stat');

describe('single-writer locks', () => {
  it('lets exactly one of many concurrent takers in, and the others name it', async () => {
    for (let round = 0; round < 20; round++) {
      const taken = await Promise.allSettled(Array.from({ length: 4 }, () => acquireLock(dir, 'race.lock', 'raced')));
      const won = taken.filter((t) => t.status === 'fulfilled') as PromiseFulfilledResult<() => Promise<void>>[];
      expect(won).toHaveLength(1);
      for (const t of taken) if (t.status === 'rejected') expect(t.reason).toEqual(new StoreLockedError(dir, process.pid, 'raced'));
      await won[0]!.value();
      expect(existsSync(join(dir, 'race.lock'))).toBe(false);
    }
  });

  it('refuses while a live process holds it, and takes over from a dead one', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    await new Promise((r) => child.once('spawn', r));
    try {
      const started = onLinux ? ` ${readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]}` : '';
      writeFileSync(join(dir, 'held.lock'), `${child.pid}${started}`);
      await expect(lockBeside(join(dir, 'held'), 'being verified')).rejects.toThrow(`store ${dir} is being verified by process ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const release = await lockBeside(join(dir, 'held'), 'being verified');
    expect(readFileSync(join(dir, 'held.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid}( \\d+)?$`));
    await release!();
  });

  it.runIf(onLinux)('does not take a reused pid (a different start time) for the holder', async () => {
    writeFileSync(join(dir, 'reused.lock'), `${process.pid} 1`);
    const release = await acquireLock(dir, 'reused.lock');
    await release();
  });

  it('waits for a lock being written; one left empty for long is taken over', async () => {
    const path = join(dir, 'empty.lock');
    writeFileSync(path, '');
    const taking = acquireLock(dir, 'empty.lock');
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(path, `${process.pid}`); // its writer finished: the lock is held
    await expect(taking).rejects.toBeInstanceOf(StoreLockedError);
    writeFileSync(path, '');
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await (await acquireLock(dir, 'empty.lock'))();
  });

  it('takes no lock where none can be written', async () => {
    expect(await lockBeside(join(dir, 'no-such-dir', 'index.sqlite'), 'being indexed')).toBeNull();
  });
});
