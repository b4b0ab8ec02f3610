// The replica bundle: one file, read and written front to back.
//
//   header    52 bytes: magic "CUSTOSBN" | version u32 LE | manifest length u32 LE |
//                       manifest SHA-256 (32) | CRC-32C of the preceding 48 bytes (u32 LE)
//   manifest  UTF-8 JSON (BundleManifest): part sizes and SHA-256s
//   genesis   genesis.json, `genesisSize` bytes
//   files     (version 2) the replica's sync records, in manifest order: forks.jsonl (the fork
//             evidence the sync kept, which verification reports) and sync-status.json (the
//             endpoints and their health at the last sync), when the replica has them
//   segments  each segment file's acknowledged bytes, in manifest order
//   trailer   SHA-256 of every byte before it (32 bytes)
//
// Version 1 bundles (no files part) are still read.
//
// Each part is checked by the one before it (header → manifest → genesis and segments), so a
// changed byte is blamed on the part that holds it; the trailer covers the whole file.

import { SEGMENT_NAME, isRecordKind, type DamageLocation, type DropMark, type HeightRange, type NetworkProfile, type RecordKind } from '../store';
import { crc32c, metaProblem, profileProblem } from '../store';

export const BUNDLE_MAGIC = Buffer.from('CUSTOSBN', 'ascii');
export const BUNDLE_VERSION = 2;
/** Versions import reads. */
export const BUNDLE_VERSIONS: readonly number[] = [1, 2];
/**
 * Replica files carried in the files part (names as in electron/services/sync FORKS_FILE and
 * SYNC_STATUS_FILE). Names from a manifest become file names: only these are accepted.
 */
export const BUNDLE_FILES = ['forks.jsonl', 'sync-status.json'] as const;
export type BundleFileName = (typeof BUNDLE_FILES)[number];
export const MAX_BUNDLE_FILE = 64 * 1024 * 1024;
export const BUNDLE_HEADER_SIZE = 52;
export const TRAILER_SIZE = 32;
export const MAX_MANIFEST = 16 * 1024 * 1024;
export const TOOL = 'custos/0.1.0';

export interface BundleManifest {
  format: 'custos-bundle';
  version: 1 | 2;
  chainId: string;
  genesisSha256: string;
  genesisSize: number;
  /** Version 2: the replica files that follow the genesis (possibly none). */
  files?: { name: BundleFileName; size: number; sha256: string }[];
  heights: { lowest: number; highest: number; completeHeight: number; complete: HeightRange[] };
  segments: { name: string; size: number; sha256: string }[];
  counts: { records: number; completeHeights: number; byKind: Record<RecordKind, number> };
  /** The store's own damage and drop records, so the imported replica reads the same. */
  store: { damaged: DamageLocation[]; dropped: DropMark[] };
  profile: NetworkProfile | null;
  createdAt: string;
  tool: string;
}

export function encodeBundleHeader(manifestLength: number, manifestSha256: Buffer, version: number = BUNDLE_VERSION): Buffer {
  const h = Buffer.alloc(BUNDLE_HEADER_SIZE);
  BUNDLE_MAGIC.copy(h, 0);
  h.writeUInt32LE(version, 8);
  h.writeUInt32LE(manifestLength, 12);
  manifestSha256.copy(h, 16);
  h.writeUInt32LE(crc32c(h.subarray(0, 48)), 48);
  return h;
}

export type HeaderCheck = { ok: true; version: number; manifestLength: number; manifestSha256: Buffer } | { ok: false; reason: string; expected?: string; found?: string };

