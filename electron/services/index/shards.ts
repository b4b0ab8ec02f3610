// The shards of the index (README.md "Shards"): each holds the growing tables' rows of one
// range of heights. The last shard is open: the writer adds heights to it, and it stays in
// memory. A sealed shard is loaded only when a query or the writer needs it, through a small
// cache bounded in bytes (least recently used first out), and loading applies the patches
// queued for it (patches.ts). Loading is synchronous, because the query API is.
import type { Database, SqlJsStatic } from 'sql.js';
import { IndexDamagedError } from './errors';
import { PATCH_SQL, isPatchOp, type PatchArgs, type PatchOp } from './patches';
import { CACHE_KIB, SCHEMA_VERSION, SHARD_TABLES, configure, createShardSchema, schemaVersionOf } from './schema';
import type { ShardFiles } from './shard-files';
import { Sql, type Row } from './sql';

export interface ShardInfo {
  id: number;
  from: number;
  /** The last height (null while open: then the index's last height). */
  to: number | null;
  sealed: boolean;
  file: string | null;
  bytes: number | null;
  sha256: string | null;
}

interface Loaded {
  db: Database;
  sql: Sql;
  /** Image bytes (what it costs in memory, roughly); 0 for the open shard, which is not cached. */
  bytes: number;
  used: number;
  dirty: boolean;
}

function info(r: Row): ShardInfo {
  return {
    id: Number(r['id']), from: Number(r['from_height']), to: r['to_height'] === null ? null : Number(r['to_height']), sealed: r['sealed'] === 1,
    file: typeof r['file'] === 'string' ? r['file'] : null, bytes: r['bytes'] === null ? null : Number(r['bytes']), sha256: typeof r['sha256'] === 'string' ? r['sha256'] : null,
  };
}

export class Shards {
  private readonly loaded = new Map<number, Loaded>();
  private tick = 0;
  private loads = 0;
  /** Files replaced or dropped; deleted once a core that no longer names them is on disk. */
  readonly obsolete = new Set<string>();
  /** Sealed shards whose loaded copy got a patch in the writer's open transaction. */
  private readonly patched = new Set<number>();
  /** The last sealed shard's database, emptied, for the next open shard. */
  private spare: Loaded | undefined;

  constructor(
    private readonly SQL: SqlJsStatic,
    private readonly core: () => Sql,
    readonly files: ShardFiles,
    /** Bytes of sealed shards kept loaded, and patches a sealed shard collects before they are written into its file. */
    private readonly o: { cacheBytes: number; settlePatches: number },
    private readonly onDamaged: (reason: string) => void,
  ) {}

  list(): ShardInfo[] {
    return this.core().all('SELECT * FROM shards ORDER BY id').map(info);
  }

  /** The open shard, if any (there is none before the first update, or after a discard). */
  open(): ShardInfo | undefined {
    const r = this.core().get('SELECT * FROM shards WHERE sealed = 0 ORDER BY id DESC LIMIT 1');
    return r ? info(r) : undefined;
  }

  /** The shard whose range holds `height`. */
  forHeight(height: number): ShardInfo | undefined {
    const r = this.core().get('SELECT * FROM shards WHERE from_height <= ? ORDER BY id DESC LIMIT 1', [height]);
    if (!r) return undefined;
    const s = info(r);
    return s.to === null || height <= s.to ? s : undefined;
  }

  /** The shard's tables (loaded on demand; may close the least recently used sealed shards). */
  sql(id: number): Sql {
    const l = this.loaded.get(id) ?? this.load(id);
    l.used = ++this.tick;
    return l.sql;
  }

