// The replica store: append-only segment files of checksummed records (record.ts), an
// in-memory index of the latest valid record per (kind, height) (height-index.ts), and
// meta.json as the acknowledgement point (meta.ts). Format and recovery rules: README.md.

import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from './atomic';
import { StoreCorruptionError, StoreError, type DamageLocation } from './errors';
import { HeightIndex, locOffset, locSegment, packLoc, type HeightRange } from './height-index';
import { KINDS, KIND_LIST, REQUIRED_KINDS, isRecordKind, kindOfCode, kindSlot, type RecordKind } from './kinds';
import { acquireLock } from './lock';
import { META_FORMAT, META_VERSION, SEGMENT_NAME, readMeta, segmentName, segmentNo, writeMeta, type DropMark, type StoreMeta } from './meta';
import { readProfile } from './profile';
import { HEADER_SIZE, MAX_PAYLOAD, checkHeader, encodeHeader, hex32, type RecordHeader } from './record';
import { crc32c } from './crc32c';
import { walk, type WalkItem } from './scan';
import { ChunkReader, HandlePool, readAt } from './segment-files';

export const GENESIS_FILE = 'genesis.json';
export const SEGMENTS_DIR = 'segments';
export const DEFAULT_SEGMENT_SIZE = 64 * 1024 * 1024;

export interface StoreRecord {
  kind: RecordKind;
  height: number;
  /** The JSON-RPC result object exactly as the node returned it, UTF-8 JSON bytes. */
  payload: Uint8Array;
}

export interface OpenOptions {
  /** Readers (the verifier, an export) see acknowledged records only, never repair, take no lock. */
  readOnly?: boolean;
  /** Roll to a new segment file past this many bytes (default 64 MiB). */
  segmentSize?: number;
}

export interface HeightRecords {
  height: number;
  /** The requested kinds' payloads (all required kinds unless `kinds` was given). */
  payloads: Partial<Record<RecordKind, Uint8Array>>;
}

export interface SegmentInfo {
  name: string;
  /** Bytes written. */
  size: number;
  /** Bytes acknowledged (durable, recorded in meta.json). */
  acked: number;
  missing?: boolean;
}

export interface OpenReport {
  /** Unacknowledged tails cut off (torn writes). */
  truncated: { file: string; offset: number; bytes: number }[];
  /** Valid unacknowledged records kept and acknowledged by this open. */
  recoveredRecords: number;
  /** Damage found by this open in acknowledged data. */
  damaged: DamageLocation[];
}

export interface StoreStats {
  dir: string;
  segments: number;
  bytes: number;
  ackedBytes: number;
  records: number;
  recordsByKind: Record<RecordKind, number>;
  lowestHeight: number;
  highestHeight: number;
  completeHeight: number;
  completeHeights: number;
  genesisSha256: string | null;
  damaged: DamageLocation[];
  dropped: DropMark[];
}

export interface ScrubProgress {
  segment: string;
  bytesDone: number;
  bytesTotal: number;
}

export interface ScrubReport {
  segments: number;
  records: number;
  bytes: number;
  /** Every damaged record found; those with `superseded` have a valid later copy. */
  damaged: DamageLocation[];
  /** Heights between the lowest and highest stored that now lack a valid record: re-fetch these. */
  missing: HeightRange[];
  ms: number;
}

interface Seg {
  no: number;
  name: string;
  size: number;
  acked: number;
  missing?: boolean;
}

const keyOf = (kind: RecordKind, height: number): string => `${kind}@${height}`;
const metaKey = (m: StoreMeta): string => JSON.stringify({ ...m, updatedAt: '' });
const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** IOV_MAX on Linux and macOS: buffers per writev call. */
const MAX_IOV = 1024;

