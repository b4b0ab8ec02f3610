import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c } from './crc32c';
import { KIND_LIST, openStore, readProfile, writeProfile, StoreError, StoreLockedError, StoreCorruptionError } from './index';
import { writeAllv } from './store';
import { payloadFor, recordsFor } from './test-records';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'custos-store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('crc32c', () => {
  it('matches the RFC 3720 check value and chains', () => {
    const b = new TextEncoder().encode('123456789');
    expect(crc32c(b)).toBe(0xe3069283);
    expect(crc32c(b.subarray(4), crc32c(b.subarray(0, 4)))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  });

  it('equals the bit-at-a-time definition at every length and alignment (word and byte paths)', () => {
    const bitwise = (data: Uint8Array, crc = 0): number => {
      let c = ~crc >>> 0;
      for (const x of data) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    const buf = new Uint8Array(400);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 167 + 13) & 0xff;
    for (let off = 0; off < 8; off++) {
      for (let len = 0; len <= 300; len += off === 0 ? 1 : 7) {
        const v = buf.subarray(off, off + len);
        expect(crc32c(v)).toBe(bitwise(v));
        expect(crc32c(v.subarray(len >> 1), crc32c(v.subarray(0, len >> 1)))).toBe(bitwise(v));
      }
    }
  });
});

describe('writeAllv', () => {
  it('writes every buffer in order, resuming after short writes and past the iovec limit', async () => {
    const file = new Uint8Array(5000);
    let calls = 0;
    const fh = {
      writev: async (bufs: Uint8Array[], pos: number) => {
        calls++;
        let n = 0;
        const cap = calls % 3 === 0 ? 1 : 97; // short writes, some of a single byte
        for (const b of bufs) {
          const k = Math.min(b.length, cap - n);
          file.set(b.subarray(0, k), pos + n);
          n += k;
          if (n === cap) break;
        }
        return { bytesWritten: n, buffers: bufs };
      },
    };
    const bufs = Array.from({ length: 1500 }, (_, i) => new Uint8Array(i % 5).fill(i & 0xff));
    const expected = new Uint8Array(bufs.reduce((a, b) => a + b.length, 0));
    bufs.reduce((at, b) => (expected.set(b, at), at + b.length), 0);
    await writeAllv(fh as unknown as Parameters<typeof writeAllv>[0], bufs, 3);
    expect(file.subarray(3, 3 + expected.length)).toEqual(expected);
    const stuck = { writev: async () => ({ bytesWritten: 0, buffers: [] }) };
    await expect(writeAllv(stuck as unknown as Parameters<typeof writeAllv>[0], [new Uint8Array(1)], 0)).rejects.toThrow(StoreError);
  });
});

