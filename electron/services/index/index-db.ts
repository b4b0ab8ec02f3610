// The open index: a sql.js database in memory, loaded from and checkpointed to one file.
// It is derived data: a file that is missing, damaged or of another schema version is
// discarded (with one clear log line) and the index starts empty, so the next updateIndex
// rebuilds it from the replica.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { readIndexFile, writeIndexFile } from './index-file';
import { SCHEMA_VERSION, configure, createSchema, schemaVersionOf } from './schema';
import { loadSqlJs } from './sqljs';
import { Sql } from './sql';

export const INDEX_FILE = 'index.sqlite';

/** The conventional index location inside a replica directory. */
export function indexPathFor(storeDir: string): string {
  return join(storeDir, INDEX_FILE);
}

export interface OpenIndexOptions {
  /** Where notable events go (a discarded file, a rebuild). Default: console.warn. */
  log?: (line: string) => void;
}

export interface OpenedFrom {
  /** 'file': loaded; 'new': no file yet; 'discarded': the file was unusable and removed. */
  source: 'file' | 'new' | 'discarded';
  reason?: string;
}

export class IndexDb {
  /** Set when the database changed since it was loaded or last checkpointed. */
  dirty = false;
  private session: Sql | undefined;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private database: Database,
    /** null for an in-memory index (tests, throw-away use). */
    readonly path: string | null,
    readonly opened: OpenedFrom,
    readonly log: (line: string) => void,
  ) {}

  /** Opens the index file at `path` (or starts an empty index when it is absent or unusable). */
  static async open(path: string | null, opts: OpenIndexOptions = {}): Promise<IndexDb> {
    const SQL = await loadSqlJs();
    const log = opts.log ?? ((line: string) => console.warn(line));
    if (path === null) return new IndexDb(fresh(new SQL.Database()), null, { source: 'new' }, log);
    const file = await readIndexFile(path);
    if (file.ok) {
      let db: Database | undefined;
      let reason: string;
      try {
        db = new SQL.Database(file.image);
        const v = schemaVersionOf(db);
        if (v === SCHEMA_VERSION) {
          configure(db);
          db.exec('SELECT count(*) FROM meta'); // readable at all
          return new IndexDb(db, path, { source: 'file' }, log);
        }
        reason = `has schema version ${v}, this build uses ${SCHEMA_VERSION}`;
      } catch (e) {
        reason = `is not a readable database (${(e as Error).message})`;
      }
      db?.close();
      return IndexDb.discard(SQL.Database, path, reason, log);
    }
    if (file.missing) return new IndexDb(fresh(new SQL.Database()), path, { source: 'new' }, log);
    return IndexDb.discard(SQL.Database, path, file.reason, log);
  }

  private static async discard(Db: new () => Database, path: string, reason: string, log: (line: string) => void): Promise<IndexDb> {
    log(`custos index: ${path} ${reason}; discarding it and rebuilding the index from the replica`);
    await rm(path, { force: true });
    const ix = new IndexDb(fresh(new Db()), path, { source: 'discarded', reason }, log);
    ix.dirty = true;
    return ix;
  }

  get db(): Database {
    if (this.closed) throw new Error('index is closed');
    return this.database;
  }

  /** A statement cache for reads and small writes (freed on checkpoint, replace and close). */
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

  /** Swaps in another database (a rebuild); the old one is closed. */
  replace(db: Database): void {
    this.session?.free();
    this.session = undefined;
    this.database.close();
    this.database = db;
    this.dirty = true;
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

  /** Writes the database to its file atomically when it changed (or when forced). */
  checkpoint(force = false): Promise<boolean> {
    return this.exclusive(() => this.writeCheckpoint(force));
  }

  /** checkpoint() for a caller that already runs inside exclusive(). */
  async writeCheckpoint(force = false): Promise<boolean> {
    if (this.path === null || (!this.dirty && !force)) return false;
    const image = this.db.export();
    // Older sql.js releases closed prepared statements on export(); never reuse them across it.
    this.session?.free();
    this.session = undefined;
    await writeIndexFile(this.path, image);
    this.dirty = false;
    return true;
  }

  /** Checkpoints (when it has a file) and frees the database. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      try {
        await this.writeCheckpoint();
      } finally {
        this.session?.free();
        this.session = undefined;
        this.database.close();
        this.closed = true;
      }
    });
  }
}

function fresh(db: Database): Database {
  configure(db);
  createSchema(db);
  return db;
}

/** A new, empty database of the current schema (for a rebuild). */
export async function newIndexDatabase(): Promise<Database> {
  const SQL = await loadSqlJs();
  return fresh(new SQL.Database());
}

export async function openIndex(path: string | null, opts: OpenIndexOptions = {}): Promise<IndexDb> {
  return IndexDb.open(path, opts);
}
