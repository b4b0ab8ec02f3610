// Canonical JSON, RFC 8785 (JCS) restricted to the value types the ledger allows
// (PROTOCOL.md §2.2): strings, safe integers, booleans, arrays and objects. No null, no
// fractions or exponents, no numbers outside ±(2^53−1). Object members are sorted by their
// keys' UTF-16 code units (RFC 8785 §3.2.3); strings are serialized as ECMAScript
// JSON.stringify does (RFC 8785 §3.2.2.2); lone surrogates are rejected (§3.2.2.1 / I-JSON).
import { isCanonicalText } from './canonical-check';
import { utf8DecodeFast, utf8EncodeWellFormed } from './utf8';

export type Json = string | number | boolean | Json[] | { [key: string]: Json };
/** Objects may carry `undefined` members while being built; they are omitted when encoded. */
export type JsonIn = string | number | boolean | undefined | JsonIn[] | { [key: string]: JsonIn };

export class CanonicalError extends Error {
  constructor(public readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CanonicalError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function encodeString(s: string, path: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalError(path, 'string contains a lone surrogate');
  return JSON.stringify(s);
}

function enc(v: JsonIn, path: string, depth: number): string {
  if (depth > 32) throw new CanonicalError(path, 'nesting deeper than 32');
  switch (typeof v) {
    case 'string':
      return encodeString(v, path);
    case 'number':
      if (!Number.isSafeInteger(v)) throw new CanonicalError(path, `number ${v} is not a safe integer`);
      return Object.is(v, -0) ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) throw new CanonicalError(path, 'null is not allowed');
      if (Array.isArray(v)) {
        const items: string[] = [];
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (item === undefined) throw new CanonicalError(`${path}[${i}]`, 'undefined array element');
          items.push(enc(item, `${path}[${i}]`, depth + 1));
        }
        return `[${items.join(',')}]`;
      }
      // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
      const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
      const members = keys.map((k) => `${encodeString(k, path)}:${enc(v[k], `${path}.${k}`, depth + 1)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new CanonicalError(path, `${typeof v} is not allowed`);
  }
}

// The encoder proper, without the bookkeeping of where it is: values that encode are the
// common case, and building a path string for every member costs more than the encoding. Any
// refusal is reported by running `enc` again, which throws the error with its exact path.
// eslint-disable-next-line no-control-regex
const NEEDS_CARE = /["\\\u0000-\u001f\uD800-\uDFFF]/;

class Refused extends Error {}
const REFUSED = new Refused();

function fastString(s: string): string {
  // Without quotes, backslashes, controls or surrogates, JSON.stringify only adds the quotes.
  if (!NEEDS_CARE.test(s)) return `"${s}"`;
  if (LONE_SURROGATE.test(s)) throw REFUSED;
  return JSON.stringify(s);
}

/** Default sort order (UTF-16 code units); a short array in place, without the temporary array Array#sort makes. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = k;
  }
  return keys;
}

function fast(v: JsonIn, depth: number): string {
  if (depth > 32) throw REFUSED;
  switch (typeof v) {
    case 'string':
      return fastString(v);
    case 'number':
      if (!Number.isSafeInteger(v)) throw REFUSED;
      return Object.is(v, -0) ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) throw REFUSED;
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          if (item === undefined) throw REFUSED;
          out += i === 0 ? fast(item, depth + 1) : `,${fast(item, depth + 1)}`;
        }
        return `${out}]`;
      }
      const keys = sortKeys(Object.keys(v));
      let out = '{';
      for (const k of keys) {
        const x = v[k];
        if (x === undefined) continue;
        out += `${out.length === 1 ? '' : ','}${fastString(k)}:${fast(x, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw REFUSED;
  }
}

/** The canonical JSON text of a value. */
export function canonicalString(v: JsonIn): string {
  try {
    return fast(v, 0);
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
  }
  return enc(v, '$', 0);
}

/** The canonical JSON bytes (UTF-8) of a value. */
export function canonicalBytes(v: JsonIn): Uint8Array {
  // canonicalString refuses lone surrogates, so its text is well-formed.
  return utf8EncodeWellFormed(canonicalString(v));
}

/**
 * Parses bytes that must already be canonical: strict UTF-8, valid JSON, only the allowed value
 * types, and byte-identical to their own canonical re-encoding (so whitespace, member order,
 * duplicate members, escapes and number spellings other than the canonical ones are refused).
 */
export function parseCanonical(bytes: Uint8Array): Json {
  let text: string;
  try {
    text = utf8DecodeFast(bytes);
  } catch (e) {
    throw new CanonicalError('$', (e as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CanonicalError('$', `not JSON: ${(e as Error).message}`);
  }
  // The one-pass check shows most canonical text canonical; anything else is re-encoded.
  if (!isCanonicalText(text) && canonicalString(value as JsonIn) !== text) throw new CanonicalError('$', 'not in canonical form (RFC 8785)');
  return value as Json;
}

/** Parses JSON text leniently (any spacing or member order) but still only the allowed types. */
export function parseJsonValue(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CanonicalError('$', `not JSON: ${(e as Error).message}`);
  }
  canonicalString(value as JsonIn);
  return value as Json;
}
