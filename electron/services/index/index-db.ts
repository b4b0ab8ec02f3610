// The open index: the core (a sql.js database in memory, loaded from and checkpointed to
// index.sqlite) and its shards (shards.ts, files in index-shards/ next to it). It is derived
// data: a core or shard file that is missing, damaged or of another schema version is
// discarded (with one clear log line) and the index starts empty, so the next updateIndex
// rebuilds it from the replica. The verifier's results in a usable core are kept.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { lockBeside } from '../store';
import { readIndexFile, writeIndexFile } from './index-file';
import { CACHE_KIB, SCHEMA_VERSION, VERIFICATION_TABLES, configure, createCoreSchema, isShardTable, schemaVersionOf } from './schema';
import { FileShards, MemoryShards, shardDirFor, type ShardFiles } from './shard-files';
import { Shards } from './shards';
import { loadSqlJs } from './sqljs';
import { Sql, type Row } from './sql';
import type { ShardLimits } from './writer';

export const INDEX_FILE = 'index.sqlite';

/** The conventional index location inside a replica directory. */
export function indexPathFor(storeDir: string): string {
  return join(storeDir, INDEX_FILE);
}

export interface OpenIndexOptions {
  /** Where notable events go (a discarded file, a rebuild). Default: console.warn. */
  log?: (line: string) => void;
  /** The open shard is sealed after the height that brings it to this many transactions (default 10,000), */
  shardTxs?: number;
  /** or heights (default 20,000), */
  shardHeights?: number;
  /** or bytes (default 32 MiB). */
  shardBytes?: number;
  /** Bytes of sealed shards kept loaded for queries and lookups (default 64 MiB; the one in use always stays). */
  cacheBytes?: number;
  /** Patches a sealed shard collects before a checkpoint writes them into its file (default 256; patches.ts). */
  settlePatches?: number;
}

export interface OpenedFrom {
  /** 'file': loaded; 'new': no file yet; 'discarded': the file (or a shard file) was unusable and removed. */
  source: 'file' | 'new' | 'discarded';
  reason?: string;
}

