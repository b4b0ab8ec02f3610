// Segment record framing. A record is a 28-byte header followed by the payload:
//
//   off size field
//    0   4   magic 0xFF 'C' 'S' 'R' (0xFF never occurs in UTF-8, so never inside a JSON payload)
//    4   1   format version (1)
//    5   1   kind code (kinds.ts)
//    6   2   flags (0; reserved)
//    8   8   height, u64 little-endian
//   16   4   payload length, u32 little-endian
//   20   4   CRC-32C of the payload
//   24   4   CRC-32C of header bytes 0..24 (so it covers the payload CRC too)
//
// The header CRC makes the length trustworthy on its own: a damaged payload does not hide
// the records after it, and a damaged header is found and skipped by searching for the
// next valid header.

import { crc32c } from './crc32c';

export const HEADER_SIZE = 28;
export const RECORD_VERSION = 1;
export const MAGIC = Uint8Array.of(0xff, 0x43, 0x53, 0x52);
/** Payloads above this are refused (a CometBFT block is at most 100 MiB by consensus params). */
export const MAX_PAYLOAD = 256 * 1024 * 1024;

export interface RecordHeader {
  kindCode: number;
  height: number;
  length: number;
  payloadCrc: number;
}

export function encodeHeader(kindCode: number, height: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  h.set(MAGIC, 0);
  h[4] = RECORD_VERSION;
  h[5] = kindCode;
  h.writeUInt16LE(0, 6);
  h.writeBigUInt64LE(BigInt(height), 8);
  h.writeUInt32LE(payload.length, 16);
  h.writeUInt32LE(crc32c(payload), 20);
  h.writeUInt32LE(crc32c(h.subarray(0, 24)), 24);
  return h;
}

/** Why a header at some offset is not a valid header, or the parsed header. */
export type HeaderCheck = { ok: true; header: RecordHeader } | { ok: false; reason: string; expected?: string; found?: string };

export function checkHeader(b: Uint8Array): HeaderCheck {
  if (b.length < HEADER_SIZE) return { ok: false, reason: 'short header', expected: `${HEADER_SIZE} bytes`, found: `${b.length} bytes` };
  if (b[0] !== MAGIC[0] || b[1] !== MAGIC[1] || b[2] !== MAGIC[2] || b[3] !== MAGIC[3]) {
    return { ok: false, reason: 'bad magic', expected: hex(MAGIC), found: hex(b.subarray(0, 4)) };
  }
  const view = Buffer.from(b.buffer, b.byteOffset, HEADER_SIZE);
  const stored = view.readUInt32LE(24);
  const actual = crc32c(view.subarray(0, 24));
  if (stored !== actual) return { ok: false, reason: 'header checksum mismatch', expected: hex32(stored), found: hex32(actual) };
  if (view[4] !== RECORD_VERSION) return { ok: false, reason: 'unsupported record version', expected: String(RECORD_VERSION), found: String(view[4]) };
  const height = view.readBigUInt64LE(8);
  if (height > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'height out of range', found: height.toString() };
  const length = view.readUInt32LE(16);
  if (length > MAX_PAYLOAD) return { ok: false, reason: 'payload length out of range', found: String(length) };
  return { ok: true, header: { kindCode: view[5]!, height: Number(height), length, payloadCrc: view.readUInt32LE(20) } };
}

/** Height and kind code as read from a header that failed its checks (unverified; for reports). */
export function peekHeader(b: Uint8Array): { kindCode: number; height: number } | undefined {
  if (b.length < 16) return undefined;
  const view = Buffer.from(b.buffer, b.byteOffset, 16);
  const h = view.readBigUInt64LE(8);
  return h <= BigInt(Number.MAX_SAFE_INTEGER) ? { kindCode: view[5]!, height: Number(h) } : undefined;
}

export function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}
