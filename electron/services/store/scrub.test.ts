// One flipped byte anywhere in an acknowledged segment: scrub reports it with its location,
// get() refuses the damaged record, every other record still reads back, and a re-fetch supersedes it.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIND_LIST, StoreCorruptionError, openStore, type RecordKind } from './index';
import { payloadFor, recordsFor } from './test-records';

const SEG = 512;
const HEIGHTS = 4;
let dir: string;
let meta: Buffer;
const files = new Map<string, Buffer>();
/** Where each record lies: file, offset, total length. */
const layout: { file: string; offset: number; length: number; kind: RecordKind; height: number }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-scrub-'));
  const s = await openStore(dir, { segmentSize: SEG });
  for (let h = 1; h <= HEIGHTS; h++) await s.append(recordsFor(h, 40));
  await s.close();
  meta = await readFile(join(dir, 'meta.json'));
  for (const seg of s.segments()) files.set(`segments/${seg.name}`, await readFile(join(dir, 'segments', seg.name)));
  expect(files.size).toBeGreaterThan(1);
  // derive the layout from append order: records fill segments in order
  let [fi, off] = [0, 0];
  const names = [...files.keys()];
  for (let h = 1; h <= HEIGHTS; h++) {
    for (const r of recordsFor(h, 40)) {
      const length = 28 + r.payload.length;
      if (off + length > SEG && off > 0) [fi, off] = [fi + 1, 0];
      layout.push({ file: names[fi]!, offset: off, length, kind: r.kind, height: h });
      off += length;
    }
  }
  for (const [f, b] of files) expect(layout.filter((l) => l.file === f).reduce((a, l) => a + l.length, 0)).toBe(b.length);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('finds a flipped byte anywhere with its location, and get() refuses it', async () => {
  let cases = 0;
  for (const [file, pristine] of files) {
    for (let i = 0; i < pristine.length; i++) {
      const rec = layout.find((l) => l.file === file && i >= l.offset && i < l.offset + l.length)!;
      const inHeader = i - rec.offset < 28;
      // Every byte of the store's first and last record; elsewhere a stride over headers and
      // payloads (always including a payload's last byte), to keep the run short.
      const edge = rec === layout[0] || rec === layout[layout.length - 1];
      if (!edge && (i - rec.offset) % (inHeader ? 2 : 7) !== 0 && i !== rec.offset + rec.length - 1) continue;
      const bad = Buffer.from(pristine);
      bad[i]! ^= 1 << (i % 8);
      await writeFile(join(dir, file), bad);

      // read-only (no lock, no meta.json writes) except when the re-fetch is exercised
      const refetch = cases % 40 === 0;
      const s = await openStore(dir, { segmentSize: SEG, readOnly: !refetch });
      expect(s.openReport.truncated).toEqual([]); // acknowledged data is never cut
      if (!inHeader) {
        // payload damage is invisible to open; the read checks it
        const err = await s.get(rec.kind, rec.height).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreCorruptionError);
        expect((err as StoreCorruptionError).location).toMatchObject({ file, offset: rec.offset, part: 'payload', kind: rec.kind, height: rec.height });
      }
      const report = await s.scrub();
      expect(report.damaged, JSON.stringify(report.damaged)).toHaveLength(1);
      const d = report.damaged[0]!;
      expect(d).toMatchObject({ file, offset: rec.offset, length: rec.length, part: inHeader ? 'header' : 'payload' });
      if (!inHeader) expect(d).toMatchObject({ kind: rec.kind, height: rec.height });
      // the damaged record never reads as valid; its height is missing; everything else reads back
      const got = await s.get(rec.kind, rec.height).catch((e: unknown) => e);
      if (got !== undefined) expect(got).toBeInstanceOf(StoreCorruptionError);
      expect(s.missing(1, HEIGHTS)).toEqual([{ from: rec.height, to: rec.height }]);
      if (rec.height > 1 && rec.height < HEIGHTS) expect(report.missing).toEqual([{ from: rec.height, to: rec.height }]);
      for (const l of layout) {
        if (l !== rec && !Buffer.from(payloadFor(l.kind, l.height, 40)).equals((await s.get(l.kind, l.height))!)) expect.fail(`${l.kind}@${l.height} changed`);
      }
      if (refetch) {
        // a re-fetch supersedes the damage: latest valid record wins, also after reopen
        await s.append([{ kind: rec.kind, height: rec.height, payload: payloadFor(rec.kind, rec.height, 40) }]);
        await s.close();
        const r = await openStore(dir, { segmentSize: SEG });
        expect(r.missing(1, HEIGHTS)).toEqual([]);
        expect(await r.get(rec.kind, rec.height)).toEqual(payloadFor(rec.kind, rec.height, 40));
        expect((await r.scrub()).missing).toEqual([]);
        await r.close();
        for (const [f, b] of files) await writeFile(join(dir, f), b);
        await writeFile(join(dir, 'meta.json'), meta);
        await rm(join(dir, 'segments', String(files.size + 1).padStart(6, '0') + '.seg'), { force: true });
      } else await s.close();
      cases++;
    }
    await writeFile(join(dir, file), pristine);
  }
  expect(cases).toBeGreaterThan(layout.length * 16);
  expect(KIND_LIST.length * HEIGHTS).toBe(layout.length);
});