/** Write every byte of `bufs` at `pos`, in order, with as few writev calls as the system allows. */
export async function writeAllv(fh: FileHandle, bufs: readonly Uint8Array[], pos: number): Promise<void> {
  let i = 0;
  let skip = 0; // bytes of bufs[i] already written
  while (i < bufs.length) {
    const group: Uint8Array[] = [];
    for (let j = i; j < bufs.length && group.length < MAX_IOV; j++) group.push(j === i ? bufs[j]!.subarray(skip) : bufs[j]!);
    let { bytesWritten: n } = await fh.writev(group, pos);
    if (n === 0 && group.some((g) => g.length > 0)) throw new StoreError('a segment write made no progress');
    pos += n;
    // advance past what was written (a short write resumes mid-buffer)
    while (i < bufs.length && n >= bufs[i]!.length - skip) {
      n -= bufs[i]!.length - skip;
      i++;
      skip = 0;
    }
    if (i < bufs.length) skip += n;
  }
}

export async function openStore(dir: string, options: OpenOptions = {}): Promise<ReplicaStore> {
  return ReplicaStore.open(dir, options);
}

export class ReplicaStore {
  readonly readOnly: boolean;
  private readonly segDir: string;
  private readonly segmentSize: number;
  private readonly pool: HandlePool;
  private segs: Seg[] = [];
  private writer: { no: number; fh: FileHandle } | undefined;
  private index = new HeightIndex();
  private damaged: DamageLocation[] = [];
  private damagedByKey = new Map<string, DamageLocation>();
  private dropped: DropMark[] = [];
  private genesisSha: string | null = null;
  private dirtySegments = new Set<number>();
  private newSegments = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private releaseLock: (() => Promise<void>) | undefined;
  private savedMeta = '';
  openReport: OpenReport = { truncated: [], recoveredRecords: 0, damaged: [] };

  private constructor(readonly dir: string, options: OpenOptions) {
    this.readOnly = options.readOnly ?? false;
    this.segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    if (!(this.segmentSize >= 256 && this.segmentSize <= 2 ** 31)) throw new RangeError('segmentSize must be within [256 B, 2 GiB]');
    this.segDir = join(dir, SEGMENTS_DIR);
    this.pool = new HandlePool((no) => join(this.segDir, segmentName(no)));
  }

  static async open(dir: string, options: OpenOptions): Promise<ReplicaStore> {
    const s = new ReplicaStore(dir, options);
    if (s.readOnly) {
      if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new StoreError(`no store at ${dir}`);
    } else {
      await mkdir(s.segDir, { recursive: true });
      s.releaseLock = await acquireLock(dir);
    }
    try {
      await s.load();
    } catch (e) {
      await s.pool.closeAll();
      await s.writer?.fh.close();
      await s.releaseLock?.();
      throw e;
    }
    return s;
  }

  // ---- open: index the acknowledged region, check and repair the tail ----