  private load(id: number): Loaded {
    const row = this.core().get('SELECT * FROM shards WHERE id = ?', [id]);
    if (!row) throw new Error(`index: no shard ${id}`);
    const s = info(row);
    let db: Database;
    if (s.file === null) {
      if (s.sealed) return this.damaged(`shard ${id} has no file`);
      db = new this.SQL.Database();
      createShardSchema(db);
    } else {
      const r = this.files.readSync(s.file, s.sha256 ?? '');
      if (!r.ok) return this.damaged(`shard file ${s.file} ${r.reason}`);
      db = new this.SQL.Database(r.image);
      const v = schemaVersionOf(db);
      if (v !== SCHEMA_VERSION) {
        db.close();
        return this.damaged(`shard file ${s.file} has schema version ${v}`);
      }
    }
    configure(db, s.sealed ? CACHE_KIB.sealed : CACHE_KIB.open);
    const l: Loaded = { db, sql: new Sql(db), bytes: s.sealed ? (s.bytes ?? 0) : 0, used: ++this.tick, dirty: false };
    for (const p of this.core().all('SELECT op, args FROM shard_patches WHERE shard = ? ORDER BY seq', [id])) {
      const op = String(p['op']);
      if (isPatchOp(op)) l.sql.run(PATCH_SQL[op], JSON.parse(String(p['args'])) as PatchArgs);
    }
    this.loaded.set(id, l);
    this.loads++;
    this.trim();
    return l;
  }

  private damaged(reason: string): never {
    this.onDamaged(reason);
    throw new IndexDamagedError(reason);
  }

  /** Closes least recently used sealed shards beyond the cache budget (never the one used last: callers use one at a time). */
  private trim(): void {
    let total = 0;
    for (const l of this.loaded.values()) total += l.bytes;
    while (total > this.o.cacheBytes) {
      let victim: [number, Loaded] | undefined;
      for (const e of this.loaded) if (e[1].bytes > 0 && e[1].used < this.tick && (!victim || e[1].used < victim[1].used)) victim = e;
      if (!victim) return;
      this.drop(victim[0]);
      total -= victim[1].bytes;
    }
  }

  private drop(id: number): void {
    const l = this.loaded.get(id);
    if (!l) return;
    l.sql.free();
    l.db.close();
    this.loaded.delete(id);
  }

  // ------------------------------------------------------------------ the writer's side

  /** Starts a new open shard at `from` (empty, in memory until the next checkpoint or its seal). */
  start(from: number): ShardInfo {
    const core = this.core();
    core.run('INSERT INTO shards (from_height, sealed) VALUES (?, 0)', [from]);
    const id = Number(core.value('SELECT last_insert_rowid()'));
    let l = this.spare;
    this.spare = undefined;
    if (!l) {
      const db = new this.SQL.Database();
      createShardSchema(db);
      configure(db, CACHE_KIB.open);
      l = { db, sql: new Sql(db), bytes: 0, used: 0, dirty: false };
    }
    l.used = ++this.tick;
    l.dirty = false; // empty: a core that names no file for it means just that
    this.loaded.set(id, l);
    return { id, from, to: null, sealed: false, file: null, bytes: null, sha256: null };
  }

  /** The open shard's database, for the writer (which opens transactions on it). */
  openDb(id: number): Database {
    this.sql(id);
    return this.loaded.get(id)!.db;
  }

  /** The writer changed the open shard: the next checkpoint writes it. */
  changed(id: number): void {
    const l = this.loaded.get(id);
    if (l) l.dirty = true;
  }

  /** Queues an update of a row in sealed shard `id` (and applies it to a loaded copy). */
  patch(id: number, op: PatchOp, args: PatchArgs): void {
    this.core().run('INSERT INTO shard_patches (shard, op, args) VALUES (?, ?, ?)', [id, op, JSON.stringify(args)]);
    const l = this.loaded.get(id);
    if (l) {
      l.sql.run(PATCH_SQL[op], args);
      this.patched.add(id);
    }
  }

  /** The writer committed: patches applied to loaded copies are now also in the core. */
  committed(): void {
    this.patched.clear();
  }

