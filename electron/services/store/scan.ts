// Walking a segment's records. Three uses:
//  - open, acknowledged region: headers only (payloads are checked on read and by scrub),
//    resyncing past a damaged header;
//  - open, unacknowledged tail: every payload checked, stop at the first invalid byte (torn write);
//  - scrub: every payload checked, resyncing past damage, reporting each damaged record.

import { crc32c } from './crc32c';
import { HEADER_SIZE, checkHeader, hex32, peekHeader, type RecordHeader } from './record';
import type { ChunkReader } from './segment-files';

export type WalkItem =
  | { type: 'record'; offset: number; header: RecordHeader; payload?: Buffer }
  | {
      type: 'bad';
      offset: number;
      length: number;
      part: 'header' | 'payload' | 'truncated';
      reason: string;
      expected?: string;
      found?: string;
      kindCode?: number;
      height?: number;
    };

export interface WalkOptions {
  /** Read and check every payload's CRC. */
  verify: boolean;
  /** After damage, carry on with the next valid record; otherwise stop at the first invalid one. */
  resync: boolean;
}

/** Records of one segment in [start, end); `size` is the file's actual size (bytes past it are missing). */
export async function* walk(reader: ChunkReader, segment: number, start: number, end: number, size: number, opts: WalkOptions): AsyncGenerator<WalkItem> {
  const limit = Math.min(end, size);
  const cut = (offset: number, need: number): WalkItem => ({
    type: 'bad', offset, length: end - offset, part: 'truncated',
    reason: limit < end ? 'acknowledged bytes missing at end of file' : 'record cut off',
    expected: `${need} bytes`, found: `${limit - offset} bytes`,
  });
  let pos = start;
  while (pos < end) {
    if (pos + HEADER_SIZE > limit) {
      yield cut(pos, HEADER_SIZE);
      return;
    }
    const hb = await reader.read(segment, pos, HEADER_SIZE);
    const chk = checkHeader(hb);
    if (!chk.ok) {
      const peek = peekHeader(hb);
      const next = opts.resync ? await findNextHeader(reader, segment, pos + 1, limit) : limit;
      yield { type: 'bad', offset: pos, length: next - pos, part: 'header', reason: chk.reason, expected: chk.expected, found: chk.found, kindCode: peek?.kindCode, height: peek?.height };
      if (!opts.resync) return;
      pos = next;
      continue;
    }
    const h = chk.header;
    const recEnd = pos + HEADER_SIZE + h.length;
    if (recEnd > limit) {
      yield { ...cut(pos, HEADER_SIZE + h.length), kindCode: h.kindCode, height: h.height } as WalkItem;
      return;
    }
    if (opts.verify) {
      const payload = await reader.read(segment, pos + HEADER_SIZE, h.length);
      const crc = crc32c(payload);
      if (crc !== h.payloadCrc) {
        yield { type: 'bad', offset: pos, length: HEADER_SIZE + h.length, part: 'payload', reason: 'payload checksum mismatch', expected: hex32(h.payloadCrc), found: hex32(crc), kindCode: h.kindCode, height: h.height };
        if (!opts.resync) return;
      } else {
        yield { type: 'record', offset: pos, header: h, payload };
      }
    } else {
      yield { type: 'record', offset: pos, header: h };
    }
    pos = recEnd;
  }
}

/** Offset of the next valid record header in [from, limit), or limit. */
async function findNextHeader(reader: ChunkReader, segment: number, from: number, limit: number): Promise<number> {
  const window = 1 << 19;
  let pos = from;
  while (pos + HEADER_SIZE <= limit) {
    const buf = await reader.read(segment, pos, Math.min(window, limit - pos));
    let i = buf.indexOf(0xff);
    while (i >= 0) {
      const p = pos + i;
      if (p + HEADER_SIZE > limit) return limit;
      const chk = checkHeader(await reader.read(segment, p, HEADER_SIZE));
      if (chk.ok && p + HEADER_SIZE + chk.header.length <= limit) return p;
      i = buf.indexOf(0xff, i + 1);
    }
    if (buf.length < HEADER_SIZE) break;
    pos += buf.length - HEADER_SIZE + 1; // overlap so a header across the window edge is seen
  }
  return limit;
}
