// Which sealed shards may hold a hex value, from the core's hex_keys (hexkey.ts), by what the
// value is (KeyClass). The open shard is not listed there: callers ask it directly.
import { NO_KEY, hexKey, hexKeyRange } from './hexkey';
import type { Sql } from './sql';

/** What a hex value is in a shard: a row's id (tx id, block hash, anchored SHA-256), a patient's own row, or a patient's consents and accesses. */
export const KeyClass = { id: 0, patient: 1, party: 2 } as const;
export type KeyClass = (typeof KeyClass)[keyof typeof KeyClass];

/** Sealed shards that may hold `value` exactly, ascending. */
export function shardsWithValue(core: Sql, cls: KeyClass, value: string): number[] {
  return core.all('SELECT DISTINCT shard FROM hex_keys WHERE cls = ? AND k IN (?, ?) ORDER BY shard', [cls, hexKey(value), NO_KEY]).map((r) => Number(r['shard']));
}

/** Sealed shards that may hold a value starting with the hex `prefix`, ascending. */
export function shardsWithPrefix(core: Sql, cls: KeyClass, prefix: string): number[] {
  const [lo, hi] = hexKeyRange(prefix);
  // Two index ranges (an OR of them would scan the class).
  const q = 'SELECT shard FROM hex_keys WHERE cls = ? AND k BETWEEN ? AND ? UNION SELECT shard FROM hex_keys WHERE cls = ? AND k = ? ORDER BY shard';
  return core.all(q, [cls, lo, hi, cls, NO_KEY]).map((r) => Number(r['shard']));
}
