// Shard boundaries: the same answers with many small shards as with one, rows of a sealed
// shard updated by a later height, and shard files that are damaged, missing or left behind.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type ReplicaStore, type StoreRecord } from '../store';
import {
  DERIVED_TABLES, IndexDamagedError, VERIFICATION_TABLES, counts, getBlock, getPatient, getTx, ledgerTxs, listBlocks, listTxs, openIndex,
  recordVerification, searchByText, updateIndex, type IndexDb, type ListTxsOptions, type OpenIndexOptions,
} from './index';
import { shardDirFor } from './shard-files';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../../shared/cometbft/bytes';
import { FixtureChain, appendHeights, bulkBlocks, scriptedChain } from './test-chain';

const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'custos-shards-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const o of open.splice(0)) await o.close().catch(() => undefined);
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function index(path: string | null, opts: OpenIndexOptions = {}, log: string[] = []): Promise<IndexDb> {
  const ix = await openIndex(path, { log: (l) => log.push(l), ...opts });
  open.push(ix);
  return ix;
}

const SMALL: OpenIndexOptions = { shardTxs: 5 };
const ONE: OpenIndexOptions = { shardTxs: 1e9 };

/** The scripted chain, then bulk blocks, then two anchors of one SHA-256 in blocks far apart. */
let shared: { fx: FixtureChain; heights: StoreRecord[][]; ids: ReturnType<typeof scriptedChain>['ids']; sameSha: string; twice: { id: string; first: number; again: number } } | undefined;
function chain() {
  if (!shared) {
    const fx = new FixtureChain();
    const { heights, ids } = scriptedChain(fx);
    bulkBlocks(fx, 8, 9, (r) => heights.push(r));
    const g = fx.c.g;
    const nurse = g.members.find((m) => m.label === 'st-mary-hospital/nurse-1')!;
    const sameSha = 'ab'.repeat(32);
    const anchor = (uri: string) => fx.tx('record.anchor', { patient: ids.patients[1]!, resource_type: 'Observation', uri, sha256: sameSha }, nurse.seed);
    const twice = anchor('urn:uuid:same-1');
    heights.push(fx.block([twice]).records);
    const first = heights.length;
    bulkBlocks(fx, 3, 9, (r) => heights.push(r));
    heights.push(fx.block([anchor('urn:uuid:same-2'), twice]).records); // the same bytes again: refused
    shared = { fx, heights, ids, sameSha, twice: { id: toHex(sha256(twice)), first, again: heights.length } };
  }
  return shared;
}

async function store(heights: StoreRecord[][]): Promise<ReplicaStore> {
  const s = await openStore(await tmp());
  open.push(s);
  await s.putGenesis(chain().fx.genesisBytes());
  await appendHeights(s, heights);
  return s;
}

function dump(ix: IndexDb): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of [...DERIVED_TABLES, ...VERIFICATION_TABLES]) out[t] = ix.select(`SELECT * FROM ${t}`).map((r) => JSON.stringify(Object.values(r))).sort();
  return out;
}

/** Every query the explorer and the CLI make, over every id, key, height and filter of the chain. */
function answers(ix: IndexDb): Record<string, unknown> {
  const out: Record<string, unknown> = { counts: counts(ix) };
  const last = counts(ix).lastHeight;
  const col = (q: string) => [...new Set(ix.select(q).map((r) => String(Object.values(r)[0])))].sort();
  const txIds = col('SELECT id FROM txs');
  const hashes = col('SELECT hash FROM blocks');
  const keys = [...new Set([...col('SELECT pubkey FROM patients'), ...col('SELECT pubkey FROM members')])].sort();
  const orgs = col('SELECT id FROM organisations');
  for (let h = 0; h <= last + 1; h++) out[`block ${h}`] = getBlock(ix, h);
  for (const before of [undefined, 3, 9, 17, last]) for (const limit of [1, 4, 50]) out[`blocks ${before} ${limit}`] = listBlocks(ix, { ...(before !== undefined ? { beforeHeight: before } : {}), limit });
  for (const id of txIds) {
    out[`tx ${id}`] = getTx(ix, id.toLowerCase());
    for (const n of [6, 12, 13, 14, 64]) out[`search ${id.slice(0, n)}`] = searchByText(ix, id.slice(0, n));
  }
  for (const h of hashes) for (const n of [6, 13, 64]) out[`search ${h.slice(0, n)}`] = searchByText(ix, h.slice(0, n), 3);
  for (const k of keys) {
    out[`patient ${k}`] = getPatient(ix, k);
    for (const n of [7, 64]) out[`search ${k.slice(0, n)}`] = searchByText(ix, k.slice(0, n));
    out[`signer ${k}`] = listTxs(ix, { signer: k, limit: 3 });
    for (const l of ['signed_by', 'consents_of_patient', 'accesses_to_patient'] as const) out[`${l} ${k}`] = ledgerTxs(ix, l, k, 2);
  }
  for (const o of orgs) for (const l of ['consents_to', 'accesses_for_org'] as const) out[`${l} ${o}`] = ledgerTxs(ix, l, o, 3);
  for (const q of ['5', String(last), '#2', 'hospital', chain().sameSha]) out[`search ${q}`] = searchByText(ix, q);
  const filters: ListTxsOptions[] = [
    {}, { kind: 'access.record' }, { kind: 'consent.grant', code: 'ok' }, { code: 'failed' }, { code: 5 }, { kind: '' }, { kind: 'nope' },
    { fromHeight: 4, toHeight: 16 }, { fromHeight: 15 }, { toHeight: 6, order: 'asc' }, { signer: keys[0]! }, { signer: keys[3]!, kind: 'access.record' },
  ];
  for (const f of filters) for (const order of ['asc', 'desc'] as const) for (const [offset, limit] of [[0, 50], [0, 7], [5, 7], [13, 4], [40, 9], [1000, 5]] as const) {
    out[`txs ${JSON.stringify(f)} ${order} ${offset} ${limit}`] = listTxs(ix, { order, ...f, offset, limit });
  }
  return out;
}

