// Building the index from the replica store, streaming one height at a time (store.iterate
// reads through a small window; nothing of the chain is held beyond the current height) and
// committing in batches. Heights are indexed in order without gaps, because rows such as a
// revocation update rows written by earlier heights: an update indexes the complete run of
// heights that follows the last indexed one, and stops at the first gap.
//
// The index is a function of the store: rebuildIndex from scratch and any sequence of
// updateIndex calls give the same rows. A store change that alters heights already indexed —
// another genesis, or heights dropped and re-fetched (store.dropRange) — triggers a rebuild,
// and so does a shard file found missing or damaged.
//
// Rows go to the open shard (writer.ts). It is sealed after the height that fills it (so the
// layout, too, is the same for any sequence of updates): written to its file, summarised in
// the core, and, when the update checkpoints, the core is written then, so an interrupted
// build resumes from the last sealed shard.
import { StoreCorruptionError, type ReplicaStore } from '../store';
import { indexBlock } from './block-rows';
import { IndexDamagedError, IndexDataError } from './errors';
import { indexGenesis, parseGenesisBytes } from './genesis-rows';
import type { IndexDb } from './index-db';
import { decodeStoredHeight } from './payload';
import { Writer } from './writer';

export type IndexSource = Pick<ReplicaStore, 'genesisSha256' | 'getGenesis' | 'iterate' | 'heights' | 'stats'>;

export interface UpdateProgress {
  height: number;
  to: number;
  heights: number;
  txs: number;
}

export interface UpdateOptions {
  /** Heights per SQLite transaction (default 200). */
  batchHeights?: number;
  /** Write the index file when anything changed (default true). */
  checkpoint?: boolean;
  onProgress?: (p: UpdateProgress) => void;
  signal?: AbortSignal;
}

export interface UpdateReport {
  /** First and last height indexed by this call (to < from when none). */
  from: number;
  to: number;
  heights: number;
  txs: number;
  ms: number;
  /** Why the index was rebuilt from scratch, if it was. */
  rebuilt: string | null;
  /** A height the index could not read; indexing stopped before it. */
  stopped: { height: number; reason: string } | null;
  lastHeight: number;
}

const DROPS_KEY = 'store_drops';

/** Indexes the heights above the last indexed one (and the genesis, on an empty index). */
export function updateIndex(store: IndexSource, ix: IndexDb, opts: UpdateOptions = {}): Promise<UpdateReport> {
  return ix.exclusive(async () => {
    const why = staleReason(store, ix);
    if (why) return rebuild(store, ix, opts, why.reason, why.clearVerificationFrom, why.logged);
    try {
      return await run(store, ix, opts, null);
    } catch (e) {
      if (!(e instanceof IndexDamagedError)) throw e;
      return rebuild(store, ix, opts, e.reason, null, true); // the shard's problem was logged when found
    }
  });
}

/** Discards every store-derived row and indexes the whole replica again. Verification results are kept. */
export function rebuildIndex(store: IndexSource, ix: IndexDb, opts: UpdateOptions = {}): Promise<UpdateReport> {
  return ix.exclusive(() => rebuild(store, ix, opts, 'requested', null));
}

function staleReason(store: IndexSource, ix: IndexDb): { reason: string; clearVerificationFrom: number | null; logged?: boolean } | null {
  if (ix.damaged !== null) return { reason: ix.damaged, clearVerificationFrom: null, logged: true };
  const known = ix.meta('genesis_sha256');
  if (known === undefined) return null; // empty index
  const sha = store.genesisSha256 ?? '';
  if (known !== sha) return { reason: `the replica's genesis changed (${known || 'none'} → ${sha || 'none'})`, clearVerificationFrom: 0 };
  const last = ix.lastHeight();
  const seen = new Set((JSON.parse(ix.meta(DROPS_KEY) ?? '[]') as unknown[]).map((d) => JSON.stringify(d)));
  const hit = store.stats().dropped.filter((d) => !seen.has(JSON.stringify(d)) && d.from <= last);
  if (hit.length === 0) return null;
  const from = Math.min(...hit.map((d) => d.from));
  return { reason: `heights from ${from} were dropped from the replica for re-fetching`, clearVerificationFrom: from };
}

