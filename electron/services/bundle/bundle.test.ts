import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIND_LIST, openStore, readProfile, writeProfile } from '../store';
import { payloadFor, recordsFor } from '../store/test-records';
import { BUNDLE_HEADER_SIZE, BundleError, TRAILER_SIZE, exportBundle, importBundle, type BundlePart } from './index';

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
});