  private async load(): Promise<void> {
    const meta = await readMeta(this.dir);
    if (meta) this.savedMeta = metaKey(meta);
    this.genesisSha = meta?.genesisSha256 ?? null;
    this.dropped = meta?.dropped ?? [];
    for (const d of meta?.damaged ?? []) this.addDamage(d);
    const acked = new Map((meta?.segments ?? []).map((s) => [s.name, s.acked]));
    const onDisk = (await readdir(this.segDir).catch(() => [] as string[])).filter((n) => SEGMENT_NAME.test(n));
    const names = [...new Set([...acked.keys(), ...onDisk])].sort((a, b) => segmentNo(a) - segmentNo(b));
    const present = new Set(onDisk);
    const lastNo = names.length ? segmentNo(names[names.length - 1]!) : 0;
    // Payload-damaged records stay excluded so an earlier valid copy (or none) is what reads see.
    const excluded = new Set(this.damaged.filter((d) => d.part === 'payload').map((d) => `${d.file}:${d.offset}`));
    const reader = new ChunkReader(this.pool, 64 * 1024); // header walk: small reads, large payloads skipped
    let repaired = false;

    for (const name of names) {
      const no = segmentNo(name);
      const file = `${SEGMENTS_DIR}/${name}`;
      const ack = acked.get(name) ?? 0;
      if (!present.has(name)) {
        if (ack > 0) this.foundDamage({ file, offset: 0, length: ack, part: 'missing', reason: 'acknowledged segment file is missing' });
        this.segs.push({ no, name, size: 0, acked: ack, missing: true });
        continue;
      }
      let size = (await stat(join(this.segDir, name))).size;
      let cutAt = -1;
      for await (const item of walk(reader, no, 0, ack, size, { verify: false, resync: true })) {
        if (item.type === 'record') this.indexRecord(this.index, no, item.offset, item.header, excluded);
        else {
          this.foundDamage(this.damageOf(file, item));
          if (item.part === 'truncated') cutAt = item.offset;
        }
      }
      if (cutAt >= 0 && size < ack && no === lastNo && !this.readOnly) {
        // Acknowledged bytes are gone (reported above); drop the partial record left before them
        // so that records appended from here are not read as its payload.
        await this.truncateSegment(name, cutAt);
        this.openReport.truncated.push({ file, offset: cutAt, bytes: size - cutAt });
        reader.invalidate();
        this.pool.forget(no);
        size = cutAt;
      }
      if (!this.readOnly && size > ack) {
        if (no === lastNo) {
          // The tail after the acknowledged end: keep valid records, cut at the first invalid byte.
          let good = ack;
          for await (const item of walk(reader, no, ack, size, size, { verify: true, resync: false })) {
            if (item.type === 'bad') break;
            this.indexRecord(this.index, no, item.offset, item.header, excluded);
            this.openReport.recoveredRecords++;
            good = item.offset + HEADER_SIZE + item.header.length;
          }
          if (good < size) {
            await this.truncateSegment(name, good);
            this.openReport.truncated.push({ file, offset: good, bytes: size - good });
            reader.invalidate();
            this.pool.forget(no);
            size = good;
          }
        } else {
          // A sealed segment was fsynced before the next one was created: damage here is not a torn write.
          for await (const item of walk(reader, no, ack, size, size, { verify: true, resync: true })) {
            if (item.type === 'record') {
              this.indexRecord(this.index, no, item.offset, item.header, excluded);
              this.openReport.recoveredRecords++;
            } else this.foundDamage(this.damageOf(file, item));
          }
        }
        repaired = true;
      }
      this.segs.push({ no, name, size, acked: this.readOnly ? Math.min(ack, size) : ack });
    }

    // The lowest height ever stored stays the base of completeHeight, even if dropped since.
    if (meta && meta.lowestHeight > 0) this.index.noteLowest(meta.lowestHeight);
    if (this.readOnly) return;
    const last = this.segs[this.segs.length - 1];
    if (last && !last.missing) this.writer = { no: last.no, fh: await open(join(this.segDir, last.name), 'r+') };
    // Acknowledge what survived: recovered tails become durable before meta.json says so.
    if (repaired || this.openReport.damaged.length > 0 || this.segs.some((s) => !s.missing && s.acked !== s.size)) {
      for (const s of this.segs) if (!s.missing && s.acked < s.size) this.dirtySegments.add(s.no);
      await this.syncData();
      await this.saveMeta();
    }
  }

