// The strict validator against JSON.parse: the same verdict on valid texts, on hand-picked
// edge cases and on many random mutations of valid texts.
import { describe, expect, it } from 'vitest';
import { isStrictJson } from './json-strict';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parses = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('isStrictJson', () => {
  it('agrees with JSON.parse on edge cases', () => {
    const cases = [
      '0', '-0', '1', '-', '01', '1.', '.5', '1.5', '1e5', '1E+5', '1e-5', '1e', '1e+', '+1', '-01', '0.0e0', '2.',
      'true', 'tru', 'truee', 'false', 'null', 'nul', 'NaN', 'Infinity',
      '""', '"a"', '"\\"', '"\\u00e9"', '"\\u00g9"', '"\\u00e"', '"\\x"', '"\\/\\b\\f\\n\\r\\t\\\\\\""', '"\t"', '"\u007f"', '"a', '"\\ud800"',
      '[]', '[ ]', '[1,]', '[,1]', '[1 2]', '[1,[2,[3]]]', '[', ']', '[[]', '[]]',
      '{}', '{ }', '{"a":1}', '{"a":1,}', '{"a"}', '{"a":}', '{1:1}', '{"a" : [ {"b":null} ] }', '{"a":1 "b":2}', '{"a":1}}',
      ' 1 ', '\n{"a":[]}\r\n\t', '', ' ', '1 2', '\u000b1', '[1]x', '{"a":"b"} x', "['a']",
    ];
    for (const s of cases) expect([s, isStrictJson(enc(s))]).toEqual([s, parses(s)]);
  });

  it('takes deep nesting without recursion', () => {
    const s = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(isStrictJson(enc(s))).toBe(true);
    expect(isStrictJson(enc(s.slice(0, -1)))).toBe(false);
  });

  it('agrees with JSON.parse on random mutations of valid texts', () => {
    let seed = 12345;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const bases = [
      '{"height":"12","txs_results":[{"code":0,"data":"QQ==","log":"","events":[{"type":"t","attributes":[{"key":"k","value":"v\\"x","index":true}]}]}],"app_hash":null}',
      '[1,-2.5e+3,true,false,null,{"a":{"b":[]}},"\\u0041\\n"]',
    ];
    const pieces = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '0', '-', '.', 'e', '+', 'u', 't', 'n', '\u0001', 'x', '1'];
    let agreed = 0;
    for (let t = 0; t < 20_000; t++) {
      let s = bases[t % bases.length]!;
      for (let m = 1 + rnd(3); m > 0; m--) {
        const at = rnd(s.length + 1);
        const op = rnd(3);
        const p = pieces[rnd(pieces.length)]!;
        s = op === 0 ? s.slice(0, at) + p + s.slice(at) : op === 1 ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + p + s.slice(at + 1);
      }
      expect([s, isStrictJson(enc(s))]).toEqual([s, parses(s)]);
      agreed++;
    }
    expect(agreed).toBe(20_000);
  });

  it('refuses non-ASCII bytes (the callers parse those with JSON.parse)', () => {
    expect(isStrictJson(enc('"é"'))).toBe(false);
  });
});
