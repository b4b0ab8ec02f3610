// listTxs across shards: each shard's count of matching transactions comes from the core's
// summary when the filter allows (a sealed shard wholly inside the height range, filtered by
// kind and code, or by signer alone), else from the shard itself; a shard a summary shows
// has no match is not opened. Paging then skips whole shards by their counts and reads rows
// only from the shards the page falls in.
import type { IndexDb } from './index-db';
import type { ListTxsOptions, TxSummary } from './query';
import { clamp, num, txSummary } from './row-views';
import type { ShardInfo } from './shards';

interface Where {
  sql: string;
  params: (string | number)[];
}

function where(opts: ListTxsOptions): Where {
  const w: string[] = [];
  const params: (string | number)[] = [];
  if (opts.kind !== undefined) { w.push('kind = ?'); params.push(opts.kind); }
  if (opts.signer !== undefined) { w.push('signer = ?'); params.push(opts.signer.toLowerCase()); }
  if (opts.fromHeight !== undefined) { w.push('height >= ?'); params.push(opts.fromHeight); }
  if (opts.toHeight !== undefined) { w.push('height <= ?'); params.push(opts.toHeight); }
  if (opts.code === 'ok') w.push('code = 0');
  else if (opts.code === 'failed') w.push('code <> 0');
  else if (typeof opts.code === 'number') { w.push('code = ?'); params.push(opts.code); }
  return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params };
}

/** Matching transactions in a sealed shard by its summary, or null when only the shard can tell. */
function summaryCount(ix: IndexDb, s: ShardInfo, opts: ListTxsOptions): number | null {
  const core = ix.sql();
  const inRange = (opts.fromHeight === undefined || opts.fromHeight <= s.from) && (opts.toHeight === undefined || (s.to !== null && opts.toHeight >= s.to));
  let byKind: number | null = null;
  if (opts.kind !== '') { // '' is how the summary spells an undecodable kind (NULL), which `kind = ''` never matches
    const w: string[] = ['shard = ?'];
    const p: (string | number)[] = [s.id];
    if (opts.kind !== undefined) { w.push('kind = ?'); p.push(opts.kind); }
    if (opts.code === 'ok') w.push('code = 0');
    else if (opts.code === 'failed') w.push('code <> 0');
    else if (typeof opts.code === 'number') { w.push('code = ?'); p.push(opts.code); }
    byKind = num(core.value(`SELECT sum(n) FROM shard_txs WHERE ${w.join(' AND ')}`, p));
  }
  const bySigner = opts.signer === undefined ? null : num(core.value('SELECT n FROM shard_counts WHERE what = \'signer\' AND key = ? AND shard = ?', [opts.signer.toLowerCase(), s.id]));
  if (byKind === 0 || bySigner === 0) return 0;
  if (!inRange) return null;
  if (bySigner === null) return byKind;
  return opts.kind === undefined && opts.code === undefined ? bySigner : null;
}

export function listTxs(ix: IndexDb, opts: ListTxsOptions = {}): { total: number; items: TxSummary[] } {
  const w = where(opts);
  const desc = opts.order !== 'asc';
  const limit = clamp(opts.limit ?? 50, 1, 1000);
  let skip = Math.max(0, Math.trunc(opts.offset ?? 0));
  const shards = ix.shards.list().filter((s) => (opts.toHeight === undefined || s.from <= opts.toHeight) && (opts.fromHeight === undefined || s.to === null || s.to >= opts.fromHeight));
  if (desc) shards.reverse();
  let total = 0;
  const items: TxSummary[] = [];
  for (const s of shards) {
    const n = (s.sealed ? summaryCount(ix, s, opts) : null) ?? num(ix.shards.sql(s.id).value(`SELECT count(*) FROM txs ${w.sql}`, w.params));
    total += n;
    if (items.length >= limit || n === 0) continue;
    if (skip >= n) {
      skip -= n;
      continue;
    }
    const dir = desc ? 'DESC' : 'ASC';
    const rows = ix.shards.sql(s.id).all(`SELECT id, height, idx, kind, signer, code FROM txs ${w.sql} ORDER BY height ${dir}, idx ${dir} LIMIT ? OFFSET ?`, [...w.params, limit - items.length, skip]);
    items.push(...rows.map(txSummary));
    skip = 0;
  }
  return { total, items };
}