  /** The writer rolled back: loaded copies may hold patches the core no longer has. */
  rolledBack(): void {
    for (const id of this.patched) this.drop(id);
    this.patched.clear();
  }

  /** Writes a shard's image under a new file name and records it (the old file becomes obsolete); `then` runs with the record, synchronously. */
  private async write(id: number, l: Loaded, then?: (core: Sql) => void): Promise<void> {
    const image = l.db.export();
    const w = await this.files.write(id, image);
    const core = this.core();
    const old = core.value('SELECT file FROM shards WHERE id = ?', [id]);
    core.db.exec('BEGIN');
    try {
      core.run('UPDATE shards SET file = ?, bytes = ?, sha256 = ? WHERE id = ?', [w.file, w.bytes, w.sha256, id]);
      then?.(core);
      core.db.exec('COMMIT');
    } catch (e) {
      core.db.exec('ROLLBACK');
      throw e; // the new file is named by no core: removed when the index is next opened
    }
    if (typeof old === 'string') this.obsolete.add(old);
    l.dirty = false;
  }

  /**
   * Seals the open shard after height `to`: its file is written, then its summary (`summarize`)
   * and the seal are recorded in one step, so no query sees a sealed shard without its summary.
   * Its rows leave memory (the shard is loaded again when a query needs it).
   */
  async seal(id: number, to: number, summarize: () => void): Promise<void> {
    const l = this.loaded.get(id);
    if (!l) throw new Error(`index: shard ${id} is not loaded`);
    await this.write(id, l, (core) => {
      summarize();
      core.run('UPDATE shards SET sealed = 1, to_height = ? WHERE id = ?', [to, id]);
    });
    // Its database, emptied, becomes the next open shard: sql.js keeps a database in one array
    // that grows by copying, so a new one per shard would copy (and leave behind) ~8 images.
    this.loaded.delete(id);
    for (const t of SHARD_TABLES) l.db.exec(`DELETE FROM ${t}`);
    this.spare = l;
  }

  /**
   * Before a checkpoint of the core: the open shard written when it changed, and the patches
   * of a sealed shard written into its file once it has `settlePatches` of them (until then they
   * stay in the core, applied on load: rewriting a whole shard for each revoke would cost more).
   * Returns whether anything was written.
   */
  async flush(): Promise<boolean> {
    let wrote = false;
    const patched = this.core().all('SELECT shard FROM shard_patches GROUP BY shard HAVING count(*) >= ? ORDER BY shard', [this.o.settlePatches]).map((r) => Number(r['shard']));
    for (const id of patched) {
      this.sql(id);
      await this.write(id, this.loaded.get(id)!, (core) => core.run('DELETE FROM shard_patches WHERE shard = ?', [id]));
      wrote = true;
    }
    for (const [id, l] of [...this.loaded]) {
      if (!l.dirty) continue;
      await this.write(id, l);
      wrote = true;
    }
    return wrote;
  }

  /** Deletes the obsolete files (after a core that no longer names them was written). */
  async removeObsolete(): Promise<void> {
    const files = [...this.obsolete];
    this.obsolete.clear();
    await this.files.remove(files);
  }

  /** Closes every loaded shard; with `obsolete`, every file the catalogue names is to be deleted (a rebuild). */
  reset(obsolete: boolean): void {
    if (obsolete) for (const s of this.list()) if (s.file) this.obsolete.add(s.file);
    for (const id of [...this.loaded.keys()]) this.drop(id);
    this.patched.clear();
    this.spare?.sql.free();
    this.spare?.db.close();
    this.spare = undefined;
  }

  /** Loaded shards and their bytes (for tests and benchmarks). */
  stats(): { loaded: number[]; cachedBytes: number; loads: number } {
    let cachedBytes = 0;
    for (const l of this.loaded.values()) cachedBytes += l.bytes;
    return { loaded: [...this.loaded.keys()].sort((a, b) => a - b), cachedBytes, loads: this.loads };
  }
}
