// importBundle: verify a bundle while streaming it into a temp directory next to outDir, then
// rename it into place. A truncated or altered bundle is refused naming the part; nothing is
// left behind in outDir.

import { createHash, randomBytes, type Hash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, rmdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GENESIS_FILE, SEGMENTS_DIR, fsyncDir, openStore, writeJsonAtomic, writeProfile, META_FILE, type StoreMeta } from '../store';
import { BundleError, type BundlePart } from './errors';
import { BUNDLE_HEADER_SIZE, TRAILER_SIZE, decodeBundleHeader, manifestProblem, type BundleManifest } from './format';

const CHUNK = 1 << 20;

export interface ImportResult {
  dir: string;
  bytes: number;
  manifest: BundleManifest;
}

export async function importBundle(file: string, outDir: string): Promise<ImportResult> {
  const existing = await readdir(outDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (existing && existing.length > 0) throw new BundleError('output', `${outDir} exists and is not empty`);
  const fh = await open(file, 'r').catch((e: Error) => {
    throw new BundleError('file', `cannot be read: ${e.message}`);
  });
  const tmp = join(dirname(outDir), `.${basename(outDir)}.import-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const size = (await fh.stat()).size;
    await mkdir(join(tmp, SEGMENTS_DIR), { recursive: true });
    const manifest = await verifyInto(fh, size, tmp);
    await finish(tmp, manifest);
    if (existing) await rmdir(outDir); // an empty directory is replaced
    await rename(tmp, outDir);
    await fsyncDir(dirname(outDir));
    return { dir: outDir, bytes: size, manifest };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    await fh.close();
  }
}

/** Read and check every part in order, writing genesis and segments into `tmp`. */
async function verifyInto(fh: FileHandle, size: number, tmp: string): Promise<BundleManifest> {
  const r = new Reader(fh);
  const truncated = (part: BundlePart, start: number, length: number, segment?: string): BundleError =>
    new BundleError(part, 'truncated', { segment, expected: `${length} bytes`, found: `${Math.max(0, size - start)} bytes` });

  // header
  if (size < BUNDLE_HEADER_SIZE) throw truncated('header', 0, BUNDLE_HEADER_SIZE);
  const header = decodeBundleHeader(await r.read(BUNDLE_HEADER_SIZE));
  if (!header.ok) throw new BundleError('header', header.reason, { expected: header.expected, found: header.found });
  const version = header.version;

  // manifest
  if (size < BUNDLE_HEADER_SIZE + header.manifestLength) throw truncated('manifest', BUNDLE_HEADER_SIZE, header.manifestLength);
  const mbytes = await r.read(header.manifestLength);
  const msha = createHash('sha256').update(mbytes).digest();
  if (!msha.equals(header.manifestSha256)) throw new BundleError('manifest', 'SHA-256 mismatch', { expected: header.manifestSha256.toString('hex'), found: msha.toString('hex') });
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(mbytes.toString('utf8')) as BundleManifest;
  } catch {
    throw new BundleError('manifest', 'not valid JSON');
  }
  const problem = manifestProblem(manifest);
  if (problem) throw new BundleError('manifest', problem);
  if (manifest.version !== version) throw new BundleError('manifest', 'version differs from the header\'s', { expected: String(version), found: String(manifest.version) });
  const files = manifest.files ?? [];

  // the file's length must be exactly what the manifest says; if short, name the part it ends in
  const parts: { part: BundlePart; length: number; segment?: string }[] = [
    { part: 'genesis', length: manifest.genesisSize },
    ...files.map((f) => ({ part: 'replica-file' as const, length: f.size, segment: f.name })),
    ...manifest.segments.map((s) => ({ part: 'segment' as const, length: s.size, segment: s.name })),
    { part: 'trailer', length: TRAILER_SIZE },
  ];
  let start = BUNDLE_HEADER_SIZE + header.manifestLength;
  for (const p of parts) {
    if (size < start + p.length) throw truncated(p.part, start, p.length, p.segment);
    start += p.length;
  }
  if (size > start) throw new BundleError('trailer', 'unexpected bytes after the trailer', { expected: `${start} bytes in all`, found: `${size} bytes` });

  // genesis and segments, each against its manifest hash
  await r.copyTo(join(tmp, GENESIS_FILE), manifest.genesisSize, manifest.genesisSha256, 'genesis');
  for (const f of files) {
    await r.copyTo(join(tmp, f.name), f.size, f.sha256, 'replica-file', f.name);
    const bad = replicaFileProblem(f.name, await readFile(join(tmp, f.name)));
    if (bad) throw new BundleError('replica-file', bad, { segment: f.name });
  }
  for (const s of manifest.segments) await r.copyTo(join(tmp, SEGMENTS_DIR, s.name), s.size, s.sha256, 'segment', s.name);

  // trailer: SHA-256 of everything before it
  const found = r.digest();
  const expected = await r.read(TRAILER_SIZE, false);
  if (!expected.equals(found)) throw new BundleError('trailer', 'SHA-256 of the bundle mismatch', { expected: expected.toString('hex'), found: found.toString('hex') });
  return manifest;
}

/**
 * The replica files are read by `custos status` and by verification (fork evidence in the
 * report): their hashes only say the bundle's maker wrote them, so their shape is checked too.
 */
function replicaFileProblem(name: string, bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'not UTF-8';
  }
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (name === 'forks.jsonl') {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    for (let i = 0; i < lines.length; i++) {
      let v: unknown;
      try {
        v = JSON.parse(lines[i]!);
      } catch {
        return `line ${i + 1} is not JSON`;
      }
      if (!isObject(v)) return `line ${i + 1} is not a JSON object`;
    }
    return undefined;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObject(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (o.endpoints !== undefined && !(Array.isArray(o.endpoints) && o.endpoints.every(isObject))) return 'endpoints is not a list of objects';
  if (o.lastFailure !== undefined && !isObject(o.lastFailure)) return 'lastFailure is not an object';
  return undefined;
}

/** meta.json and profile.json for the imported store, then a structural check of what was written. */
async function finish(tmp: string, m: BundleManifest): Promise<void> {
  await fsyncDir(join(tmp, SEGMENTS_DIR));
  const meta: StoreMeta = {
    format: 'custos-store',
    version: 1,
    segments: m.segments.map((s) => ({ name: s.name, acked: s.size })),
    completeHeight: m.heights.completeHeight,
    lowestHeight: m.heights.lowest,
    highestHeight: m.heights.highest,
    records: m.counts.records,
    genesisSha256: m.genesisSha256,
    damaged: m.store.damaged,
    dropped: m.store.dropped,
    updatedAt: m.createdAt,
  };
  await writeJsonAtomic(join(tmp, META_FILE), meta);
  await writeProfile(tmp, m.profile ?? { chainId: m.chainId, endpoints: [], genesisSha256: m.genesisSha256 });
  // The segments must hold the records the manifest counts (a header walk; the verifier checks content).
  const store = await openStore(tmp, { readOnly: true });
  try {
    const st = store.stats();
    if (st.records !== m.counts.records || st.completeHeight !== m.heights.completeHeight || st.completeHeights !== m.counts.completeHeights) {
      throw new BundleError('manifest', 'counts do not match the segments', {
        expected: `${m.counts.records} records, complete to ${m.heights.completeHeight}`,
        found: `${st.records} records, complete to ${st.completeHeight}`,
      });
    }
  } finally {
    await store.close();
  }
}

/** Sequential reads from the bundle, hashing every byte before the trailer. */
class Reader {
  private pos = 0;
  private readonly all: Hash = createHash('sha256');

  constructor(private readonly fh: FileHandle) {}

  async read(n: number, hash = true): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(buf, got, n - got, this.pos + got);
      if (bytesRead === 0) throw new BundleError('file', 'changed while being read (shorter than at start)');
      got += bytesRead;
    }
    this.pos += n;
    if (hash) this.all.update(buf);
    return buf;
  }

  /** Stream `n` bytes into a new file, checking their SHA-256. */
  async copyTo(path: string, n: number, sha256: string, part: BundlePart, segment?: string): Promise<void> {
    const out = await open(path, 'wx');
    const h = createHash('sha256');
    try {
      for (let done = 0; done < n; ) {
        const chunk = await this.read(Math.min(CHUNK, n - done));
        h.update(chunk);
        let w = 0;
        while (w < chunk.length) w += (await out.write(chunk, w, chunk.length - w, done + w)).bytesWritten;
        done += chunk.length;
      }
      await out.sync();
    } finally {
      await out.close();
    }
    const found = h.digest('hex');
    if (found !== sha256) throw new BundleError(part, 'SHA-256 mismatch', { segment, expected: sha256, found });
  }

  digest(): Buffer {
    return this.all.copy().digest();
  }
}

