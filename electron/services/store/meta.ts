// meta.json: the store's acknowledgement point, replaced atomically on every flush.
// Bytes of a segment below its `acked` offset are durable (fsynced before this file was
// written); bytes above it are an unacknowledged tail that the next open re-checks.

import { join } from 'node:path';
import { readJsonChecked, writeJsonAtomic } from './atomic';
import { StoreError, type DamageLocation } from './errors';
import { isRecordKind } from './kinds';

export const META_FILE = 'meta.json';
export const META_FORMAT = 'custos-store';
export const META_VERSION = 1;

/** Records with a height in [from, to] written before (segment, offset) are ignored: the range was dropped for re-fetch. */
export interface DropMark {
  from: number;
  to: number;
  segment: string;
  offset: number;
}

export interface StoreMeta {
  format: typeof META_FORMAT;
  version: typeof META_VERSION;
  /** Segment files in order, each with its acknowledged end offset. */
  segments: { name: string; acked: number }[];
  /** End of the run of complete heights that starts at `lowestHeight` (0 when there is none). */
  completeHeight: number;
  lowestHeight: number;
  highestHeight: number;
  records: number;
  /** SHA-256 (hex) of genesis.json, once stored. */
  genesisSha256: string | null;
  damaged: DamageLocation[];
  dropped: DropMark[];
  updatedAt: string;
}

export const SEGMENT_NAME = /^(\d{6})\.seg$/;

export function segmentName(no: number): string {
  return `${String(no).padStart(6, '0')}.seg`;
}

export function segmentNo(name: string): number {
  const m = SEGMENT_NAME.exec(name);
  if (!m) throw new StoreError(`not a segment file name: ${name}`);
  return Number(m[1]);
}

const isNat = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const isHex64 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

function checkDamage(d: unknown): d is DamageLocation {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return typeof o.file === 'string' && isNat(o.offset) && isNat(o.length) && typeof o.reason === 'string'
    && ['header', 'payload', 'truncated', 'missing'].includes(o.part as string)
    && (o.kind === undefined || isRecordKind(o.kind)) && (o.height === undefined || isNat(o.height));
}

function checkDrop(d: unknown): d is DropMark {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return isNat(o.from) && isNat(o.to) && typeof o.segment === 'string' && SEGMENT_NAME.test(o.segment) && isNat(o.offset);
}

/** Validate untrusted meta JSON (also used for the copy carried in a bundle); returns why not, or undefined. */
export function metaProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const m = v as Record<string, unknown>;
  if (m.format !== META_FORMAT) return `format is not ${META_FORMAT}`;
  if (m.version !== META_VERSION) return `unsupported version ${String(m.version)}`;
  if (!Array.isArray(m.segments)) return 'segments is not a list';
  for (const s of m.segments as unknown[]) {
    const o = s as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || !SEGMENT_NAME.test(o.name) || !isNat(o.acked)) return 'bad segment entry';
  }
  for (const k of ['completeHeight', 'lowestHeight', 'highestHeight', 'records'] as const) if (!isNat(m[k])) return `${k} is not a count`;
  if (m.genesisSha256 !== null && !isHex64(m.genesisSha256)) return 'genesisSha256 is not a hex SHA-256';
  if (!Array.isArray(m.damaged) || !m.damaged.every(checkDamage)) return 'bad damaged list';
  if (!Array.isArray(m.dropped) || !m.dropped.every(checkDrop)) return 'bad dropped list';
  return undefined;
}

export async function readMeta(dir: string): Promise<StoreMeta | undefined> {
  return (await readJsonChecked(join(dir, META_FILE), metaProblem)) as StoreMeta | undefined;
}

export async function writeMeta(dir: string, meta: StoreMeta): Promise<void> {
  await writeJsonAtomic(join(dir, META_FILE), meta);
}
