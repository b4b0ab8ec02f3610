// Small conversions from SQL rows to the query API's plain values.
import type { TxSummary } from './query';
import type { Row } from './sql';

export const num = (v: unknown): number => Number(v ?? 0);
export const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);

export function txSummary(r: Row): TxSummary {
  return { id: String(r['id']), height: num(r['height']), index: num(r['idx']), kind: strOrNull(r['kind']), signer: strOrNull(r['signer']), code: num(r['code']) };
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.trunc(n)));
}
