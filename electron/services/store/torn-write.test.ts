// A crash mid-append leaves a torn or garbage tail after the acknowledged end; open must cut
// it off and never index any of it. Simulated byte by byte over the last record.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KIND_LIST, StoreCorruptionError, openStore } from './index';
import { payloadFor, recordsFor } from './test-records';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-torn-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const LAST = { kind: 'block' as const, height: 4, payload: payloadFor('block', 4, 200) };

/**
 * Heights 1..3 acknowledged, then LAST appended (into a new segment when `roll`); returns the
 * last segment's bytes, where LAST starts, meta.json as it was before LAST, and the segment size to open with.
 */
async function build(dir: string, roll: boolean): Promise<{ seg: string; bytes: Buffer; start: number; meta: Buffer; segmentSize: number }> {
  const s = await openStore(dir);
  for (let h = 1; h <= 3; h++) await s.append(recordsFor(h));
  await s.close();
  const acked = s.segments()[0]!.size;
  const segmentSize = roll ? acked + 28 + LAST.payload.length - 1 : 1 << 20;
  const meta = await readFile(join(dir, 'meta.json'));
  const t = await openStore(dir, { segmentSize });
  await t.append([LAST]);
  await t.close();
  const segs = t.segments();
  expect(segs).toHaveLength(roll ? 2 : 1);
  const seg = join(dir, 'segments', segs[segs.length - 1]!.name);
  const bytes = await readFile(seg);
  return { seg, bytes, start: bytes.length - 28 - LAST.payload.length, meta, segmentSize };
}

async function expectFirstThree(dir: string, segmentSize: number): Promise<void> {
  const s = await openStore(dir, { segmentSize });
  expect(s.stats().records).toBe(12);
  expect(await s.get('block', 4)).toBeUndefined();
  expect(s.heights()).toEqual([{ from: 1, to: 3 }]);
  for (let h = 1; h <= 3; h++) for (const k of KIND_LIST) expect(await s.get(k, h)).toEqual(payloadFor(k, h));
  expect((await s.scrub()).damaged).toEqual([]);
  await s.close();
}

describe.each([
  ['in the same segment', false],
  ['in a segment opened after the last acknowledgement', true],
])('torn last record %s', (_name, roll) => {
  it('is cut off at every byte offset, and the store resumes', async () => {
    const dir = join(root, `cut-${roll}`);
    const { seg, bytes, start, meta, segmentSize } = await build(dir, roll);
    for (let cut = start; cut < bytes.length; cut++) {
      await writeFile(seg, bytes.subarray(0, cut));
      await writeFile(join(dir, 'meta.json'), meta);
      const s = await openStore(dir, { segmentSize });
      expect(s.openReport.truncated).toEqual(cut > start ? [{ file: expect.stringMatching(/^segments\//), offset: start, bytes: cut - start }] : []);
      expect(s.openReport.damaged).toEqual([]);
      expect(s.stats().records).toBe(12);
      expect(await s.get('block', 4)).toBeUndefined();
      await s.close();
      expect((await stat(seg)).size).toBe(start);
      if (cut % 37 === 0 || cut === bytes.length - 1) await expectFirstThree(dir, segmentSize);
    }
    // and appending resumes where the tail was cut
    const s = await openStore(dir, { segmentSize });
    await s.append([LAST]);
    await s.close();
    expect(await readFile(seg)).toEqual(bytes);
  });

  it('cuts a complete-length tail with any flipped byte or zeroed page', async () => {
    const dir = join(root, `flip-${roll}`);
    const { seg, bytes, start, meta, segmentSize } = await build(dir, roll);
    for (let i = start; i < bytes.length; i++) {
      const bad = Buffer.from(bytes);
      if (i % 2) bad[i]! ^= 0x40;
      else bad.fill(0, i); // what a lost page looks like after power loss
      await writeFile(seg, bad);
      await writeFile(join(dir, 'meta.json'), meta);
      const s = await openStore(dir, { segmentSize });
      expect(s.openReport.truncated).toHaveLength(1);
      expect(await s.get('block', 4)).toBeUndefined();
      await s.close();
      expect((await stat(seg)).size).toBe(start);
    }
    await expectFirstThree(dir, segmentSize);
  });
});

it('reports acknowledged bytes missing from a short file as damage, and resumes cleanly', async () => {
  const dir = join(root, 'acked');
  const { seg, bytes } = await build(dir, false);
  await truncate(seg, bytes.length - 10);
  const s = await openStore(dir);
  const start = bytes.length - 28 - LAST.payload.length;
  // the partial record is removed so appends do not land inside its claimed length
  expect(s.openReport.truncated).toEqual([{ file: 'segments/000001.seg', offset: start, bytes: LAST.payload.length + 18 }]);
  expect(s.openReport.damaged).toMatchObject([{ file: 'segments/000001.seg', offset: bytes.length - 28 - LAST.payload.length, part: 'truncated', kind: 'block', height: 4 }]);
  await expect(s.get('block', 4)).rejects.toBeInstanceOf(StoreCorruptionError);
  expect(s.missing(1, 4)).toEqual([{ from: 4, to: 4 }]);
  // the re-fetch supersedes it
  await s.append([LAST, ...recordsFor(5)]);
  expect(await s.get('block', 4)).toEqual(LAST.payload);
  await s.close();
  const r = await openStore(dir);
  expect(r.openReport.damaged).toEqual([]);
  expect(r.heights()).toEqual([{ from: 1, to: 3 }, { from: 5, to: 5 }]); // 4 lacks three kinds
  expect(await r.get('block', 4)).toEqual(LAST.payload);
  expect((await r.scrub()).damaged).toEqual([]);
  await r.close();
});
