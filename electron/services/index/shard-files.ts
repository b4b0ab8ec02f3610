// Where shard images live: files in the shard folder next to the core (index-file.ts form,
// one new name per write, so the core on disk always names files that are complete), or a
// map in memory for an index without a file (tests, benchmarks).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkIndexFile, readIndexFileSync, writeIndexFile } from './index-file';

export interface WrittenShard {
  file: string;
  sha256: string;
  bytes: number;
}

export type ShardImage = { ok: true; image: Uint8Array } | { ok: false; reason: string };

export interface ShardFiles {
  /** Where the files are (null: in memory). */
  readonly dir: string | null;
  write(id: number, image: Uint8Array): Promise<WrittenShard>;
  /** The image of `file`, which must have the SHA-256 the catalogue recorded (valid until the next read). */
  readSync(file: string, sha256: string): ShardImage;
  /** Whether `file` is whole and is the one the catalogue recorded (reads it through once). */
  check(file: string, sha256: string, bytes: number): Promise<string | null>;
  remove(files: Iterable<string>): Promise<void>;
  /** Deletes every file not in `keep` (left behind by a crash, a rebuild or a discarded core). */
  sweep(keep: ReadonlySet<string>): Promise<void>;
}

/** The shard folder of a core file: DIR/index.sqlite → DIR/index-shards. */
export function shardDirFor(corePath: string): string {
  return join(dirname(corePath), `${basename(corePath).replace(/\.sqlite$/, '')}-shards`);
}

const name = (id: number): string => `${String(id).padStart(6, '0')}-${randomBytes(4).toString('hex')}.shard`;

export class FileShards implements ShardFiles {
  /** Where shard files are read (sql.js copies the image it is given). */
  private readonly scratch = { buf: Buffer.alloc(0) };

  constructor(readonly dir: string) {}

  async write(id: number, image: Uint8Array): Promise<WrittenShard> {
    await mkdir(this.dir, { recursive: true });
    const file = name(id);
    const w = await writeIndexFile(join(this.dir, file), image);
    return { file, ...w };
  }

  readSync(file: string, sha256: string): ShardImage {
    const r = readIndexFileSync(join(this.dir, file), this.scratch);
    if (!r.ok) return { ok: false, reason: r.missing ? 'is missing' : r.reason };
    if (r.sha256 !== sha256) return { ok: false, reason: `is not the file the index recorded (SHA-256 ${r.sha256}, expected ${sha256})` };
    return { ok: true, image: r.image };
  }

  async check(file: string, sha256: string, bytes: number): Promise<string | null> {
    const r = await checkIndexFile(join(this.dir, file));
    if (!r.ok) return r.reason;
    if (r.bytes !== bytes || r.sha256 !== sha256) return `is not the file the index recorded (SHA-256 ${r.sha256}, expected ${sha256})`;
    return null;
  }

  async remove(files: Iterable<string>): Promise<void> {
    for (const f of files) await rm(join(this.dir, f), { force: true });
  }

  async sweep(keep: ReadonlySet<string>): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    await this.remove(names.filter((n) => !keep.has(n)));
  }
}

export class MemoryShards implements ShardFiles {
  readonly dir = null;
  private readonly images = new Map<string, Uint8Array>();

  write(id: number, image: Uint8Array): Promise<WrittenShard> {
    const file = name(id);
    this.images.set(file, image);
    return Promise.resolve({ file, sha256: '', bytes: image.length });
  }

  readSync(file: string): ShardImage {
    const image = this.images.get(file);
    return image ? { ok: true, image } : { ok: false, reason: 'is missing' };
  }

  check(file: string): Promise<string | null> {
    return Promise.resolve(this.images.has(file) ? null : 'is missing');
  }

  remove(files: Iterable<string>): Promise<void> {
    for (const f of files) this.images.delete(f);
    return Promise.resolve();
  }

  sweep(keep: ReadonlySet<string>): Promise<void> {
    return this.remove([...this.images.keys()].filter((n) => !keep.has(n)));
  }
}