  private async truncateSegment(name: string, length: number): Promise<void> {
    const fh = await open(join(this.segDir, name), 'r+');
    try {
      await fh.truncate(length);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  private indexRecord(ix: HeightIndex, no: number, offset: number, h: RecordHeader, excluded?: Set<string>): void {
    const kind = kindOfCode(h.kindCode);
    if (!kind) return; // a kind from a newer format: kept on disk, not indexed
    if (excluded?.has(`${SEGMENTS_DIR}/${segmentName(no)}:${offset}`)) return;
    const pos = packLoc(no, offset);
    for (const d of this.dropped) {
      if (h.height >= d.from && h.height <= d.to && pos < packLoc(segmentNo(d.segment), d.offset)) return;
    }
    ix.set(kindSlot(kind), h.height, pos, h.length);
  }

  private damageOf(file: string, item: Extract<WalkItem, { type: 'bad' }>): DamageLocation {
    const kind = item.kindCode === undefined ? undefined : kindOfCode(item.kindCode);
    const d: DamageLocation = { file, offset: item.offset, length: item.length, part: item.part, reason: item.reason };
    if (kind !== undefined && item.height !== undefined) Object.assign(d, { kind, height: item.height });
    if (item.expected !== undefined) d.expected = item.expected;
    if (item.found !== undefined) d.found = item.found;
    return d;
  }

  private foundDamage(d: DamageLocation): void {
    if (this.addDamage(d)) this.openReport.damaged.push(d);
  }

  /** Remember damage (once per location); a key with damage and no valid record makes get() throw. */
  private addDamage(d: DamageLocation): boolean {
    const known = this.damaged.some((x) => x.file === d.file && x.offset === d.offset && x.part === d.part);
    if (!known) this.damaged.push(d);
    if (d.kind !== undefined && d.height !== undefined && !d.superseded) this.damagedByKey.set(keyOf(d.kind, d.height), d);
    return !known;
  }

  // ---- writing ----

  /** Append records (written, not yet durable). A later record for the same (kind, height) supersedes an earlier one. */
  append(records: readonly StoreRecord[]): Promise<void> {
    return this.exclusive(async () => {
      this.assertWritable();
      for (const r of records) {
        if (!isRecordKind(r.kind)) throw new TypeError(`unknown record kind ${String(r.kind)}`);
        if (!Number.isSafeInteger(r.height) || r.height < 0) throw new RangeError(`bad height ${r.height}`);
        if (!(r.payload instanceof Uint8Array) || r.payload.length > MAX_PAYLOAD) throw new RangeError(`bad payload for ${r.kind} @ ${r.height}`);
      }
      let parts: Uint8Array[] = [];
      let placed: { r: StoreRecord; offset: number }[] = [];
      let pending = 0;
      const writeOut = async (): Promise<void> => {
        if (pending === 0) return;
        const w = this.writer!;
        const seg = this.segs[this.segs.length - 1]!;
        try {
          // headers and payloads as they are (no copy into one buffer)
          await writeAllv(w.fh, parts, seg.size);
        } catch (e) {
          await w.fh.truncate(seg.size).catch(() => undefined);
          throw e;
        }
        seg.size += pending;
        this.dirtySegments.add(w.no);
        for (const p of placed) {
          this.index.set(kindSlot(p.r.kind), p.r.height, packLoc(w.no, p.offset), p.r.payload.length);
          this.damagedByKey.delete(keyOf(p.r.kind, p.r.height));
        }
        parts = [];
        placed = [];
        pending = 0;
      };
      for (const r of records) {
        const bytes = HEADER_SIZE + r.payload.length;
        if (!this.writer) await this.roll();
        let size = this.segs[this.segs.length - 1]!.size;
        if (size + pending > 0 && size + pending + bytes > this.segmentSize) {
          await writeOut();
          await this.roll();
          size = 0;
        }
        placed.push({ r, offset: size + pending });
        parts.push(encodeHeader(KINDS[r.kind].code, r.height, r.payload), r.payload);
        pending += bytes;
      }
      await writeOut();
    });
  }

  /** Make everything appended so far durable and acknowledge it in meta.json. */
  flush(): Promise<{ completeHeight: number; ackedBytes: number }> {
    return this.exclusive(async () => {
      this.assertWritable();
      await this.syncData();
      await this.saveMeta();
      return { completeHeight: this.index.completeHeight(), ackedBytes: this.ackedBytes() };
    });
  }

  /** Start a new segment; the current one is fsynced first, so only the last segment can have a torn tail. */
  private async roll(): Promise<void> {
    if (this.writer) {
      await this.writer.fh.sync();
      this.dirtySegments.delete(this.writer.no);
      await this.writer.fh.close();
      this.writer = undefined;
    }
    const no = (this.segs.length ? this.segs[this.segs.length - 1]!.no : 0) + 1;
    const name = segmentName(no);
    const fh = await open(join(this.segDir, name), 'wx+');
    this.segs.push({ no, name, size: 0, acked: 0 });
    this.writer = { no, fh };
    this.newSegments = true;
  }

  /** fsync written data (and new directory entries), then treat it as acknowledged. */
  private async syncData(): Promise<void> {
    for (const no of this.dirtySegments) {
      if (this.writer?.no === no) await this.writer.fh.sync();
      else await this.pool.use(no, (fh) => fh.sync());
    }
    this.dirtySegments.clear();
    if (this.newSegments) {
      await fsyncDir(this.segDir);
      this.newSegments = false;
    }
    for (const s of this.segs) if (!s.missing) s.acked = s.size;
  }

  /** Replace meta.json atomically, unless nothing in it changed. */
  private async saveMeta(): Promise<void> {
    const m = this.meta();
    const key = metaKey(m);
    if (key === this.savedMeta) return;
    await writeMeta(this.dir, m);
    this.savedMeta = key;
  }

  private meta(): StoreMeta {
    return {
      format: META_FORMAT,
      version: META_VERSION,
      segments: this.segs.map((s) => ({ name: s.name, acked: s.acked })),
      completeHeight: this.index.completeHeight(),
      lowestHeight: this.index.lowest,
      highestHeight: this.index.highest,
      records: this.index.count,
      genesisSha256: this.genesisSha,
      damaged: this.damaged,
      dropped: this.dropped,
      updatedAt: new Date().toISOString(),
    };
  }

  // ---- reading ----

  /** The latest valid payload for (kind, height); undefined when absent; StoreCorruptionError when its bytes fail their checksum. */
  async get(kind: RecordKind, height: number): Promise<Uint8Array | undefined> {
    this.assertOpen();
    const slot = kindSlot(kind);
    const loc = this.index.loc(slot, height);
    if (loc === 0) {
      const d = this.damagedByKey.get(keyOf(kind, height));
      if (d) throw new StoreCorruptionError(d);
      return undefined;
    }
    const no = locSegment(loc);
    const offset = locOffset(loc);
    const len = this.index.len(slot, height);
    const buf = await this.pool.use(no, (fh) => readAt(fh, offset, HEADER_SIZE + len));
    return this.checked(buf, no, offset, len, kind, height);
  }

  /** Complete heights in [from, to] in order, reading sequentially through a 1 MiB window. Incomplete heights are skipped (see missing()). */
  async *iterate(from: number, to: number, options: { kinds?: readonly RecordKind[] } = {}): AsyncGenerator<HeightRecords> {
    this.assertOpen();
    const kinds = options.kinds ?? REQUIRED_KINDS;
    const slots = kinds.map(kindSlot);
    const reader = new ChunkReader(this.pool);
    const hi = Math.min(to, this.index.highest);
    for (let h = Math.max(from, this.index.lowest); h <= hi; h++) {
      if (!slots.every((s) => this.index.loc(s, h) !== 0)) continue;
      const payloads: Partial<Record<RecordKind, Uint8Array>> = {};
      for (let i = 0; i < kinds.length; i++) {
        const loc = this.index.loc(slots[i]!, h);
        if (loc === 0) break; // dropped while we were yielding
        const len = this.index.len(slots[i]!, h);
        const buf = await reader.read(locSegment(loc), locOffset(loc), HEADER_SIZE + len);
        payloads[kinds[i]!] = this.checked(buf, locSegment(loc), locOffset(loc), len, kinds[i]!, h).slice(); // copy out of the read window
      }
      if (Object.keys(payloads).length === kinds.length) yield { height: h, payloads };
    }
  }

  private checked(buf: Buffer, no: number, offset: number, len: number, kind: RecordKind, height: number): Uint8Array {
    const base = { file: `${SEGMENTS_DIR}/${segmentName(no)}`, offset, length: HEADER_SIZE + len, kind, height };
    if (buf.length < HEADER_SIZE + len) {
      throw new StoreCorruptionError({ ...base, part: 'truncated', reason: 'record cut off', expected: `${HEADER_SIZE + len} bytes`, found: `${buf.length} bytes` });
    }
    const chk = checkHeader(buf);
    if (!chk.ok) throw new StoreCorruptionError({ ...base, part: 'header', reason: chk.reason, expected: chk.expected, found: chk.found });
    const h = chk.header;
    if (h.kindCode !== KINDS[kind].code || h.height !== height || h.length !== len) {
      throw new StoreCorruptionError({ ...base, part: 'header', reason: 'header does not match the index', expected: `${kind} @ ${height}, ${len} bytes`, found: `${kindOfCode(h.kindCode) ?? h.kindCode} @ ${h.height}, ${h.length} bytes` });
    }
    // A plain Uint8Array view (not a Buffer, whose slice() would not copy).
    const payload = new Uint8Array(buf.buffer, buf.byteOffset + HEADER_SIZE, len);
    const crc = crc32c(payload);
    if (crc !== h.payloadCrc) throw new StoreCorruptionError({ ...base, part: 'payload', reason: 'payload checksum mismatch', expected: hex32(h.payloadCrc), found: hex32(crc) });
    return payload;
  }

  /** Whether every required kind is stored for this height. */
  has(height: number): boolean {
    return this.index.complete(height);
  }

  /** Runs of complete heights. */
  heights(): HeightRange[] {
    return this.index.lowest === 0 && this.index.highest === 0 ? [] : this.index.ranges(this.index.lowest, this.index.highest, true);
  }

  /** Runs of heights in [from, to] that lack a kind: what the sync must (re-)fetch. */
  missing(from: number, to: number): HeightRange[] {
    return this.index.ranges(from, to, false);
  }

  segments(): SegmentInfo[] {
    return this.segs.map((s) => ({ name: s.name, size: s.size, acked: s.acked, ...(s.missing ? { missing: true } : {}) }));
  }

  stats(): StoreStats {
    const ranges = this.heights();
    return {
      dir: this.dir,
      segments: this.segs.filter((s) => !s.missing).length,
      bytes: this.segs.reduce((a, s) => a + s.size, 0),
      ackedBytes: this.ackedBytes(),
      records: this.index.count,
      recordsByKind: Object.fromEntries(KIND_LIST.map((k) => [k, this.index.countBySlot[kindSlot(k)]!])) as Record<RecordKind, number>,
      lowestHeight: this.index.lowest,
      highestHeight: this.index.highest,
      completeHeight: this.index.completeHeight(),
      completeHeights: ranges.reduce((a, r) => a + r.to - r.from + 1, 0),
      genesisSha256: this.genesisSha,
      damaged: [...this.damaged],
      dropped: [...this.dropped],
    };
  }

  private ackedBytes(): number {
    return this.segs.reduce((a, s) => a + (s.missing ? 0 : s.acked), 0);
  }

  // ---- integrity ----

  /**
   * Full checksum pass over every record. Rebuilds the index from valid records only
   * (latest valid record per (kind, height) wins), records the damage in meta.json, and
   * reports it with its location. Heights left without a valid record show up in missing().
   */
  scrub(onProgress?: (p: ScrubProgress) => void): Promise<ScrubReport> {
    return this.exclusive(async () => {
      this.assertOpen();
      const t0 = performance.now();
      const ix = new HeightIndex();
      const reader = new ChunkReader(this.pool);
      const found: DamageLocation[] = [];
      let records = 0;
      let bytes = 0;
      for (const s of this.segs) {
        if (s.missing) continue;
        const file = `${SEGMENTS_DIR}/${s.name}`;
        const end = this.readOnly ? s.acked : s.size;
        const size = (await stat(join(this.segDir, s.name))).size;
        let n = 0;
        for await (const item of walk(reader, s.no, 0, end, size, { verify: true, resync: true })) {
          if (item.type === 'record') {
            this.indexRecord(ix, s.no, item.offset, item.header);
            records++;
          } else found.push(this.damageOf(file, item));
          if (onProgress && ++n % 4096 === 0) onProgress({ segment: s.name, bytesDone: item.offset, bytesTotal: end });
        }
        bytes += end;
        onProgress?.({ segment: s.name, bytesDone: end, bytesTotal: end });
      }
      // A damaged record is superseded when a valid record for its (kind, height) comes later in
      // the log. For a damaged header the kind and height are as read, so this is a best guess.
      for (const d of found) {
        if (d.kind === undefined || d.height === undefined) continue;
        const loc = ix.loc(kindSlot(d.kind), d.height);
        if (loc > packLoc(segmentNo(d.file.slice(SEGMENTS_DIR.length + 1)), d.offset)) d.superseded = true;
      }
      const kept = this.damaged.filter((d) => d.part === 'missing');
      this.index = ix;
      this.damaged = [];
      this.damagedByKey.clear();
      for (const d of [...kept, ...found]) this.addDamage(d);
      if (!this.readOnly) await this.saveMeta();
      const missing = ix.highest > 0 ? ix.ranges(ix.lowest, ix.highest, false) : [];
      return { segments: this.segs.length, records, bytes, damaged: [...kept, ...found], missing, ms: performance.now() - t0 };
    });
  }

  /**
   * Forget every record at heights [from, to] written so far, so the sync re-fetches them
   * (missing() then lists them). Records are never rewritten: a mark in meta.json makes
   * the older records invisible, and records appended afterwards are seen again.
   */
  dropRange(from: number, to: number): Promise<void> {
    return this.exclusive(async () => {
      this.assertWritable();
      if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) throw new RangeError(`bad range ${from}..${to}`);
      const last = this.segs[this.segs.length - 1];
      if (!last) return;
      await this.syncData();
      this.dropped.push({ from, to, segment: last.name, offset: last.size });
      for (let h = Math.max(from, this.index.lowest); h <= Math.min(to, this.index.highest); h++) {
        for (const k of KIND_LIST) {
          this.index.delete(kindSlot(k), h);
          this.damagedByKey.delete(keyOf(k, h));
        }
      }
      await this.saveMeta();
    });
  }

  // ---- genesis ----

  get genesisSha256(): string | null {
    return this.genesisSha;
  }

  /** Store the genesis document once (genesis.json, its SHA-256 in meta.json); a different one is refused. */
  putGenesis(bytes: Uint8Array): Promise<string> {
    return this.exclusive(async () => {
      this.assertWritable();
      const sha = sha256Hex(bytes);
      if (this.genesisSha !== null && this.genesisSha !== sha) throw new StoreError(`genesis differs from the stored one: expected ${this.genesisSha}, found ${sha}`);
      const pinned = (await readProfile(this.dir))?.genesisSha256;
      if (pinned !== undefined && pinned !== sha) throw new StoreError(`genesis differs from the pinned one: expected ${pinned}, found ${sha}`);
      await writeFileAtomic(join(this.dir, GENESIS_FILE), bytes);
      this.genesisSha = sha;
      await this.syncData();
      await this.saveMeta();
      return sha;
    });
  }

  /** The stored genesis, checked against its SHA-256 in meta.json. */
  async getGenesis(): Promise<Uint8Array | undefined> {
    this.assertOpen();
    if (this.genesisSha === null) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.dir, GENESIS_FILE));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new StoreCorruptionError({ file: GENESIS_FILE, offset: 0, length: 0, part: 'missing', reason: 'genesis.json is missing' });
    }
    const sha = sha256Hex(bytes);
    if (sha !== this.genesisSha) {
      throw new StoreCorruptionError({ file: GENESIS_FILE, offset: 0, length: bytes.length, part: 'payload', reason: 'genesis SHA-256 mismatch', expected: this.genesisSha, found: sha });
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  // ---- lifecycle ----

  /** Flush (when writable) and release the files and the lock. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      try {
        if (!this.readOnly) {
          await this.syncData();
          await this.saveMeta();
        }
      } finally {
        this.closed = true;
        await this.writer?.fh.close();
        this.writer = undefined;
        await this.pool.closeAll();
        await this.releaseLock?.();
      }
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('store is closed');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new StoreError('store is open read-only');
  }
}
