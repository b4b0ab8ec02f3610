// Helpers the queries share for reading across shards.
import type { IndexDb } from './index-db';
import { shardsWithPrefix, shardsWithValue, type KeyClass } from './lookup';
import type { Row } from './sql';

/** Sealed shards that may hold `value` (a hex id or key) as `cls`, then the open shard: ascending. */
export function shardsFor(ix: IndexDb, cls: KeyClass, value: string): number[] {
  return withOpen(ix, shardsWithValue(ix.sql(), cls, value));
}

/** Sealed shards that may hold a value starting with the hex `prefix` as `cls`, then the open shard. */
export function shardsForPrefix(ix: IndexDb, cls: KeyClass, prefix: string): number[] {
  return withOpen(ix, shardsWithPrefix(ix.sql(), cls, prefix));
}

function withOpen(ix: IndexDb, sealed: number[]): number[] {
  const open = ix.shards.open();
  return open && !sealed.includes(open.id) ? [...sealed, open.id] : sealed;
}

/** The rows of one query run on each shard in `ids`, concatenated in that order. */
export function rowsIn(ix: IndexDb, ids: number[], sql: string, params: (string | number)[]): Row[] {
  return ids.flatMap((id) => ix.shards.sql(id).all(sql, params));
}

/** Rows of several shards, each sorted by `keys`, merged and cut to `limit` (an index order across shards). */
export function mergedBy(rows: Row[], keys: string[], limit: number): Row[] {
  const cmp = (a: Row, b: Row): number => {
    for (const k of keys) {
      const x = a[k]!, y = b[k]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  return rows.sort(cmp).slice(0, limit);
}