describe('store', () => {
  it('round-trips records across segments and reopen', async () => {
    const dir = await tmp();
    const s = await openStore(dir, { segmentSize: 4096 });
    for (let h = 1; h <= 60; h++) await s.append(recordsFor(h));
    expect((await s.flush()).completeHeight).toBe(60);
    await s.close();
    expect((await readdir(join(dir, 'segments'))).length).toBeGreaterThan(3);

    const r = await openStore(dir, { segmentSize: 4096 });
    expect(r.openReport).toEqual({ truncated: [], recoveredRecords: 0, damaged: [] });
    expect(r.heights()).toEqual([{ from: 1, to: 60 }]);
    expect(r.stats()).toMatchObject({ records: 240, completeHeight: 60, lowestHeight: 1, highestHeight: 60 });
    for (let h = 1; h <= 60; h++) for (const k of KIND_LIST) expect(await r.get(k, h)).toEqual(payloadFor(k, h));
    let n = 0;
    for await (const { height, payloads } of r.iterate(10, 1000)) {
      expect(height).toBe(10 + n++);
      for (const k of KIND_LIST) expect(payloads[k]).toEqual(payloadFor(k, height));
    }
    expect(n).toBe(51);
    expect(await r.get('block', 61)).toBeUndefined();
    // resume appending after reopen
    await r.append(recordsFor(61));
    await r.close();
    expect((await openStore(dir, { readOnly: true })).stats().completeHeight).toBe(61);
  });

  it('reports incomplete heights, and a later record supersedes an earlier one', async () => {
    const dir = await tmp();
    const s = await openStore(dir);
    for (let h = 1; h <= 5; h++) await s.append(recordsFor(h).filter((r) => h !== 3 || r.kind !== 'commit'));
    expect(s.missing(1, 7)).toEqual([{ from: 3, to: 3 }, { from: 6, to: 7 }]);
    expect(s.stats().completeHeight).toBe(2);
    const other = new TextEncoder().encode('{"replaced":true}');
    await s.append([{ kind: 'block', height: 2, payload: other }, { kind: 'commit', height: 3, payload: payloadFor('commit', 3) }]);
    expect(await s.get('block', 2)).toEqual(other);
    expect(s.stats().completeHeight).toBe(5);
    await s.close();
    const r = await openStore(dir);
    expect(await r.get('block', 2)).toEqual(other);
    expect(r.heights()).toEqual([{ from: 1, to: 5 }]);
    expect([...await collect(r.iterate(1, 5, { kinds: ['commit'] }))].map((x) => Object.keys(x.payloads))).toEqual(Array(5).fill(['commit']));
    await r.close();
  });

  it('dropRange hides a range until it is appended again, across reopen', async () => {
    const dir = await tmp();
    const s = await openStore(dir, { segmentSize: 2048 });
    for (let h = 1; h <= 20; h++) await s.append(recordsFor(h));
    await s.dropRange(5, 8);
    expect(s.missing(1, 20)).toEqual([{ from: 5, to: 8 }]);
    expect(await s.get('block', 6)).toBeUndefined();
    await s.close();
    const r = await openStore(dir, { segmentSize: 2048 });
    expect(r.missing(1, 20)).toEqual([{ from: 5, to: 8 }]);
    expect(r.stats().completeHeight).toBe(4);
    for (let h = 5; h <= 8; h++) await r.append(recordsFor(h));
    expect(r.stats().completeHeight).toBe(20);
    await r.close();
    const t = await openStore(dir, { readOnly: true });
    expect(t.missing(1, 20)).toEqual([]);
    expect(await t.get('validators', 7)).toEqual(payloadFor('validators', 7));
    // dropping the lowest heights keeps them as the base of completeHeight, across reopen
    const u = await openStore(dir, { segmentSize: 2048 });
    await u.dropRange(1, 2);
    expect(u.stats()).toMatchObject({ completeHeight: 0, lowestHeight: 1 });
    await u.close();
    expect((await openStore(dir, { readOnly: true })).stats()).toMatchObject({ completeHeight: 0, lowestHeight: 1 });
  });

  it('stores genesis and profile atomically, and checks the genesis hash', async () => {
    const dir = await tmp();
    const s = await openStore(dir);
    const g = new TextEncoder().encode('{"chain_id":"consent-1"}');
    const sha = await s.putGenesis(g);
    await writeProfile(dir, { chainId: 'consent-1', endpoints: ['http://127.0.0.1:26657'], genesisSha256: sha });
    await expect(s.putGenesis(new TextEncoder().encode('{}'))).rejects.toThrow(/differs/);
    await s.close();
    expect(await readProfile(dir)).toEqual({ chainId: 'consent-1', endpoints: ['http://127.0.0.1:26657'], genesisSha256: sha });
    const r = await openStore(dir);
    expect(r.genesisSha256).toBe(sha);
    expect(await r.getGenesis()).toEqual(g);
    await writeFile(join(dir, 'genesis.json'), '{"chain_id":"consent-2"}');
    await expect(r.getGenesis()).rejects.toBeInstanceOf(StoreCorruptionError);
    await r.close();
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('has one writer; readers see acknowledged records only', async () => {
    const dir = await tmp();
    const s = await openStore(dir);
    await expect(openStore(dir)).rejects.toBeInstanceOf(StoreLockedError);
    await s.append(recordsFor(1));
    await s.flush();
    await s.append(recordsFor(2));
    const r = await openStore(dir, { readOnly: true });
    expect(r.heights()).toEqual([{ from: 1, to: 1 }]);
    await expect(r.append(recordsFor(3))).rejects.toBeInstanceOf(StoreError);
    await s.close();
    await openStore(dir).then((x) => x.close());
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toMatchObject({ completeHeight: 2, records: 8 });
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
