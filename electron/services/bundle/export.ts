// exportBundle: write a store's acknowledged records, genesis, profile and sync records
// (forks.jsonl, sync-status.json) into one bundle file (format.ts), streaming; the file
// appears under its name only once complete (temp + rename).

import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GENESIS_FILE, SEGMENTS_DIR, StoreError, fsyncDir, openStore, readProfile } from '../store';
import { BUNDLE_FILES, BUNDLE_VERSION, MAX_BUNDLE_FILE, TOOL, TRAILER_SIZE, encodeBundleHeader, type BundleFileName, type BundleManifest } from './format';

const CHUNK = 1 << 20;

export interface ExportOptions {
  /** Fixed creation time (reproducible bundles); default now. */
  createdAt?: string;
  tool?: string;
}

export interface ExportResult {
  file: string;
  bytes: number;
  /** The trailer: SHA-256 of the bundle before it. */
  sha256: string;
  manifest: BundleManifest;
}

export async function exportBundle(storeDir: string, outFile: string, options: ExportOptions = {}): Promise<ExportResult> {
  const store = await openStore(storeDir, { readOnly: true });
  try {
    const genesis = await store.getGenesis();
    if (!genesis) throw new StoreError(`${storeDir} has no genesis; sync it first`);
    const profile = (await readProfile(storeDir)) ?? null;
    const chainId = profile?.chainId ?? chainIdOf(genesis);
    if (!chainId) throw new StoreError(`${storeDir}: no profile.json and no chain_id in ${GENESIS_FILE}`);
    const segments = store.segments().filter((s) => !s.missing && s.acked > 0);
    const paths = segments.map((s) => join(storeDir, SEGMENTS_DIR, s.name));

    const files = await readBundleFiles(storeDir);

    // Pass 1: the segments' hashes, which the manifest (written first) must carry.
    const hashes: string[] = [];
    for (let i = 0; i < segments.length; i++) hashes.push(await hashFile(paths[i]!, segments[i]!.acked));

    const st = store.stats();
    const manifest: BundleManifest = {
      format: 'custos-bundle',
      version: BUNDLE_VERSION,
      chainId,
      genesisSha256: store.genesisSha256!,
      genesisSize: genesis.length,
      files: files.map((f) => ({ name: f.name, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
      heights: { lowest: st.lowestHeight, highest: st.highestHeight, completeHeight: st.completeHeight, complete: store.heights() },
      segments: segments.map((s, i) => ({ name: s.name, size: s.acked, sha256: hashes[i]! })),
      counts: { records: st.records, completeHeights: st.completeHeights, byKind: st.recordsByKind },
      store: { damaged: st.damaged, dropped: st.dropped },
      profile,
      createdAt: options.createdAt ?? new Date().toISOString(),
      tool: options.tool ?? TOOL,
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');

    // Pass 2: write the bundle to a temp file, hashing everything for the trailer.
    const tmp = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const out = await open(tmp, 'wx');
    const all = createHash('sha256');
    let bytes = 0;
    const put = async (b: Uint8Array): Promise<void> => {
      all.update(b);
      await writeAll(out, b, bytes);
      bytes += b.length;
    };
    try {
      await put(encodeBundleHeader(manifestBytes.length, createHash('sha256').update(manifestBytes).digest()));
      await put(manifestBytes);
      await put(genesis);
      for (const f of files) await put(f.bytes);
      for (let i = 0; i < segments.length; i++) {
        const h = createHash('sha256');
        await streamFile(paths[i]!, segments[i]!.acked, async (chunk) => {
          h.update(chunk);
          await put(chunk);
        });
        if (h.digest('hex') !== hashes[i]) throw new StoreError(`${segments[i]!.name} changed during export`);
      }
      const trailer = all.digest();
      await writeAll(out, trailer, bytes);
      bytes += TRAILER_SIZE;
      await out.sync();
      await out.close();
      await rename(tmp, outFile);
      await fsyncDir(dirname(outFile));
      return { file: outFile, bytes, sha256: trailer.toString('hex'), manifest };
    } catch (e) {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
  } finally {
    await store.close();
  }
}

/** The replica's sync records that exist (read once: what is hashed is what is written). */
async function readBundleFiles(storeDir: string): Promise<{ name: BundleFileName; bytes: Buffer }[]> {
  const out: { name: BundleFileName; bytes: Buffer }[] = [];
  for (const name of BUNDLE_FILES) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(storeDir, name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new StoreError(`cannot read ${join(storeDir, name)}: ${(e as Error).message}`);
    }
    if (bytes.length > MAX_BUNDLE_FILE) throw new StoreError(`${join(storeDir, name)} is larger than ${MAX_BUNDLE_FILE} bytes`);
    out.push({ name, bytes });
  }
  return out;
}

function chainIdOf(genesis: Uint8Array): string | undefined {
  try {
    const g = JSON.parse(new TextDecoder().decode(genesis)) as { chain_id?: unknown; genesis?: { chain_id?: unknown } };
    const id = g.chain_id ?? g.genesis?.chain_id;
    return typeof id === 'string' && id.length > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

async function writeAll(fh: FileHandle, b: Uint8Array, pos: number): Promise<void> {
  let done = 0;
  while (done < b.length) done += (await fh.write(b, done, b.length - done, pos + done)).bytesWritten;
}

/** Call `fn` with the first `size` bytes of a file in chunks (one buffer at a time). */
async function streamFile(path: string, size: number, fn: (chunk: Buffer) => Promise<void>): Promise<void> {
  const fh = await open(path, 'r');
  try {
    for (let pos = 0; pos < size; ) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - pos));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) throw new StoreError(`${path} is shorter than its acknowledged ${size} bytes`);
      await fn(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

async function hashFile(path: string, size: number): Promise<string> {
  const h = createHash('sha256');
  await streamFile(path, size, async (c) => void h.update(c));
  return h.digest('hex');
}
