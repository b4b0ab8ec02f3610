import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_FORMAT, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint';

const checkpoint = (snapshot: Uint8Array): Checkpoint => ({
  header: {
    format: CHECKPOINT_FORMAT, toolVersion: 't', chainId: 'c', genesisSha256: 'ab', height: 7, lastBlockIdHash: 'CD',
    createdAt: new Date(0).toISOString(), state: '{}', firstFailure: null, failures: [], failuresTotal: 0,
  },
  snapshot,
});

describe('the verification checkpoint file', () => {
  it('is written part by part, atomically, and read back whole; a torn or altered file is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-cp-'));
    try {
      const path = join(dir, 'verify-checkpoint.bin');
      const snapshot = Uint8Array.from(randomBytes(3 * 1024 * 1024 + 5));
      await writeCheckpoint(path, checkpoint(snapshot));
      expect(await readdir(dir)).toEqual(['verify-checkpoint.bin']); // no temp file left
      const back = await readCheckpoint(path);
      expect(back && 'header' in back && back.header.height).toBe(7);
      expect(back && 'snapshot' in back && Buffer.from(back.snapshot).equals(Buffer.from(snapshot))).toBe(true);
      // A snapshot given in parts is the same file as the whole one.
      const whole = await readFile(path);
      const parts = [snapshot.subarray(0, 5), snapshot.subarray(5, 1 << 20), snapshot.subarray(1 << 20)];
      await writeCheckpoint(path, { ...checkpoint(snapshot), snapshot: parts });
      expect((await readFile(path)).equals(whole)).toBe(true);

      const bytes = await readFile(path);
      bytes[bytes.length >> 1]! ^= 1;
      await writeFile(path, bytes);
      expect(await readCheckpoint(path)).toEqual({ problem: 'checksum mismatch (torn or altered file)' });
      await writeFile(path, bytes.subarray(0, bytes.length - 100));
      expect(await readCheckpoint(path)).toEqual({ problem: 'checksum mismatch (torn or altered file)' });
      expect(await readCheckpoint(join(dir, 'none'))).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
