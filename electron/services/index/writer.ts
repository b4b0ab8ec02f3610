// The writer's view of the index during an update: the core and the open shard, in one
// transaction each that begin, commit and roll back together (with a savepoint per height),
// and the rows context tx-rows.ts, block-rows.ts and genesis-rows.ts write through.
import type { Database } from 'sql.js';
import type { IndexDb } from './index-db';
import { hexKey } from './hexkey';
import { KeyClass, shardsWithValue } from './lookup';
import { PATCH_SQL, type PatchArgs, type PatchOp } from './patches';
import { summarize } from './shard-summary';
import { Sql } from './sql';

/** Where the row writers put rows. */
export interface RowsCtx {
  /** The core's tables (organisations, members, proxies, governance). */
  core: Sql;
  /** The open shard's tables (blocks, txs, patients, anchors, consents, accesses). */
  shard: Sql;
  /** The resource type of a record's version 1 (an amendment's record: PROTOCOL.md §5.7), if indexed. */
  recordType(recordId: string): string | undefined;
  /** Runs a patch on the open shard, or, when the row is not there, queues it for the sealed shards that may hold `id`. */
  update(id: string, op: PatchOp, args: PatchArgs): void;
}

export interface ShardLimits {
  txs: number;
  heights: number;
  bytes: number;
}

export class Writer implements RowsCtx {
  readonly core: Sql;
  shard!: Sql;
  private shardDb!: Database;
  private shardId = 0;
  private txs = 0;
  private heights = 0;
  private inTx = false;

  constructor(private readonly ix: IndexDb) {
    this.core = new Sql(ix.db);
  }

  /** Makes sure an open shard exists (the first one starts at `from`) and uses it. */
  useOpenShard(from: number): void {
    const s = this.ix.shards.open() ?? this.ix.shards.start(from);
    this.shardId = s.id;
    this.shardDb = this.ix.shards.openDb(s.id);
    this.shard = this.ix.shards.sql(s.id);
    this.txs = Number(this.shard.value('SELECT count(*) FROM txs'));
    this.heights = Number(this.shard.value('SELECT count(*) FROM blocks'));
  }

  begin(): void {
    this.ix.db.exec('BEGIN');
    this.shardDb.exec('BEGIN');
    this.inTx = true;
  }

  commit(): void {
    this.ix.db.exec('COMMIT');
    this.shardDb.exec('COMMIT');
    this.inTx = false;
    this.ix.shards.committed();
  }

  rollback(): void {
    if (!this.inTx) return;
    this.ix.db.exec('ROLLBACK');
    this.shardDb.exec('ROLLBACK');
    this.inTx = false;
    this.ix.shards.rolledBack();
  }

  /** Runs one height's writes; on an error, none of them stay. */
  height(txs: number, fn: () => void): void {
    this.ix.db.exec('SAVEPOINT h');
    this.shardDb.exec('SAVEPOINT h');
    try {
      fn();
      this.ix.db.exec('RELEASE h');
      this.shardDb.exec('RELEASE h');
    } catch (e) {
      this.ix.db.exec('ROLLBACK TO h; RELEASE h');
      this.shardDb.exec('ROLLBACK TO h; RELEASE h');
      this.ix.shards.rolledBack();
      throw e;
    }
    this.ix.shards.changed(this.shardId);
    this.txs += txs;
    this.heights++;
  }

  /** Whether the open shard is full (checked after each height, so a height is never split). */
  full(limits: ShardLimits): boolean {
    if (this.txs >= limits.txs || this.heights >= limits.heights) return true;
    // Pages in use: a reused shard database keeps its earlier pages on the freelist (shards.ts seal).
    const r = this.shardDb.exec('PRAGMA page_count; PRAGMA freelist_count; PRAGMA page_size');
    const n = (i: number) => Number(r[i]?.values[0]?.[0] ?? 0);
    return (n(0) - n(1)) * n(2) >= limits.bytes;
  }

  /** Seals the open shard after height `to` (outside a transaction) and opens the next. */
  async seal(to: number): Promise<void> {
    const id = this.shardId;
    await this.ix.shards.seal(id, to, () => summarize(this.shard, this.core, id));
    this.useOpenShard(to + 1);
  }

  recordType(recordId: string): string | undefined {
    const q = 'SELECT resource_type FROM anchors WHERE record_id = ? AND version = 1';
    const here = this.shard.value(q, [recordId]);
    if (typeof here === 'string') return here;
    // The core's record_types answer for sealed shards without loading one, unless two records
    // sharing the key's digits have different types: then the shards that may hold it are asked.
    const types = this.core.all('SELECT resource_type FROM record_types WHERE k = ?', [hexKey(recordId)]);
    if (types.length <= 1) return types.length ? String(types[0]!['resource_type']) : undefined;
    for (const s of shardsWithValue(this.core, KeyClass.id, recordId)) {
      const v = this.ix.shards.sql(s).value(q, [recordId]);
      if (typeof v === 'string') return v;
    }
    return undefined;
  }

  update(id: string, op: PatchOp, args: PatchArgs): void {
    this.shard.run(PATCH_SQL[op], args);
    if (this.shard.changes() > 0) return;
    for (const s of shardsWithValue(this.core, KeyClass.id, id)) this.ix.shards.patch(s, op, args);
  }

  free(): void {
    this.core.free();
  }
}
