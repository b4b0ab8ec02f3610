// Read access to segment files: a small pool of open handles (a long replica has many
// segments; they are not all kept open) and a chunked reader that serves the many small
// header reads of a scan from one 1 MiB read.

import { open, type FileHandle } from 'node:fs/promises';

interface Entry {
  fh: Promise<FileHandle>;
  refs: number;
}

export class HandlePool {
  private readonly map = new Map<number, Entry>();

  constructor(private readonly pathOf: (segment: number) => string, private readonly max = 32) {}

  async use<T>(segment: number, fn: (fh: FileHandle) => Promise<T>): Promise<T> {
    let e = this.map.get(segment);
    if (e) this.map.delete(segment); // re-insert: most recently used last
    else e = { fh: open(this.pathOf(segment), 'r'), refs: 0 };
    this.map.set(segment, e);
    e.refs++;
    try {
      return await fn(await e.fh);
    } catch (err) {
      if (e.refs === 1) this.drop(segment, e); // a failed open is not cached
      throw err;
    } finally {
      e.refs--;
      this.evict();
    }
  }

  /** Forget a segment's handle (after it was truncated or removed). */
  forget(segment: number): void {
    const e = this.map.get(segment);
    if (e && e.refs === 0) this.drop(segment, e);
  }

  async closeAll(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    await Promise.all(all.map((e) => e.fh.then((fh) => fh.close(), () => undefined)));
  }

  private evict(): void {
    for (const [k, e] of this.map) {
      if (this.map.size <= this.max) break;
      if (e.refs === 0) this.drop(k, e);
    }
  }

  private drop(segment: number, e: Entry): void {
    if (this.map.get(segment) === e) this.map.delete(segment);
    e.fh.then((fh) => fh.close(), () => undefined).catch(() => undefined);
  }
}

/** Reads byte ranges of segments through a one-chunk cache. Returned buffers may share memory with the cache; copy to keep. */
export class ChunkReader {
  private seg = -1;
  private start = 0;
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly pool: HandlePool, private readonly chunk = 1 << 20) {}

  /** Up to `len` bytes at `pos` (fewer at the end of the file). */
  async read(segment: number, pos: number, len: number): Promise<Buffer> {
    if (segment === this.seg && pos >= this.start && pos + len <= this.start + this.buf.length) {
      return this.buf.subarray(pos - this.start, pos - this.start + len);
    }
    if (len * 2 > this.chunk) return this.pool.use(segment, (fh) => readAt(fh, pos, len));
    const buf = await this.pool.use(segment, (fh) => readAt(fh, pos, this.chunk));
    this.seg = segment;
    this.start = pos;
    this.buf = buf;
    return buf.subarray(0, Math.min(len, buf.length));
  }

  invalidate(): void {
    this.seg = -1;
    this.buf = Buffer.alloc(0);
  }
}

/** Read up to `len` bytes at `pos`; shorter only at end of file. */
export async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === len ? buf : buf.subarray(0, got);
}
