// Building the index from the replica store, streaming one height at a time (store.iterate
// reads through a small window; nothing of the chain is held beyond the current height) and
// committing in batches. Heights are indexed in order without gaps, because rows such as a
// revocation update rows written by earlier heights: an update indexes the complete run of
// heights that follows the last indexed one, and stops at the first gap.
//
// The index is a function of the store: rebuildIndex from scratch and any sequence of
// updateIndex calls give the same rows. A store change that alters heights already indexed —
// another genesis, or heights dropped and re-fetched (store.dropRange) — triggers a rebuild.
import { StoreCorruptionError, type ReplicaStore } from '../store';
import { indexBlock } from './block-rows';
import { IndexDataError } from './errors';
import { indexGenesis, parseGenesisBytes } from './genesis-rows';
import { newIndexDatabase, type IndexDb } from './index-db';
import { decodeStoredHeight } from './payload';
import { VERIFICATION_TABLES } from './schema';
import { Sql } from './sql';

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
  return ix.exclusive(() => {
    const why = staleReason(store, ix);
    if (why) return rebuild(store, ix, opts, why.reason, why.clearVerificationFrom);
    return run(store, ix, opts, null);
  });
}

/** Discards every store-derived row and indexes the whole replica again. Verification results are kept. */
export function rebuildIndex(store: IndexSource, ix: IndexDb, opts: UpdateOptions = {}): Promise<UpdateReport> {
  return ix.exclusive(() => rebuild(store, ix, opts, 'requested', null));
}

function staleReason(store: IndexSource, ix: IndexDb): { reason: string; clearVerificationFrom: number | null } | null {
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

async function rebuild(store: IndexSource, ix: IndexDb, opts: UpdateOptions, reason: string, clearVerificationFrom: number | null): Promise<UpdateReport> {
  if (reason !== 'requested') ix.log(`custos index: ${reason}; rebuilding the index from the replica`);
  const db = await newIndexDatabase();
  // Carry the verifier's results over (they are not derived from the store).
  const from = new Sql(ix.db);
  const to = new Sql(db);
  try {
    db.exec('BEGIN');
    for (const table of VERIFICATION_TABLES) {
      const rows = from.all(`SELECT * FROM ${table}`);
      for (const r of rows) {
        if (clearVerificationFrom !== null && Number(r['height']) >= clearVerificationFrom) continue;
        const cols = Object.keys(r);
        to.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => r[c]!));
      }
    }
    db.exec('COMMIT');
  } finally {
    from.free();
    to.free();
  }
  ix.replace(db);
  return run(store, ix, opts, reason);
}

async function run(store: IndexSource, ix: IndexDb, opts: UpdateOptions, rebuilt: string | null): Promise<UpdateReport> {
  const t0 = performance.now();
  const batch = Math.max(1, opts.batchHeights ?? 200);
  const db = ix.db;
  const sql = new Sql(db);
  const report: UpdateReport = { from: 0, to: -1, heights: 0, txs: 0, ms: 0, rebuilt, stopped: null, lastHeight: ix.lastHeight() };
  const setMeta = (key: string, value: string | number) => sql.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [key, String(value)]);
  let open = false;
  const begin = () => { db.exec('BEGIN'); open = true; };
  const commit = () => { db.exec('COMMIT'); open = false; };
  try {
    // The genesis, once, on an empty index.
    if (ix.meta('genesis_sha256') === undefined) {
      begin();
      setMeta('genesis_sha256', store.genesisSha256 ?? '');
      setMeta('last_height', 0);
      const bytes = store.genesisSha256 ? await store.getGenesis() : undefined;
      if (bytes) {
        const g = parseGenesisBytes(bytes);
        setMeta('chain_id', g.chainId);
        setMeta('initial_height', g.initialHeight);
        indexGenesis(sql, g);
      }
      commit();
      ix.dirty = true;
    }
    setMeta(DROPS_KEY, JSON.stringify(store.stats().dropped));

    const last = ix.lastHeight();
    const next = last > 0 ? last + 1 : Number(ix.meta('initial_height') ?? 1);
    const range = store.heights().find((r) => r.from <= next && next <= r.to);
    report.from = next;
    report.to = next - 1;
    if (range) {
      let inBatch = 0;
      begin();
      try {
        for await (const { height, payloads } of store.iterate(next, range.to, { kinds: ['block', 'block_results'] })) {
          if (height !== report.to + 1) break; // a height vanished meanwhile: stop at the gap
          db.exec('SAVEPOINT h');
          try {
            const d = decodeStoredHeight(height, payloads.block!, payloads.block_results!);
            indexBlock(sql, d);
            setMeta('last_height', height);
            db.exec('RELEASE h');
            report.txs += d.txs.length;
          } catch (e) {
            db.exec('ROLLBACK TO h; RELEASE h');
            throw e;
          }
          report.to = height;
          report.heights++;
          if (++inBatch >= batch) {
            commit();
            begin();
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
      commit();
    }
  } catch (e) {
    if (open) db.exec('ROLLBACK');
    if (!(e instanceof IndexDataError || e instanceof StoreCorruptionError)) throw e;
    report.stopped = { height: e instanceof IndexDataError ? e.height : (e.location.height ?? 0), reason: e.message };
  } finally {
    sql.free();
  }
  if (report.heights > 0) ix.dirty = true;
  report.lastHeight = ix.lastHeight();
  if (report.stopped) ix.log(`custos index: stopped before height ${report.stopped.height}: ${report.stopped.reason}`);
  if (opts.checkpoint ?? true) await ix.writeCheckpoint();
  report.ms = performance.now() - t0;
  return report;
}
