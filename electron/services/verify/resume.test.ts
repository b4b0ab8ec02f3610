import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReplicaChain, type ReplicaChain } from '../../../test/replica-chain';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { memorySource, runVerification, type HeightRecord, type ReplicaSource } from './index';

// Resuming over the state log and its bucket file (disk-state.ts): what a checkpoint names must be
// there byte for byte, or verification starts again from the genesis and says why.
const enc = (x: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(x));
const source = (c: ReplicaChain, upTo = c.heights.length): ReplicaSource => memorySource(enc(c.genesis), c.heights.slice(0, upTo).map((r): HeightRecord => ({
  height: r.height,
  payloads: { block: enc(r.block), commit: enc(r.commit), validators: enc(r.validators), block_results: enc(r.block_results) },
})));

let chain: ReplicaChain;
let tmp: string;
beforeAll(() => {
  chain = buildReplicaChain({ heights: 16 });
  tmp = mkdtempSync(join(tmpdir(), 'custos-resume-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A directory with a checkpoint at height 8 (its state log and bucket file beside it). */
async function checkpointed(): Promise<{ dir: string; checkpointPath: string; files: () => string[] }> {
  const dir = mkdtempSync(join(tmp, 'cp-'));
  const checkpointPath = join(dir, 'cp.bin');
  expect(await runVerification({ source: source(chain, 8), threads: 1, checkpointPath })).toMatchObject({ ok: true, run: { to: 8 } });
  return { dir, checkpointPath, files: () => readdirSync(dir).filter((f) => /^cp\.bin\.(state|buckets)-/.test(f)).sort() };
}

describe('resuming over the bucket file', () => {
  it('writes one bucket file beside each state log, resumes over them, and keeps only the pair the checkpoint names', async () => {
    const { dir, checkpointPath, files } = await checkpointed();
    expect(files()).toEqual(['cp.bin.buckets-1', 'cp.bin.state-1']);
    // A crash after the checkpoint leaves bytes after both marks: they are not read.
    for (const f of files()) appendFileSync(join(dir, f), Buffer.from('bytes of blocks no checkpoint covers'));
    const resumed = await runVerification({ source: source(chain), threads: 1, checkpointPath });
    expect(resumed).toMatchObject({ ok: true, run: { from: 9, to: 16, checkpoint: 'used', resumedFromCheckpoint: 8 } });
    expect(files()).toEqual(['cp.bin.buckets-2', 'cp.bin.state-2']);
  });

  for (const [what, damage, note] of [
    ['an altered bucket file', (f: string) => { const b = readFileSync(f); b[b.length - 3]! ^= 1; writeFileSync(f, b); }, /buckets-1 is not the one the checkpoint names \(SHA-256 differs\)/],
    ['a bucket file cut short', (f: string) => truncateSync(f, 30), /buckets-1 is shorter than the checkpoint says/],
    ['a bucket file that is gone', (f: string) => rmSync(f), /ENOENT/],
  ] as const) {
    it(`refuses ${what}, says why, and verifies from the genesis`, async () => {
      const { dir, checkpointPath } = await checkpointed();
      damage(join(dir, 'cp.bin.buckets-1'));
      const r = await runVerification({ source: source(chain), threads: 1, checkpointPath });
      expect(r).toMatchObject({ ok: true, run: { from: 1, to: 16, checkpoint: 'ignored', resumedFromCheckpoint: null } });
      expect(r.run.checkpointNote).toMatch(/cannot resume from it/);
      expect(r.run.checkpointNote).toMatch(note);
    });
  }

  it('refuses an older version\'s checkpoint (a state log without a bucket file), saying so', async () => {
    const { checkpointPath } = await checkpointed();
    const cp = await readCheckpoint(checkpointPath);
    if (!cp || 'problem' in cp) throw new Error('no checkpoint');
    const { buckets: _, ...older } = cp.header.stateLog!;
    await writeCheckpoint(checkpointPath, { header: { ...cp.header, stateLog: older }, snapshot: cp.snapshot });
    const r = await runVerification({ source: source(chain), threads: 1, checkpointPath });
    expect(r).toMatchObject({ ok: true, run: { from: 1, checkpoint: 'ignored' } });
    expect(r.run.checkpointNote).toMatch(/has no bucket file \(an older version's state log\).*from the genesis/);
  });
});
