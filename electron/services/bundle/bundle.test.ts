import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIND_LIST, openStore, readProfile, writeProfile } from '../store';
import { payloadFor, recordsFor } from '../store/test-records';
import { createHash } from 'node:crypto';
import { FORKS_FILE, SYNC_STATUS_FILE } from '../sync';
import { BUNDLE_HEADER_SIZE, BundleError, TRAILER_SIZE, exportBundle, importBundle, type BundleManifest, type BundlePart } from './index';
import { BUNDLE_FILES, encodeBundleHeader } from './format';

let root: string;
let src: string;
let bundle: Buffer;
let parts: { part: BundlePart; start: number; end: number }[];
const GENESIS = new TextEncoder().encode('{"chain_id":"consent-devnet-1","initial_height":"1"}');
const CREATED = '2025-01-01T00:00:00.000Z';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-bundle-'));
  src = join(root, 'src');
  const s = await openStore(src, { segmentSize: 8192 });
  const sha = await s.putGenesis(GENESIS);
  await writeProfile(src, { chainId: 'consent-devnet-1', endpoints: ['http://127.0.0.1:26657', 'http://127.0.0.1:26757'], genesisSha256: sha });
  for (let h = 1; h <= 80; h++) await s.append(recordsFor(h, 300));
  await s.dropRange(40, 41);
  await s.append(recordsFor(40, 300)); // 41 stays missing
  await s.flush();
  await s.append(recordsFor(81, 300)); // unacknowledged while exporting: not exported
  const file = join(root, 'replica.custos');
  const res = await exportBundle(src, file, { createdAt: CREATED });
  await s.close();
  bundle = await readFile(file);
  expect(res.bytes).toBe(bundle.length);
  const m = res.manifest;
  expect(m.segments.length).toBeGreaterThan(2);
  const mlen = bundle.readUInt32LE(12);
  let at = BUNDLE_HEADER_SIZE + mlen;
  parts = [{ part: 'header', start: 0, end: BUNDLE_HEADER_SIZE }, { part: 'manifest', start: BUNDLE_HEADER_SIZE, end: at }, { part: 'genesis', start: at, end: (at += m.genesisSize) }];
  for (const s of m.segments) parts.push({ part: 'segment', start: at, end: (at += s.size) });
  parts.push({ part: 'trailer', start: at, end: at + TRAILER_SIZE });
  expect(at + TRAILER_SIZE).toBe(bundle.length);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function refused(bytes: Uint8Array, name: string): Promise<BundleError> {
  const file = join(root, `${name}.custos`);
  const out = join(root, `out-${name}`);
  await writeFile(file, bytes);
  const err = await importBundle(file, out).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BundleError);
  // nothing half-written: neither the target nor a temp directory remains
  await expect(stat(out)).rejects.toThrow();
  expect((await readdir(root)).filter((n) => n.startsWith(`.out-${name}`))).toEqual([]);
  return err as BundleError;
}