export class IndexDb {
  /** Set when the core changed since it was loaded or last checkpointed. */
  dirty = false;
  /** Why a shard turned out missing or damaged after opening, if one did: the next updateIndex rebuilds. */
  damaged: string | null = null;
  readonly shards: Shards;
  readonly limits: ShardLimits;
  private session: Sql | undefined;
  private closed = false;
  /** Releases the index's lock (open), at close. */
  private unlock: (() => Promise<void>) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly SQL: SqlJsStatic,
    private database: Database,
    /** null for an in-memory index (tests, throw-away use). */
    readonly path: string | null,
    readonly opened: OpenedFrom,
    readonly log: (line: string) => void,
    files: ShardFiles,
    opts: OpenIndexOptions,
  ) {
    this.limits = { txs: opts.shardTxs ?? 10_000, heights: opts.shardHeights ?? 20_000, bytes: opts.shardBytes ?? 32 << 20 };
    this.shards = new Shards(SQL, () => this.sql(), files, { cacheBytes: opts.cacheBytes ?? 64 << 20, settlePatches: opts.settlePatches ?? 256 }, (reason) => {
      if (this.damaged !== null) return;
      this.damaged = reason;
      this.log(`custos index: ${this.path ?? 'index'}: ${reason}; the next update rebuilds the index from the replica`);
    });
  }

  /**
   * Opens the index at `path` (or starts an empty index when it is absent or unusable), for
   * this process alone until close(): a second writer would sweep the other's new shard files
   * as unnamed and overwrite its core (StoreLockedError names the holder).
   */
  static async open(path: string | null, opts: OpenIndexOptions = {}): Promise<IndexDb> {
    const unlock = path === null ? null : await lockBeside(path, 'being indexed');
    try {
      const ix = await IndexDb.load(path, opts);
      ix.unlock = unlock;
      return ix;
    } catch (e) {
      await unlock?.();
      throw e;
    }
  }

  private static async load(path: string | null, opts: OpenIndexOptions): Promise<IndexDb> {
    const SQL = await loadSqlJs();
    const log = opts.log ?? ((line: string) => console.warn(line));
    const make = (db: Database, files: ShardFiles, opened: OpenedFrom) => new IndexDb(SQL, db, path, opened, log, files, opts);
    if (path === null) return make(fresh(SQL), new MemoryShards(), { source: 'new' });
    const files = new FileShards(shardDirFor(path));
    const file = await readIndexFile(path);
    if (!file.ok && file.missing) {
      await files.sweep(new Set()); // shards of a core that is gone
      return make(fresh(SQL), files, { source: 'new' });
    }
    let db: Database | undefined;
    let reason: string;
    if (file.ok) {
      try {
        db = new SQL.Database(file.image);
        const v = schemaVersionOf(db);
        if (v === SCHEMA_VERSION) {
          configure(db, CACHE_KIB.core);
          const shards = new Sql(db).all('SELECT id, file, bytes, sha256 FROM shards WHERE file IS NOT NULL ORDER BY id');
          const bad = await firstBadShard(files, shards);
          if (bad === null) {
            await files.sweep(new Set(shards.map((s) => String(s['file']))));
            return make(db, files, { source: 'file' });
          }
          // A shard is unusable: the store-derived rows go, the verifier's results stay.
          reason = bad;
          const kept = fresh(SQL);
          copyVerification(db, kept, null);
          db.close();
          return await IndexDb.discard(make(kept, files, { source: 'discarded', reason }), false);
        }
        reason = `has schema version ${v}, this build uses ${SCHEMA_VERSION}`;
      } catch (e) {
        reason = `is not a readable database (${(e as Error).message})`;
      }
      db?.close();
    } else {
      reason = file.missing ? 'is missing' : file.reason;
    }
    return IndexDb.discard(make(fresh(SQL), files, { source: 'discarded', reason }), true);
  }

  private static async discard(ix: IndexDb, removeCore: boolean): Promise<IndexDb> {
    ix.log(`custos index: ${ix.path ?? 'index'} ${ix.opened.reason ?? ''}; discarding it and rebuilding the index from the replica`);
    if (removeCore && ix.path) await rm(ix.path, { force: true });
    await ix.shards.files.sweep(new Set());
    ix.dirty = true;
    return ix;
  }

  /** The core database. */
  get db(): Database {
    if (this.closed) throw new Error('index is closed');
    return this.database;
  }

  /** A statement cache on the core for reads and small writes (freed on replace and close). */
  sql(): Sql {
    this.session ??= new Sql(this.db);
    return this.session;
  }

  meta(key: string): string | undefined {
    const v = this.sql().value('SELECT value FROM meta WHERE key = ?', [key]);
    return typeof v === 'string' ? v : undefined;
  }

  /** The highest height indexed (0 when none). */
  lastHeight(): number {
    return Number(this.meta('last_height') ?? 0);
  }

  /**
   * Every row of one SELECT over its table, wherever the table lives: the core, or each shard
   * in height order, concatenated (no ORDER BY or LIMIT across shards). For tests and checks.
   */
  select(sql: string, params: (string | number)[] = []): Row[] {
    const table = /\bFROM\s+(\w+)/i.exec(sql)?.[1] ?? '';
    if (!isShardTable(table)) return this.sql().all(sql, params);
    return this.shards.list().flatMap((s) => this.shards.sql(s.id).all(sql, params));
  }

  /** Swaps in a new, empty core carrying the verifier's results (a rebuild); every shard is dropped. */
  async replace(clearVerificationFrom: number | null): Promise<void> {
    const db = fresh(this.SQL);
    copyVerification(this.db, db, clearVerificationFrom);
    this.shards.reset(true);
    this.session?.free();
    this.session = undefined;
    this.database.close();
    this.database = db;
    this.dirty = true;
    this.damaged = null;
    if (this.path === null) await this.shards.removeObsolete();
  }

  /**
   * Runs writers one at a time: an update awaits the store between heights, and a second update,
   * a checkpoint (export) or a verification write must not land inside its open transaction.
   */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Writes what changed to disk atomically: shard files first, then the core that names them. */
  checkpoint(force = false): Promise<boolean> {
    return this.exclusive(() => this.writeCheckpoint(force));
  }

  /** checkpoint() for a caller that already runs inside exclusive(). */
  async writeCheckpoint(force = false): Promise<boolean> {
    if (this.path === null) return false;
    if (await this.shards.flush()) this.dirty = true;
    if (!this.dirty && !force) return false;
    await writeIndexFile(this.path, this.db.export());
    this.dirty = false;
    await this.shards.removeObsolete();
    return true;
  }

  /** Checkpoints (when it has a file) and frees the databases. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      try {
        await this.writeCheckpoint();
      } finally {
        this.shards.reset(false);
        this.session?.free();
        this.session = undefined;
        this.database.close();
        this.closed = true;
        await this.unlock?.();
        this.unlock = null;
      }
    });
  }
}

function fresh(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
  configure(db, CACHE_KIB.core);
  createCoreSchema(db);
  return db;
}

/** The first shard file that is missing, damaged or not the one recorded, as a reason. */
async function firstBadShard(files: ShardFiles, shards: Row[]): Promise<string | null> {
  for (const s of shards) {
    const problem = await files.check(String(s['file']), String(s['sha256'] ?? ''), Number(s['bytes'] ?? -1));
    if (problem) return `shard file ${String(s['file'])} ${problem}`;
  }
  return null;
}

/** Carries the verifier's results over (they are not derived from the store), except from a height on. */
function copyVerification(from: Database, to: Database, clearFrom: number | null): void {
  const src = new Sql(from);
  const dst = new Sql(to);
  try {
    to.exec('BEGIN');
    for (const table of VERIFICATION_TABLES) {
      for (const r of src.all(`SELECT * FROM ${table}`)) {
        if (clearFrom !== null && Number(r['height']) >= clearFrom) continue;
        const cols = Object.keys(r);
        dst.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => r[c]!));
      }
    }
    to.exec('COMMIT');
  } finally {
    src.free();
    dst.free();
  }
}

export async function openIndex(path: string | null, opts: OpenIndexOptions = {}): Promise<IndexDb> {
  return IndexDb.open(path, opts);
}
