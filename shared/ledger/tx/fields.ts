// Field validators for transaction bodies, genesis and policy (PROTOCOL.md §2.4). Each names
// the field it refuses, so a DecodeError says exactly what was wrong and where.
import type { Json } from '../encoding/canonical';
import { utf8Encode } from '../encoding/utf8';

export class DecodeError extends Error {
  constructor(public readonly field: string, public readonly reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'DecodeError';
  }
}

export type Obj = { [key: string]: Json };

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object with exactly the required members, plus any of the optional ones. */
export function obj(v: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (!isObj(v)) throw new DecodeError(path, 'must be an object');
  for (const k of required) if (!(k in v)) throw new DecodeError(`${path}.${k}`, 'is required');
  for (const k of Object.keys(v)) {
    if (!required.includes(k) && !optional.includes(k)) throw new DecodeError(`${path}.${k}`, 'is not a known field');
  }
  return v;
}

export function str(v: unknown, path: string, re?: RegExp, what?: string): string {
  if (typeof v !== 'string') throw new DecodeError(path, 'must be a string');
  if (re && !re.test(v)) throw new DecodeError(path, `must be ${what ?? `a string matching ${re}`}`);
  return v;
}

export function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new DecodeError(path, 'must be an integer');
  if (v < min || v > max) throw new DecodeError(path, `must be between ${min} and ${max}`);
  return v;
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new DecodeError(path, 'must be a boolean');
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new DecodeError(path, `must be one of ${values.join(', ')}`);
  }
  return v as T;
}

/** `n` hex digits, lower-case or upper-case (§2.3): what HEX32_LOWER / HEX32_UPPER / HEX64_LOWER match. */
export function isHex(s: string, n: number, upper: boolean): boolean {
  if (s.length !== n) return false;
  const a = upper ? 0x41 : 0x61;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= a && c <= a + 5))) return false;
  }
  return true;
}

/** A string of `n` hex digits (as `str` with the matching HEX regex, same refusals). */
export function hex(v: unknown, path: string, n: number, upper: boolean, what: string): string {
  if (typeof v !== 'string') throw new DecodeError(path, 'must be a string');
  if (!isHex(v, n, upper)) throw new DecodeError(path, `must be ${what}`);
  return v;
}

export function pubkey(v: unknown, path: string): string {
  return hex(v, path, 64, false, '32 bytes of lower-case hex (an Ed25519 public key)');
}

export function sha256Hex(v: unknown, path: string): string {
  return hex(v, path, 64, false, '32 bytes of lower-case hex (a SHA-256 digest)');
}

/** An identifier derived from a transaction hash (upper-case hex, as CometBFT prints it). */
export function txRef(v: unknown, path: string): string {
  return hex(v, path, 64, true, 'a transaction id (64 upper-case hex digits)');
}

/** Free text (§2.4): 1..max UTF-8 bytes, no C0/C1 control characters, no lone surrogates. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
export function text(v: unknown, path: string, maxBytes: number, minBytes = 1): string {
  const s = str(v, path);
  if (CONTROL.test(s)) throw new DecodeError(path, 'must not contain control characters');
  let n: number;
  try {
    n = utf8Encode(s).length;
  } catch {
    throw new DecodeError(path, 'must be well-formed Unicode');
  }
  if (n < minBytes) throw new DecodeError(path, `must be at least ${minBytes} byte(s)`);
  if (n > maxBytes) throw new DecodeError(path, `must be at most ${maxBytes} UTF-8 bytes`);
  return s;
}

export function utf8Length(s: string): number {
  return utf8Encode(s).length;
}

/** An array sorted ascending (UTF-16 code units) without duplicates, each item checked by `item`. */
export function sortedSet<T extends string>(
  v: unknown, path: string, minLen: number, maxLen: number, item: (x: unknown, p: string) => T,
): T[] {
  if (!Array.isArray(v)) throw new DecodeError(path, 'must be an array');
  if (v.length < minLen || v.length > maxLen) throw new DecodeError(path, `must have ${minLen}..${maxLen} items`);
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = item(v[i], `${path}[${i}]`);
    if (i > 0 && !(out[i - 1]! < x)) throw new DecodeError(`${path}[${i}]`, 'items must be sorted ascending without duplicates');
    out.push(x);
  }
  return out;
}