async function rebuild(store: IndexSource, ix: IndexDb, opts: UpdateOptions, reason: string, clearVerificationFrom: number | null, logged = false): Promise<UpdateReport> {
  if (reason !== 'requested' && !logged) ix.log(`custos index: ${reason}; rebuilding the index from the replica`);
  await ix.replace(clearVerificationFrom);
  return run(store, ix, opts, reason);
}

async function run(store: IndexSource, ix: IndexDb, opts: UpdateOptions, rebuilt: string | null): Promise<UpdateReport> {
  const t0 = performance.now();
  const batch = Math.max(1, opts.batchHeights ?? 200);
  const checkpoint = opts.checkpoint ?? true;
  const w = new Writer(ix);
  const sql = w.core;
  const report: UpdateReport = { from: 0, to: -1, heights: 0, txs: 0, ms: 0, rebuilt, stopped: null, lastHeight: ix.lastHeight() };
  const setMeta = (key: string, value: string | number) => sql.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [key, String(value)]);
  try {
    // The genesis, once, on an empty index (its patients: the first shard, from height 0).
    if (ix.meta('genesis_sha256') === undefined) {
      w.useOpenShard(0);
      const bytes = store.genesisSha256 ? await store.getGenesis() : undefined;
      w.begin();
      w.height(0, () => {
        setMeta('genesis_sha256', store.genesisSha256 ?? '');
        setMeta('last_height', 0);
        if (bytes) {
          const g = parseGenesisBytes(bytes);
          setMeta('chain_id', g.chainId);
          setMeta('initial_height', g.initialHeight);
          indexGenesis(w, g);
        }
      });
      w.commit();
      ix.dirty = true;
    }
    setMeta(DROPS_KEY, JSON.stringify(store.stats().dropped));

    const last = ix.lastHeight();
    const next = last > 0 ? last + 1 : Number(ix.meta('initial_height') ?? 1);
    w.useOpenShard(next);
    const range = store.heights().find((r) => r.from <= next && next <= r.to);
    report.from = next;
    report.to = next - 1;
    if (range) {
      let inBatch = 0;
      w.begin();
      try {
        for await (const { height, payloads } of store.iterate(next, range.to, { kinds: ['block', 'block_results'] })) {
          if (height !== report.to + 1) break; // a height vanished meanwhile: stop at the gap
          const d = decodeStoredHeight(height, payloads.block!, payloads.block_results!);
          w.height(d.txs.length, () => {
            indexBlock(w, d);
            setMeta('last_height', height);
          });
          report.txs += d.txs.length;
          report.to = height;
          report.heights++;
          const seal = w.full(ix.limits);
          if (seal || ++inBatch >= batch) {
            w.commit();
            ix.dirty = true;
            if (seal) {
              await w.seal(height);
              if (checkpoint) await ix.writeCheckpoint();
            }
            w.begin();
            inBatch = 0;
            opts.onProgress?.({ height, to: range.to, heights: report.heights, txs: report.txs });
            if (opts.signal?.aborted) break;
          }
        }
      } catch (e) {
        // Data the index cannot read, or a record failing its checksum: keep what is indexed, stop before it.
        if (e instanceof IndexDataError) report.stopped = { height: e.height, reason: e.message };
        else if (e instanceof StoreCorruptionError) report.stopped = { height: e.location.height ?? report.to + 1, reason: e.message };
        else throw e;
      }
      w.commit();
    }
  } catch (e) {
    w.rollback();
    if (!(e instanceof IndexDataError || e instanceof StoreCorruptionError)) throw e;
    report.stopped = { height: e instanceof IndexDataError ? e.height : (e.location.height ?? 0), reason: e.message };
  } finally {
    w.free();
  }
  if (report.heights > 0) ix.dirty = true;
  report.lastHeight = ix.lastHeight();
  if (report.stopped) ix.log(`custos index: stopped before height ${report.stopped.height}: ${report.stopped.reason}`);
  if (checkpoint) await ix.writeCheckpoint();
  report.ms = performance.now() - t0;
  return report;
}
