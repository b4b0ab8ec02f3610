// The core's hex_keys lookup (schema.ts): a hex value's first 13 digits as an integer, which
// JavaScript numbers hold exactly (52 bits). Values sharing those digits share a key, so a
// lookup gives candidate shards, and each candidate is asked for the exact value.

export const KEY_DIGITS = 13;
/** The key of a value that does not start with 13 hex digits: such shards are always candidates. */
export const NO_KEY = -1;

const HEAD = /^[0-9a-fA-F]{13}/;

export function hexKey(value: string): number {
  return HEAD.test(value) ? parseInt(value.slice(0, KEY_DIGITS), 16) : NO_KEY;
}

/** The keys of every value that starts with `prefix` (hex, one digit or more): [lo, hi]. */
export function hexKeyRange(prefix: string): [number, number] {
  const p = prefix.slice(0, KEY_DIGITS);
  const scale = 16 ** (KEY_DIGITS - p.length);
  const lo = parseInt(p, 16) * scale;
  return [lo, lo + scale - 1];
}