export function decodeBundleHeader(h: Buffer): HeaderCheck {
  if (!h.subarray(0, 8).equals(BUNDLE_MAGIC)) return { ok: false, reason: 'not a Custos bundle (bad magic)', expected: BUNDLE_MAGIC.toString('hex'), found: h.subarray(0, 8).toString('hex') };
  const crc = crc32c(h.subarray(0, 48));
  if (crc !== h.readUInt32LE(48)) return { ok: false, reason: 'header checksum mismatch', expected: h.readUInt32LE(48).toString(16).padStart(8, '0'), found: crc.toString(16).padStart(8, '0') };
  const version = h.readUInt32LE(8);
  if (!BUNDLE_VERSIONS.includes(version)) return { ok: false, reason: 'unsupported bundle version', expected: BUNDLE_VERSIONS.join(' or '), found: String(version) };
  const manifestLength = h.readUInt32LE(12);
  if (manifestLength === 0 || manifestLength > MAX_MANIFEST) return { ok: false, reason: 'manifest length out of range', expected: `1..${MAX_MANIFEST}`, found: String(manifestLength) };
  return { ok: true, version, manifestLength, manifestSha256: Buffer.from(h.subarray(16, 48)) };
}

const isNat = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const isHex64 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
const isRange = (r: unknown): r is HeightRange => typeof r === 'object' && r !== null && isNat((r as HeightRange).from) && isNat((r as HeightRange).to);

/** Validate an untrusted manifest (segment names become file names: they must be plain segment names). */
export function manifestProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const m = v as Record<string, unknown>;
  if (m.format !== 'custos-bundle') return 'format is not custos-bundle';
  if (typeof m.version !== 'number' || !BUNDLE_VERSIONS.includes(m.version)) return `unsupported manifest version ${String(m.version)}`;
  if (typeof m.chainId !== 'string' || m.chainId.length === 0) return 'chainId missing';
  if (!isHex64(m.genesisSha256) || !isNat(m.genesisSize)) return 'genesis hash or size missing';
  if (m.version === 1 && m.files !== undefined) return 'a version 1 manifest has no files';
  if (m.version !== 1) {
    if (!Array.isArray(m.files)) return 'files is not a list';
    const seen = new Set<string>();
    for (const f of m.files as unknown[]) {
      const o = f as Record<string, unknown>;
      if (typeof o !== 'object' || o === null || !(BUNDLE_FILES as readonly unknown[]).includes(o.name) || !isNat(o.size) || o.size > MAX_BUNDLE_FILE || !isHex64(o.sha256)) return 'bad file entry';
      if (seen.has(o.name as string)) return `file ${String(o.name)} listed twice`;
      seen.add(o.name as string);
    }
  }
  const h = m.heights as Record<string, unknown> | undefined;
  if (!h || !isNat(h.lowest) || !isNat(h.highest) || !isNat(h.completeHeight) || !Array.isArray(h.complete) || !h.complete.every(isRange)) return 'bad heights';
  if (!Array.isArray(m.segments)) return 'segments is not a list';
  const names = new Set<string>();
  for (const s of m.segments as unknown[]) {
    const o = s as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || !SEGMENT_NAME.test(o.name) || !isNat(o.size) || !isHex64(o.sha256)) return 'bad segment entry';
    if (names.has(o.name)) return `segment ${o.name} listed twice`;
    names.add(o.name);
  }
  const c = m.counts as Record<string, unknown> | undefined;
  if (!c || !isNat(c.records) || !isNat(c.completeHeights) || typeof c.byKind !== 'object' || c.byKind === null) return 'bad counts';
  if (!Object.entries(c.byKind).every(([k, n]) => isRecordKind(k) && isNat(n))) return 'bad counts by kind';
  const st = m.store as Record<string, unknown> | undefined;
  // the damage and drop lists have the same shape as in meta.json
  if (!st || metaProblem({ format: 'custos-store', version: 1, segments: [], completeHeight: 0, lowestHeight: 0, highestHeight: 0, records: 0, genesisSha256: null, damaged: st.damaged, dropped: st.dropped })) return 'bad store lists';
  if (m.profile !== null && profileProblem(m.profile)) return `bad profile: ${profileProblem(m.profile)}`;
  if (typeof m.createdAt !== 'string' || typeof m.tool !== 'string') return 'createdAt or tool missing';
  return undefined;
}
