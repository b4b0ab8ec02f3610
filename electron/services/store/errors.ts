// Store errors and damage reports.

import type { RecordKind } from './kinds';

/** Where damage was found, precise enough to show a user and to re-fetch what it held. */
export interface DamageLocation {
  /** Path relative to the store directory, e.g. `segments/000003.seg` or `genesis.json`. */
  file: string;
  /** Byte offset of the damaged record's header (or of the missing bytes). */
  offset: number;
  /** Bytes affected: the record, or up to the next valid record when its header is damaged. */
  length: number;
  /** What is damaged: a record header, a payload, acknowledged bytes past the end of the file, a whole file. */
  part: 'header' | 'payload' | 'truncated' | 'missing';
  /** Kind and height of the record; when part is 'header' they are as read and may themselves be damaged. */
  kind?: RecordKind;
  height?: number;
  reason: string;
  expected?: string;
  found?: string;
  /** Set by scrub when a valid record for the same (kind, height) follows it (a re-fetch replaced it). */
  superseded?: boolean;
}

export function describeDamage(d: DamageLocation): string {
  const what = d.kind !== undefined && d.height !== undefined ? ` (${d.kind} @ ${d.height}${d.part === 'header' ? ', as read' : ''})` : '';
  const ef = d.expected !== undefined || d.found !== undefined ? `: expected ${d.expected ?? '?'}, found ${d.found ?? '?'}` : '';
  const why = d.reason.startsWith(d.part) ? d.reason : `${d.part} ${d.reason}`;
  return `${d.file} @ ${d.offset}+${d.length}${what}: ${why}${ef}${d.superseded ? ' (superseded)' : ''}`;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

/** A read found bytes that fail their checksum. */
export class StoreCorruptionError extends StoreError {
  override name = 'StoreCorruptionError';
  constructor(readonly location: DamageLocation) {
    super(describeDamage(location));
  }
}

/** Another live process holds the store's write lock. */
export class StoreLockedError extends StoreError {
  override name = 'StoreLockedError';
  /** `activity`: what the holder is doing, e.g. "open for writing", "being verified". */
  constructor(readonly dir: string, readonly pid: number, readonly activity = 'open for writing') {
    super(`store ${dir} is ${activity} by process ${pid}`);
  }
}