describe('shards', () => {
  it('give the same answers as a single shard, for every query and boundary', async () => {
    const s = await store(chain().heights);
    const one = await index(null, ONE);
    const many = await index(null, { ...SMALL, cacheBytes: 1 });
    await updateIndex(s, one);
    await updateIndex(s, many, { batchHeights: 3 });
    expect(one.shards.list()).toHaveLength(1);
    expect(many.shards.list().length).toBeGreaterThan(8);
    expect(many.shards.stats().loaded.length).toBeLessThanOrEqual(2); // the open shard, and the one in use
    expect(dump(many)).toEqual(dump(one));
    const want = answers(one);
    expect(answers(many)).toEqual(want);
    expect(many.shards.stats().loaded.length).toBeLessThanOrEqual(2);
    expect(JSON.stringify(want).length).toBeGreaterThan(100_000);
  });

  it('seals a shard by heights and by bytes too (pages in use: a reused shard database keeps its old pages free)', async () => {
    const s = await store(chain().heights);
    const one = await index(null, ONE);
    await updateIndex(s, one);
    const want = dump(one);
    for (const [o, check] of [
      [{ shardTxs: 1e9, shardHeights: 3 }, (n: number) => n === Math.ceil((chain().heights.length + 1) / 3)],
      [{ shardTxs: 1e9, shardBytes: 140_000 }, (n: number) => n > 2 && n < chain().heights.length / 2],
    ] as const) {
      const ix = await index(null, o);
      await updateIndex(s, ix, { batchHeights: 4 });
      expect(check(ix.shards.list().length), `${JSON.stringify(o)}: ${ix.shards.list().length} shards of ${chain().heights.length} heights`).toBe(true);
      expect(dump(ix)).toEqual(want);
    }
  });

  it('finds one SHA-256 anchored in two shards, and a replayed transaction in another shard', async () => {
    const { heights, sameSha, twice } = chain();
    const ix = await index(null, SMALL);
    await updateIndex(await store(heights), ix);
    const hits = searchByText(ix, sameSha).filter((h) => h.type === 'record');
    expect(hits).toHaveLength(2);
    const shardOf = (h: number) => ix.shards.forHeight(h)!.id;
    expect(shardOf(hits[0]!.height!)).not.toBe(shardOf(hits[1]!.height!));
    expect(hits.map((h) => h.key)).toEqual(hits.map((h) => h.key).sort()); // index order: (record_id, version)
    const replay = getTx(ix, twice.id)!;
    expect(replay).toMatchObject({ code: 0, height: twice.first, alsoAt: [{ height: twice.again, code: expect.any(Number) }] });
    expect(replay.alsoAt[0]!.code).not.toBe(0);
    expect(shardOf(twice.first)).not.toBe(shardOf(twice.again));
  });

  it('applies a revoke and a review of rows in a sealed shard, before and after they are written into its file', async () => {
    const { heights, ids } = chain();
    const s = await store(heights);
    for (const settlePatches of [1000, 1]) {
      const file = join(await tmp(), 'index.sqlite');
      const ix = await index(file, { shardTxs: 4, settlePatches });
      await updateIndex(s, ix);
      const c1 = ix.select('SELECT * FROM consents WHERE id = ?', [ids.consents.c1])[0]!;
      const granted = ix.shards.forHeight(Number(c1['granted_height']))!;
      expect(granted.sealed && granted.to! < Number(c1['revoked_height'])).toBe(true); // granted in a shard sealed before the revoke
      expect(c1).toMatchObject({ status: 'revoked', revoked_height: 6 });
      expect(ix.select('SELECT reviewed_height, review_outcome FROM accesses WHERE id = ?', [ids.accesses.breakGlass])).toEqual([{ reviewed_height: 6, review_outcome: 'justified' }]);
      const pending = Number(ix.sql().value('SELECT count(*) FROM shard_patches'));
      expect(pending).toBe(settlePatches === 1 ? 0 : 2); // written by the update's checkpoint, or kept in the core
      const want = dump(ix);
      await ix.close();
      const again = await index(file, { shardTxs: 4, settlePatches });
      expect(again.opened.source).toBe('file');
      expect(dump(again)).toEqual(want);
    }
  });

  it('discards the index when a shard file is damaged or missing (one log line), keeps the verifier\'s results, and rebuilds', async () => {
    const { heights } = chain();
    const s = await store(heights);
    const file = join(await tmp(), 'index.sqlite');
    const ix = await index(file, SMALL);
    await updateIndex(s, ix);
    await recordVerification(ix, [{ height: 3, failures: [] }, { height: 9, failures: [{ check: 'header.app_hash', expected: 'A', found: 'B' }] }]);
    const want = dump(ix);
    await ix.close();
    const shardDir = shardDirFor(file);
    const files = (await readdir(shardDir)).sort();
    expect(files.length).toBeGreaterThan(4);

    const damage = [
      async () => { const p = join(shardDir, files[2]!); const b = await readFile(p); b[100] = b[100]! ^ 1; await writeFile(p, b); },
      async () => rm(join(shardDir, files[1]!)),
    ];
    for (const [i, hurt] of damage.entries()) {
      await hurt();
      const log: string[] = [];
      const x = await index(file, SMALL, log);
      expect(x.opened).toMatchObject({ source: 'discarded', reason: expect.stringMatching(i === 0 ? /shard file .* checksum mismatch/ : /shard file .* is missing/) });
      expect(log).toEqual([expect.stringMatching(/discarding it and rebuilding the index from the replica/)]);
      expect(counts(x).blocks).toBe(0);
      expect(await readdir(shardDir)).toEqual([]);
      await updateIndex(s, x);
      expect(dump(x)).toEqual(want); // the verification rows too
      await x.close();
      files.splice(0, files.length, ...(await readdir(shardDir)).sort());
    }
  });

  it('a shard damaged after opening fails the query that needs it, and the next update rebuilds', async () => {
    const { heights, ids } = chain();
    const s = await store(heights);
    const file = join(await tmp(), 'index.sqlite');
    const ix = await index(file, { ...SMALL, cacheBytes: 1 });
    await updateIndex(s, ix);
    const want = dump(ix);
    await ix.close();
    const log: string[] = [];
    const x = await index(file, { ...SMALL, cacheBytes: 1 }, log);
    const first = x.shards.forHeight(1)!.file!;
    await writeFile(join(shardDirFor(file), first), 'not a shard');
    expect(() => getTx(x, ids.records.r1)).toThrow(IndexDamagedError);
    expect(() => getBlock(x, 1)).toThrow(IndexDamagedError);
    expect(log).toEqual([expect.stringMatching(/shard file .* the next update rebuilds the index/)]);
    expect(await updateIndex(s, x)).toMatchObject({ rebuilt: expect.stringMatching(/shard file/) });
    expect(log).toHaveLength(1);
    expect(dump(x)).toEqual(want);
  });

  it('an interrupted update resumes after the last checkpoint; files left behind are removed', async () => {
    const { heights } = chain();
    const s = await store(heights);
    const full = await index(null, SMALL);
    await updateIndex(s, full);
    const file = join(await tmp(), 'index.sqlite');
    const stop = new AbortController();
    const ix = await index(file, SMALL);
    const first = await updateIndex(s, ix, { batchHeights: 2, signal: stop.signal, onProgress: (p) => { if (p.height >= 9) stop.abort(); } });
    expect(first.lastHeight).toBeLessThan(heights.length);
    await ix.close();
    await writeFile(join(shardDirFor(file), '000099-deadbeef.shard'), 'left by a crash');
    const again = await index(file, SMALL);
    expect(again.opened.source).toBe('file');
    expect(await readdir(shardDirFor(file))).not.toContain('000099-deadbeef.shard');
    expect(await updateIndex(s, again)).toMatchObject({ from: first.lastHeight + 1, to: heights.length, rebuilt: null });
    expect(dump(again)).toEqual(dump(full));
  });

  it('a new core (its file removed) removes the shard files of the old one', async () => {
    const s = await store(chain().heights.slice(0, 20));
    const file = join(await tmp(), 'index.sqlite');
    const ix = await index(file, SMALL);
    await updateIndex(s, ix);
    await ix.close();
    expect((await readdir(shardDirFor(file))).length).toBeGreaterThan(1);
    await rm(file);
    const x = await index(file, SMALL);
    expect(x.opened.source).toBe('new');
    expect(await readdir(shardDirFor(file))).toEqual([]);
  });
});
