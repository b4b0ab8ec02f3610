// RFC 3339 times as CometBFT prints them (Go time.RFC3339Nano, UTC, e.g.
// "2023-05-17T14:12:53.088875124Z"), to and from google.protobuf.Timestamp without losing
// nanoseconds. Years are limited to 0001..9999, the range gogoproto StdTimeMarshal accepts
// (types/timestamp.go validateTimestamp); Go's zero time 0001-01-01T00:00:00Z is valid.
import { DecodeError, describe } from './decode-core';
import type { Timestamp } from './types';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, days_from_civil). Not
// Date.UTC, which maps years 0..99 to 1900..1999.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in Unix seconds. */
export const MIN_TIMESTAMP_SECONDS = -62135596800n;
export const MAX_TIMESTAMP_SECONDS = 253402300800n;

/** Parse an RFC 3339 time with up to 9 fractional digits into seconds + nanos (UTC). */
export function decodeTimestamp(str: unknown, path = 'time'): Timestamp {
  const bad = (why: string): never => {
    throw new DecodeError(path, `expected an RFC 3339 time such as "2023-05-17T14:12:53.088875124Z", found ${describe(str)}${why ? ` (${why})` : ''}`);
  };
  if (typeof str !== 'string') return bad('');
  const m = RFC3339.exec(str as string);
  if (!m) return bad('');
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m as unknown as string[];
  const y = Number(ys), mo = Number(mos), d = Number(ds), h = Number(hs), mi = Number(mis), s = Number(ss);
  if (mo < 1 || mo > 12) bad('month out of range');
  const dim = mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!;
  if (d < 1 || d > dim) bad('day out of range');
  if (h > 23 || mi > 59 || s > 59) bad('time of day out of range');
  let offset = 0;
  if (zone !== 'Z') {
    const oh = Number(zone!.slice(1, 3)), om = Number(zone!.slice(4, 6));
    if (oh > 23 || om > 59) bad('zone offset out of range');
    offset = (zone![0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s - offset);
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds >= MAX_TIMESTAMP_SECONDS) bad('outside years 0001..9999');
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** time.Time.Format(time.RFC3339Nano) in UTC: fraction without trailing zeros, none when 0. */
export function formatTimestamp(ts: Timestamp): string {
  const days = ts.seconds >= 0n ? ts.seconds / 86400n : -((-ts.seconds + 86399n) / 86400n);
  const sod = Number(ts.seconds - days * 86400n);
  const [y, mo, d] = civilFromDays(Number(days));
  let out = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(Math.floor(sod / 3600), 2)}:${pad(Math.floor(sod / 60) % 60, 2)}:${pad(sod % 60, 2)}`;
  if (ts.nanos !== 0) out += `.${pad(ts.nanos, 9).replace(/0+$/, '')}`;
  return `${out}Z`;
}