describe('bundle', () => {
  it('round-trips: the imported store holds the same records, genesis and profile', async () => {
    const out = join(root, 'imported');
    const res = await importBundle(join(root, 'replica.custos'), out);
    expect(res.manifest.chainId).toBe('consent-devnet-1');
    const [a, b] = [await openStore(src, { readOnly: true }), await openStore(out)];
    expect(b.stats()).toMatchObject({ records: 316, completeHeight: 40, genesisSha256: a.genesisSha256, dropped: a.stats().dropped });
    expect(b.heights()).toEqual([{ from: 1, to: 40 }, { from: 42, to: 80 }]);
    expect(a.heights()).toEqual([{ from: 1, to: 40 }, { from: 42, to: 81 }]);
    expect(await b.get('block', 81)).toBeUndefined();
    for (let h = 1; h <= 80; h++) for (const k of KIND_LIST) expect(await b.get(k, h)).toEqual(h === 41 ? undefined : payloadFor(k, h, 300));
    expect(await b.getGenesis()).toEqual(GENESIS);
    expect((await b.scrub()).damaged).toEqual([]);
    await b.close();
    expect(await readProfile(out)).toEqual(await readProfile(src));
    // the imported store exports to the same bytes
    await exportBundle(out, join(root, 'again.custos'), { createdAt: CREATED });
    expect((await readFile(join(root, 'again.custos'))).equals(bundle)).toBe(true);
  });

  it('refuses a truncated bundle, naming the part it ends in', async () => {
    for (const p of parts) {
      for (const cut of new Set([p.start, p.start + 1, (p.start + p.end) >> 1, p.end - 1])) {
        const err = await refused(bundle.subarray(0, cut), `cut-${cut}`);
        expect(err.part, `cut at ${cut}`).toBe(p.part);
        expect(err.reason).toBe('truncated');
        expect(err.detail.expected).toBe(`${p.end - p.start} bytes`);
        expect(err.detail.found).toBe(`${cut - p.start} bytes`);
      }
    }
    expect((await refused(Buffer.concat([bundle, Buffer.from([0])]), 'longer')).part).toBe('trailer');
  });

  it('refuses one altered byte, naming the part that holds it', async () => {
    for (const p of parts) {
      for (const i of new Set([p.start, p.start + 9, p.start + 13, (p.start + p.end) >> 1, p.end - 1])) {
        if (i >= p.end) continue;
        const bad = Buffer.from(bundle);
        bad[i]! ^= 0x20;
        const err = await refused(bad, `flip-${i}`);
        expect(err.part, `byte ${i}: ${err.message}`).toBe(p.part);
        if (p.part !== 'header') expect(err.detail.expected).not.toBe(err.detail.found);
      }
    }
  });

  it('names the segment and shows expected and found hashes', async () => {
    const seg = parts.filter((p) => p.part === 'segment')[1]!;
    const bad = Buffer.from(bundle);
    bad[seg.start + 100]! ^= 1;
    const err = await refused(bad, 'seg');
    expect(err.detail.segment).toBe('000002.seg');
    expect(err.message).toMatch(/segment 000002\.seg: SHA-256 mismatch \(expected [0-9a-f]{64}, found [0-9a-f]{64}\)/);
  });

  it('refuses a non-empty target, and fills an empty one', async () => {
    const full = join(root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'x'), 'x');
    await expect(importBundle(join(root, 'replica.custos'), full)).rejects.toMatchObject({ part: 'output' });
    expect(await readdir(full)).toEqual(['x']);
    const empty = join(root, 'empty');
    await mkdir(empty);
    await importBundle(join(root, 'replica.custos'), empty);
    expect((await readdir(empty)).sort()).toEqual(['genesis.json', 'meta.json', 'profile.json', 'segments']);
  });

  describe('the replica files: fork evidence and the last sync status', () => {
    const FORKS = '{"height":6,"resolution":"unresolved","sides":[{"blockId":"AA","certified":true},{"blockId":"BB","certified":true}]}\n{"height":9,"resolution":"preferred","sides":[]}\n';
    const STATUS = JSON.stringify({ updatedAt: CREATED, stopped: 'done', completeHeight: 40, endpoints: [{ endpoint: 'http://127.0.0.1:26657', state: 'set-aside', latencyMs: null }] });
    let withFiles: Buffer;
    let layout: { part: BundlePart; start: number; end: number; name?: string }[];
    const names = (n: string) => n.replace(/[^a-z0-9]/gi, '-');

    beforeAll(async () => {
      expect(BUNDLE_FILES).toEqual([FORKS_FILE, SYNC_STATUS_FILE]);
      const dir = join(root, 'with-files');
      const s = await openStore(dir, { segmentSize: 8192 });
      const sha = await s.putGenesis(GENESIS);
      await writeProfile(dir, { chainId: 'consent-devnet-1', endpoints: [], genesisSha256: sha });
      for (let h = 1; h <= 20; h++) await s.append(recordsFor(h, 300));
      await s.flush();
      await s.close();
      await writeFile(join(dir, FORKS_FILE), FORKS);
      await writeFile(join(dir, SYNC_STATUS_FILE), STATUS);
      const res = await exportBundle(dir, join(root, 'with-files.custos'), { createdAt: CREATED });
      withFiles = await readFile(join(root, 'with-files.custos'));
      const m = res.manifest;
      expect(m.version).toBe(2);
      expect(m.files!.map((f) => f.name)).toEqual([FORKS_FILE, SYNC_STATUS_FILE]);
      let at = BUNDLE_HEADER_SIZE + withFiles.readUInt32LE(12) + m.genesisSize;
      layout = m.files!.map((f) => ({ part: 'replica-file' as const, name: f.name, start: at, end: (at += f.size) }));
      layout.push({ part: 'segment', start: at, end: at + m.segments[0]!.size });
    });

    it('carries forks.jsonl and sync-status.json byte for byte', async () => {
      const out = join(root, 'imported-with-files');
      await importBundle(join(root, 'with-files.custos'), out);
      expect(await readFile(join(out, FORKS_FILE), 'utf8')).toBe(FORKS);
      expect(await readFile(join(out, SYNC_STATUS_FILE), 'utf8')).toBe(STATUS);
      expect((await readdir(out)).sort()).toEqual([FORKS_FILE, 'genesis.json', 'meta.json', 'profile.json', 'segments', SYNC_STATUS_FILE].sort());
      // and exports again to the same bytes
      await exportBundle(out, join(root, 'with-files-again.custos'), { createdAt: CREATED });
      expect((await readFile(join(root, 'with-files-again.custos'))).equals(withFiles)).toBe(true);
    });

    it('refuses an altered or truncated replica file, naming it', async () => {
      for (const p of layout.filter((x) => x.part === 'replica-file')) {
        const bad = Buffer.from(withFiles);
        bad[(p.start + p.end) >> 1]! ^= 0x01;
        const err = await refused(bad, `flip-${names(p.name!)}`);
        expect(err).toMatchObject({ part: 'replica-file', reason: 'SHA-256 mismatch', detail: { segment: p.name } });
        expect(err.message).toContain(`replica-file ${p.name}: SHA-256 mismatch`);
        const cut = await refused(withFiles.subarray(0, p.start + 3), `cut-${names(p.name!)}`);
        expect(cut).toMatchObject({ part: 'replica-file', reason: 'truncated', detail: { segment: p.name } });
      }
    });

    /** The bundle rebuilt around another manifest (and files part), with a valid header and trailer. */
    function rebuild(edit: (m: BundleManifest) => void, files?: Buffer[], version?: number): Buffer {
      const mlen = withFiles.readUInt32LE(12);
      const m = JSON.parse(withFiles.subarray(BUNDLE_HEADER_SIZE, BUNDLE_HEADER_SIZE + mlen).toString('utf8')) as BundleManifest;
      const genesisEnd = BUNDLE_HEADER_SIZE + mlen + m.genesisSize;
      const genesis = withFiles.subarray(BUNDLE_HEADER_SIZE + mlen, genesisEnd);
      const filesEnd = genesisEnd + m.files!.reduce((a, f) => a + f.size, 0);
      const segments = withFiles.subarray(filesEnd, withFiles.length - TRAILER_SIZE);
      edit(m);
      const mb = Buffer.from(JSON.stringify(m));
      const body = Buffer.concat([encodeBundleHeader(mb.length, createHash('sha256').update(mb).digest(), version ?? m.version), mb, genesis, ...(files ?? [withFiles.subarray(genesisEnd, filesEnd)]), segments]);
      return Buffer.concat([body, createHash('sha256').update(body).digest()]);
    }

    it('still reads version 1 bundles (no files part)', async () => {
      const v1 = rebuild((m) => {
        m.version = 1;
        delete m.files;
      }, []);
      const file = join(root, 'v1.custos');
      await writeFile(file, v1);
      const out = join(root, 'imported-v1');
      await importBundle(file, out);
      expect((await readdir(out)).sort()).toEqual(['genesis.json', 'meta.json', 'profile.json', 'segments']);
      const st = await openStore(out, { readOnly: true });
      expect(st.stats()).toMatchObject({ completeHeight: 20, records: 80 });
      await st.close();
    });

    it('refuses file names it does not know, files in a version 1 bundle, and files that are not what they claim to be', async () => {
      const evil = rebuild((m) => {
        m.files![0]!.name = '../../evil' as never;
      });
      expect(await refused(evil, 'evil-name')).toMatchObject({ part: 'manifest', reason: 'bad file entry' });
      const v1WithFiles = rebuild((m) => void (m.version = 1));
      expect(await refused(v1WithFiles, 'v1-files')).toMatchObject({ part: 'manifest', reason: 'a version 1 manifest has no files' });
      const mismatch = rebuild(() => undefined, undefined, 1);
      expect(await refused(mismatch, 'version-mismatch')).toMatchObject({ part: 'manifest' });
      const notJson = Buffer.from('not json at all');
      const forged = rebuild((m) => {
        m.files = [{ name: 'sync-status.json', size: notJson.length, sha256: createHash('sha256').update(notJson).digest('hex') }];
      }, [notJson]);
      expect(await refused(forged, 'not-json')).toMatchObject({ part: 'replica-file', reason: 'not JSON', detail: { segment: 'sync-status.json' } });
      const badLine = Buffer.from('{"height":1}\n[1,2]\n');
      const forgedForks = rebuild((m) => {
        m.files = [{ name: 'forks.jsonl', size: badLine.length, sha256: createHash('sha256').update(badLine).digest('hex') }];
      }, [badLine]);
      expect(await refused(forgedForks, 'bad-forks')).toMatchObject({ part: 'replica-file', reason: 'line 2 is not a JSON object' });
    });
  });
});
