import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '../../../shared/cometbft/bytes';
import { buildReplicaChain, cloneChain, type ReplicaChain } from '../../../test/replica-chain';
import { openStore, StoreLockedError } from '../store';
import { readCheckpoint } from './checkpoint';
import { CHECKPOINT_FILE, formatReport, memorySource, runVerification, type HeightRecord, type ReplicaSource, type VerifiedBatch, type VerifyProgress } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const enc = (x: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(x));
const records = (c: ReplicaChain, upTo = c.heights.length): HeightRecord[] => c.heights.slice(0, upTo).map((r) => ({
  height: r.height,
  payloads: { block: enc(r.block), commit: enc(r.commit), validators: enc(r.validators), block_results: enc(r.block_results) },
}));
const source = (c: ReplicaChain, upTo?: number): ReplicaSource => memorySource(enc(c.genesis), records(c, upTo));

let chain: ReplicaChain;
let tmp: string;
beforeAll(() => {
  chain = buildReplicaChain({ heights: 24, absentAt: [5, 11] });
  tmp = mkdtempSync(join(tmpdir(), 'custos-verify-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runVerification (worker pool, native Ed25519, chain worker)', () => {
  it('verifies a real multi-height chain with zero failures and correct counts', async () => {
    const progress: VerifyProgress[] = [];
    const r = await runVerification({ source: source(chain), threads: 2, checkpointPath: null, onProgress: (p) => progress.push(p), forkEvidence: [{ height: 3, note: 'test' }] });
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.heights).toEqual({ from: 1, to: 24 });
    expect(r.counts).toMatchObject({ blocks: 24, txs: chain.txCount, validatorChanges: 1, txSignatures: chain.txCount });
    expect(r.counts.commitSignatures).toBeGreaterThan(24 * 4);
    expect(r.run.signatureMisses).toBeLessThanOrEqual(8); // the first height's last_commit, at most
    expect(r.forkEvidence).toHaveLength(1);
    expect(r.genesisSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.at(-1)).toMatchObject({ height: 24, done: 24, total: 24 });
    const text = formatReport(r);
    expect(text).toMatch(/VERIFIED/);
    expect(text).toMatch(/validator changes 1/);
  });

  it('catches a tampered payload at its height and check', async () => {
    const c = cloneChain(chain);
    const s = (c.heights[9]!.commit as Json).signed_header.commit.signatures[2];
    const b = fromBase64(s.signature);
    b[3] = b[3]! ^ 1;
    s.signature = toBase64(b);
    const batches: VerifiedBatch[] = [];
    const r = await runVerification({ source: source(c), threads: 2, checkpointPath: null, onHeights: (b) => batches.push(b) });
    expect(r.ok).toBe(false);
    expect(r.firstFailure).toMatchObject({ height: 10, check: 'commit.signature' });
    // Per-height results stream out in order, covering every height once, with the failure at its height.
    expect(batches.map((b) => [b.from, b.to]).flat()).toEqual(batches.flatMap((b, i) => [i === 0 ? 1 : batches[i - 1]!.to + 1, b.to]));
    expect(batches.at(-1)!.to).toBe(24);
    expect(batches.flatMap((b) => b.failures)).toEqual([expect.objectContaining({ height: 10, check: 'commit.signature' })]);
    expect(r.heights.to).toBe(24); // a failed certificate does not stop the rest from being verified
    expect(formatReport(r)).toMatch(/FAILED: 1 failure\(s\), first at height 10 \(commit.signature\)/);
  });

  it('refuses a genesis that is not the pinned one, verifying nothing', async () => {
    const r = await runVerification({ source: source(chain), threads: 1, checkpointPath: null, genesisSha256: '00'.repeat(32) });
    expect(r).toMatchObject({ ok: false, firstFailure: { check: 'genesis' }, heights: { from: null, to: null } });
    expect(r.counts.blocks).toBe(0);
  });

  it('reports a gap in the replica as missing and stops there', async () => {
    const recs = records(chain).filter((r) => r.height !== 7);
    const r = await runVerification({ source: memorySource(enc(chain.genesis), recs), threads: 2, checkpointPath: null });
    expect(r.firstFailure).toMatchObject({ height: 7, check: 'replica.missing' });
    expect(r.heights.to).toBe(6);
    expect(r.haltedBy?.check).toBe('replica.missing');
  });

  it('resumes after a checkpoint, verifying only the new heights; fullReverify starts over', async () => {
    const checkpointPath = join(tmp, 'resume.bin');
    const first = await runVerification({ source: source(chain, 15), threads: 2, checkpointPath });
    expect(first).toMatchObject({ ok: true, run: { from: 1, to: 15, checkpoint: 'none' } });
    const second = await runVerification({ source: source(chain), threads: 2, checkpointPath });
    expect(second).toMatchObject({ ok: true, heights: { from: 1, to: 24 }, run: { from: 16, to: 24, blocks: 9, resumedFromCheckpoint: 15, checkpoint: 'used' } });
    expect(second.counts).toEqual((await runVerification({ source: source(chain), threads: 2, checkpointPath: null })).counts);
    const again = await runVerification({ source: source(chain), threads: 2, checkpointPath });
    expect(again).toMatchObject({ ok: true, run: { from: null, blocks: 0, resumedFromCheckpoint: 24 }, counts: { blocks: 24 } });
    const full = await runVerification({ source: source(chain), threads: 2, checkpointPath, fullReverify: true });
    expect(full).toMatchObject({ ok: true, run: { from: 1, to: 24, blocks: 24, checkpoint: 'full-reverify' } });
  });

  it('keeps failures across a resume, and ignores a checkpoint the replica no longer matches', async () => {
    const checkpointPath = join(tmp, 'failures.bin');
    const bad = cloneChain(chain);
    (bad.heights[3]!.block_results as Json).txs_results[0].code = 9;
    await runVerification({ source: source(bad, 10), threads: 1, checkpointPath });
    const resumed = await runVerification({ source: source(bad), threads: 1, checkpointPath });
    expect(resumed).toMatchObject({ ok: false, failuresTotal: 1, firstFailure: { height: 4, check: 'results.tx' }, run: { from: 11, checkpoint: 'used' } });
    // The replica was re-fetched and now holds another block at the checkpoint height.
    const other = buildReplicaChain({ heights: 24, seed: 'another seed' });
    const r = await runVerification({ source: memorySource(enc(bad.genesis), records(other)), threads: 1, checkpointPath });
    expect(r.run).toMatchObject({ checkpoint: 'ignored', from: 1 });
    expect(r.run.checkpointNote).toMatch(/not the one verified|another chain/);
  });

  it('writes every failure up to a checkpoint\'s height into it, even one found just before it was asked for', async () => {
    const bad = cloneChain(chain);
    const badHeights = bad.heights.filter((h) => ((h.block_results as Json).txs_results ?? []).length > 0).map((h) => h.height);
    for (const h of badHeights) (bad.heights[h - 1]!.block_results as Json).txs_results[0].code = 9;
    const whole = await runVerification({ source: source(bad), threads: 2, checkpointPath: null });
    expect(whole.failuresTotal).toBe(badHeights.length);
    for (const stopAt of [6, 13]) {
      const checkpointPath = join(tmp, `fail-cp-${stopAt}.bin`);
      const ac = new AbortController();
      const first = await runVerification({
        source: source(bad), threads: 2, checkpointPath, signal: ac.signal, checkpointIntervalMs: 0,
        onProgress: (p) => { if (p.height >= stopAt) ac.abort(); },
      });
      const cp = await readCheckpoint(checkpointPath);
      if (!cp || 'problem' in cp) throw new Error('no checkpoint');
      expect(first.heights.to).toBe(cp.header.height); // the report says what the checkpoint holds
      expect(cp.header.failures.map((f) => f.height)).toEqual(badHeights.filter((h) => h <= cp.header.height));
      const rest = await runVerification({ source: source(bad), threads: 2, checkpointPath });
      expect(rest.failuresTotal).toBe(whole.failuresTotal);
    }
  });

  it('keeps the ledger state in a state log beside the checkpoint: appends after its mark are ignored, an altered or missing log means from the genesis', async () => {
    const dir = mkdtempSync(join(tmp, 'state-log-'));
    const checkpointPath = join(dir, 'cp.bin');
    const logs = (): string[] => readdirSync(dir).filter((f) => f.startsWith('cp.bin.state-'));
    const fresh = async (c: ReplicaChain, upTo: number) => (await runVerification({ source: source(c, upTo), threads: 2, checkpointPath: null })).counts;
    const bad = cloneChain(chain);
    (bad.heights[3]!.block_results as Json).txs_results[0].code = 9;
    await runVerification({ source: source(bad, 10), threads: 2, checkpointPath });
    expect(logs()).toHaveLength(1);
    const first = logs()[0]!;
    // A crash between writing the log and the next checkpoint leaves bytes after the mark.
    appendFileSync(join(dir, first), Buffer.from('bytes of blocks no checkpoint covers'));
    const resumed = await runVerification({ source: source(bad, 14), threads: 2, checkpointPath });
    expect(resumed).toMatchObject({ ok: false, failuresTotal: 1, run: { from: 11, to: 14, checkpoint: 'used', resumedFromCheckpoint: 10 } });
    expect(resumed.counts).toEqual(await fresh(bad, 14));
    expect(logs()).toHaveLength(1); // the resumed run wrote a new one; the old one went with the new checkpoint
    expect(logs()[0]).not.toBe(first);

    // One altered byte in the log: the checkpoint is refused, and everything is verified again.
    const log = join(dir, logs()[0]!);
    const bytes = readFileSync(log);
    bytes[bytes.length >> 1]! ^= 1;
    writeFileSync(log, bytes);
    const refused = await runVerification({ source: source(bad, 18), threads: 2, checkpointPath });
    expect(refused).toMatchObject({
      ok: false, failuresTotal: 1, firstFailure: { height: 4, check: 'results.tx' }, heights: { from: 1, to: 18 },
      run: { from: 1, to: 18, checkpoint: 'ignored', resumedFromCheckpoint: null },
    });
    expect(refused.run.checkpointNote).toMatch(/cannot resume from it .*SHA-256 differs.*from the genesis/);
    expect(refused.counts).toEqual(await fresh(bad, 18));

    // A log that is gone: the same.
    for (const f of logs()) unlinkSync(join(dir, f));
    const gone = await runVerification({ source: source(bad), threads: 2, checkpointPath });
    expect(gone).toMatchObject({ failuresTotal: 1, run: { from: 1, to: 24, checkpoint: 'ignored' } });
    expect(gone.counts).toEqual(await fresh(bad, 24));
    expect(logs()).toHaveLength(1);
    // Nothing new to verify: the checkpoint answers alone.
    expect(await runVerification({ source: source(bad), threads: 2, checkpointPath })).toMatchObject({ failuresTotal: 1, run: { blocks: 0, checkpoint: 'used' } });
  });

  it('runs one verification at a time per checkpoint: a second is refused, naming the process; a dead holder\'s lock is taken over', async () => {
    const checkpointPath = join(tmp, 'locked.bin');
    const runs = await Promise.allSettled([1, 2].map(() => runVerification({ source: source(chain, 6), threads: 1, checkpointPath })));
    expect(runs.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = runs.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(StoreLockedError);
    expect(String(refused.reason.message)).toBe(`store ${tmp} is being verified by process ${process.pid}`);
    expect(existsSync(`${checkpointPath}.lock`)).toBe(false);
    writeFileSync(`${checkpointPath}.lock`, String(spawnSync(process.execPath, ['-e', '']).pid));
    expect(await runVerification({ source: source(chain, 6), threads: 1, checkpointPath })).toMatchObject({ ok: true });
    expect(existsSync(`${checkpointPath}.lock`)).toBe(false);
  });

  it('verifies with the ledger state in memory where no state log can be written (a read-only replica)', async () => {
    const r = await runVerification({ source: source(chain), threads: 2, checkpointPath: join(tmp, 'no-such-dir', 'cp.bin') });
    expect(r).toMatchObject({ ok: true, heights: { from: 1, to: 24 }, counts: { blocks: 24 } });
    expect(r.run.checkpointNote).toMatch(/could not write the checkpoint/);
  });

  it('can be cancelled, even while reading stalls, and resumes from where it stopped', async () => {
    const recs = records(chain);
    let release!: () => void;
    const stall = new Promise<void>((r) => { release = r; });
    const slow: ReplicaSource = {
      ...memorySource(enc(chain.genesis), recs),
      async *iterate(from, to) {
        for (const r of recs) {
          if (r.height < from || r.height > to) continue;
          if (r.height === 12) await stall; // the disk hangs here
          yield { height: r.height, payloads: { ...r.payloads, block: r.payloads.block.slice(), block_results: r.payloads.block_results.slice() } };
        }
      },
    };
    const ac = new AbortController();
    const checkpointPath = join(tmp, 'cancel.bin');
    const r = await runVerification({
      source: slow, threads: 2, checkpointPath, signal: ac.signal,
      onProgress: (p) => { if (p.height >= 11) ac.abort(); },
    });
    release();
    expect(r.cancelled).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.heights.to).toBe(11);
    expect(formatReport(r)).toMatch(/CANCELLED after height 11/);
    const rest = await runVerification({ source: source(chain), threads: 2, checkpointPath });
    expect(rest).toMatchObject({ ok: true, run: { from: 12, to: 24, resumedFromCheckpoint: 11 } });
  });
});

describe('runVerification over the replica store', () => {
  async function writeStore(dir: string, c: ReplicaChain, skip: (kind: string, height: number) => boolean = () => false): Promise<void> {
    const store = await openStore(dir);
    await store.putGenesis(enc(c.genesis));
    await store.append(records(c).flatMap((r) => (['block', 'commit', 'validators', 'block_results'] as const)
      .filter((kind) => !skip(kind, r.height)).map((kind) => ({ kind, height: r.height, payload: r.payloads[kind] }))));
    await store.flush();
    await store.close();
  }

  it('stops at a stored height that lacks a record, reported as missing', async () => {
    const dir = join(tmp, 'store-gap');
    await writeStore(dir, chain, (kind, h) => kind === 'block_results' && h === 9);
    const r = await runVerification({ dir, threads: 2, checkpointPath: null });
    expect(r.firstFailure).toMatchObject({ height: 9, check: 'replica.missing' });
    expect(r).toMatchObject({ heights: { from: 1, to: 8 }, counts: { blocks: 8 } });
  });

  it('verifies a stored replica, checkpoints beside it, and names a damaged record', async () => {
    const dir = join(tmp, 'store');
    await writeStore(dir, chain);
    const r = await runVerification({ dir, threads: 2 });
    expect(r).toMatchObject({ ok: true, heights: { from: 1, to: 24 }, counts: { blocks: 24 } });
    expect(readdirSync(dir)).toContain(CHECKPOINT_FILE);
    // One byte flipped near the end of the last segment: inside the last record's payload.
    const seg = join(dir, 'segments', readdirSync(join(dir, 'segments')).sort().at(-1)!);
    const bytes = readFileSync(seg);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x20;
    writeFileSync(seg, bytes);
    const damaged = await runVerification({ dir, threads: 2, fullReverify: true });
    expect(damaged.ok).toBe(false);
    expect(damaged.firstFailure).toMatchObject({ height: 24, check: 'replica.corrupt' });
    expect(damaged.heights.to).toBe(23);
  });
});
