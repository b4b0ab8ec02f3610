import { describe, expect, it } from 'vitest';
import { canonicalString, CanonicalError, parseCanonical, type JsonIn } from './encoding/canonical';
import { isCanonicalText } from './encoding/canonical-check';
import { utf8Decode, utf8DecodeFast } from './encoding/utf8';

const enc = (s: string) => new TextEncoder().encode(s);

/** parseCanonical as it was before the fast paths: strict decode, JSON.parse, re-encode, compare. */
function slowParse(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8Decode(bytes);
  } catch (e) {
    throw new CanonicalError('$', (e as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CanonicalError('$', `not JSON: ${(e as Error).message}`);
  }
  if (canonicalString(value as JsonIn) !== text) throw new CanonicalError('$', 'not in canonical form (RFC 8785)');
  return value;
}

const outcome = (f: () => unknown): { ok: unknown } | { err: string } => {
  try {
    return { ok: f() };
  } catch (e) {
    return { err: `${(e as Error).name}: ${(e as Error).message}` };
  }
};

/** xorshift32: a seeded PRNG for test data only. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
}

const CHARS = ['a', 'b', 'Z', '0', '"', '\\', '/', '\n', '\b', '\t', '\r', '\f', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\ud83d\ude00', '\ud800', '\udc00', ' ', ':', ','];
const NUMS = [0, 1, -1, 42, -42, 2 ** 53 - 1, -(2 ** 53 - 1), 1234567890123456, 999999999999999];

function value(rnd: (n: number) => number, d: number): JsonIn {
  const str = () => Array.from({ length: rnd(6) }, () => CHARS[rnd(CHARS.length)]).join('');
  const k = d > 4 ? rnd(3) : rnd(5);
  if (k === 0) return str();
  if (k === 1) return NUMS[rnd(NUMS.length)]!;
  if (k === 2) return rnd(2) === 1;
  if (k === 3) return Array.from({ length: rnd(4) }, () => value(rnd, d + 1));
  return Object.fromEntries(Array.from({ length: rnd(5) }, () => [str(), value(rnd, d + 1)]));
}

/** Small edits of canonical text: the inputs most likely to fool a shortcut. */
function mutate(rnd: (n: number) => number, s: string): string {
  const at = rnd(s.length + 1);
  const pieces = [' ', '\n', '-', '0', '1', '.', 'e', '"', '\\', ',', ':', '{', '}', '[', ']', 'null', '\\u0041', '\\u001F', '\\u0008', '\\/', '\ud800', 'true', 'é'];
  switch (rnd(4)) {
    case 0: return s.slice(0, at) + s.slice(at + 1);
    case 1: return s.slice(0, at) + pieces[rnd(pieces.length)] + s.slice(at);
    case 2: return s.slice(0, at) + pieces[rnd(pieces.length)] + s.slice(at + 1);
    default: { const b = rnd(s.length + 1); return s.slice(0, Math.min(at, b)) + s.slice(Math.max(at, b)) + s.slice(Math.min(at, b), Math.max(at, b)); }
  }
}

describe('canonical JSON fast paths (PROTOCOL §2.1, §2.2)', () => {
  it('isCanonicalText accepts only text that is its own canonical re-encoding', () => {
    const rnd = prng(11);
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const v = value(rnd, 0);
      let text: string;
      try {
        text = canonicalString(v);
      } catch {
        continue; // a lone surrogate: nothing canonical to start from
      }
      for (const t of [text, mutate(rnd, text), mutate(rnd, mutate(rnd, text))]) {
        if (!isCanonicalText(t)) continue;
        accepted++;
        expect(canonicalString(JSON.parse(t) as JsonIn), t).toBe(t);
      }
    }
    expect(accepted).toBeGreaterThan(3000);
  });

  it('isCanonicalText: the edge cases', () => {
    const yes = ['0', '-1', '9007199254740991', '-9007199254740991', '""', '"\\u001f"', '"\\b\\t\\n\\f\\r\\"\\\\"', '"\u007f\u2028é"',
      '"\ud83d\ude00"', '{"":1,"a":2,"aa":3,"b":4}', '[[],{}]', 'true', 'false', '{"\u00e9":1,"\ud83d\ude00":2,"\uffff":3}'];
    const no = ['-0', '01', '1.0', '1e2', '+1', '9007199254740992', '-9007199254740992', '10000000000000000', 'null', ' 1', '1 ', '{"b":1,"a":2}',
      '{"a":1,"a":1}', '{"a\\n":1}', '"\\u0041"', '"\\/"', '"\\u001F"', '"\\u0008"', '"\\u0020"', '"\\ud800"', '"\ud800"', '"\udc00x"', '"\n"', '"abc', '[1,]',
      '{"a":1,}', '{,}', '{"a"}', '', 'tru', '[1]]', '"\\x"', '"\\u00"'];
    for (const t of yes) expect(isCanonicalText(t), t).toBe(true);
    for (const t of no) expect(isCanonicalText(t), t).toBe(false);
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(isCanonicalText(nest(33))).toBe(true); // depths 0..32
    expect(isCanonicalText(nest(34))).toBe(false);
    expect(isCanonicalText(`${'['.repeat(32)}1${']'.repeat(32)}`)).toBe(true);
    expect(isCanonicalText(`${'['.repeat(33)}1${']'.repeat(33)}`)).toBe(false);
  });

  it('parseCanonical gives exactly the old result or refusal, on edited text and on raw bytes', () => {
    const rnd = prng(23);
    const inputs: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      let text: string;
      try {
        text = canonicalString(value(rnd, 0));
      } catch {
        continue;
      }
      inputs.push(enc(text), enc(mutate(rnd, text)));
      const b = enc(text);
      if (b.length) b[rnd(b.length)] = rnd(256); // any byte, including broken UTF-8
      inputs.push(b);
    }
    inputs.push(new Uint8Array([0xef, 0xbb, 0xbf, 0x31]), new Uint8Array([0x22, 0xc0, 0xaf, 0x22]), new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]),
      new Uint8Array([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]), new Uint8Array([0x22, 0xe2, 0x82, 0x22]), enc('{"a":null}'), enc('"\\ud83d\\ude00"'));
    for (const b of inputs) expect(outcome(() => parseCanonical(b)), Buffer.from(b).toString('hex')).toEqual(outcome(() => slowParse(b)));
  });

  it('utf8DecodeFast decodes and refuses exactly as utf8Decode', () => {
    const rnd = prng(5);
    const samples = [[], [0xef, 0xbb, 0xbf], [0xc2, 0x80], [0xc1, 0xbf], [0xe0, 0x9f, 0xbf], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xff]].map((a) => new Uint8Array(a));
    for (let i = 0; i < 5000; i++) {
      const pool = [0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x90, 0x8f];
      samples.push(new Uint8Array(Array.from({ length: rnd(8) }, () => (rnd(3) ? pool[rnd(pool.length)]! : rnd(256)))));
    }
    for (const b of samples) expect(outcome(() => utf8DecodeFast(b)), Buffer.from(b).toString('hex')).toEqual(outcome(() => utf8Decode(b)));
  });
});
