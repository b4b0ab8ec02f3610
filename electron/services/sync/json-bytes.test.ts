import { describe, expect, it } from 'vitest';
import { arrayElements, compactBatchSpans, compactJson, elementStarts, memberSpans, objectMembers, skipValue } from './json-bytes';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('json-bytes', () => {
  it('compacts like Go json.Compact: whitespace outside strings only, escapes kept', () => {
    const text = '{\n  "a" : [ 1 , 2 ],\n\t"b": "x \\" y\\u003c \\n",  "c": { } , "d":"\u00e9 ü"\r\n}';
    expect(dec(compactJson(enc(text)))).toBe('{"a":[1,2],"b":"x \\" y\\u003c \\n","c":{},"d":"\u00e9 ü"}');
  });

  it('finds the exact bytes of members and elements', () => {
    const text = '{ "jsonrpc":"2.0", "id": 7 ,"result" : {\n "k": "v}]\\"" , "n":[1,{"x":null}]\n} }';
    const b = enc(text);
    const spans = memberSpans(b, 0);
    const [from, to] = spans.get('result')!;
    expect(dec(b.subarray(from, to))).toBe('{\n "k": "v}]\\"" , "n":[1,{"x":null}]\n}');
    expect(dec(b.subarray(...spans.get('id')!))).toBe('7');
    const arr = enc(' [ {"a":1} , "s,]" ,3, [ ] ]');
    expect(elementStarts(arr, 0).map((s) => dec(arr.subarray(s, skipValue(arr, s))))).toEqual(['{"a":1}', '"s,]"', '3', '[ ]']);
  });

  it('finds the end of long strings whatever their escapes (quotes found with memchr past 32 bytes)', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = ['a', 'Z', '"', '\\', '/', '\n', 'é', '\u0001', ' ', '}', ']', ','];
    for (let t = 0; t < 300; t++) {
      const len = t < 100 ? t : 20 + rnd(400);
      let str = '';
      for (let i = 0; i < len; i++) str += alphabet[rnd(alphabet.length)]!;
      // runs of backslashes right before a quote, at and around the 32-byte switch
      if (t % 3 === 0) str = `${'x'.repeat(rnd(40))}${'\\'.repeat(rnd(5))}"${str}`;
      const value = { s: str, n: [1, { k: `${str}\\` }], tail: true };
      const text = JSON.stringify(value);
      const b = enc(` ${text} `);
      expect(skipValue(b, 1)).toBe(1 + enc(text).length);
      const spans = memberSpans(b, 1);
      expect(JSON.parse(dec(b.subarray(...spans.get('s')!)))).toBe(str);
      expect(JSON.parse(dec(b.subarray(...spans.get('n')!)))).toEqual(value.n);
      expect(dec(compactJson(enc(JSON.stringify(value, null, 2))))).toBe(text);
    }
  });
});

describe('compactBatchSpans (a batch answer as CometBFT lays it out)', () => {
  const body = (els: string[]): Uint8Array => enc(`[${els.join(',')}]`);
  const env = (id: number, result: string): string => `{"jsonrpc":"2.0","id":${id},"result":${result}}`;

  it('finds each result by its envelope, without scanning the results', () => {
    const results = ['{"a":"},{\\"jsonrpc\\":\\"2.0\\""}', '{"b":[1,{"c":"]}"}]}', '{}'];
    const b = body(results.map((r, i) => env(7 + i, r)));
    const spans = compactBatchSpans(b, [7, 8, 9])!;
    expect(spans.map((s) => dec(b.subarray(...s)))).toEqual(results);
  });

  it('declines any other layout: whitespace, another order or id, an error, a non-object result', () => {
    const ok = [env(1, '{"x":1}'), env(2, '{"y":2}')];
    expect(compactBatchSpans(body(ok), [1, 2])).toBeDefined();
    expect(compactBatchSpans(enc(`[ ${ok.join(',')}]`), [1, 2])).toBeUndefined();
    expect(compactBatchSpans(body([ok[1]!, ok[0]!]), [1, 2])).toBeUndefined();
    expect(compactBatchSpans(body(ok), [1, 3])).toBeUndefined();
    expect(compactBatchSpans(body([ok[0]!, '{"jsonrpc":"2.0","id":2,"error":{"code":-1}}']), [1, 2])).toBeUndefined();
    expect(compactBatchSpans(body([env(1, '{"x":1}'), env(2, '[1]')]), [1, 2])).toBeUndefined();
    expect(compactBatchSpans(body([env(1, '{"x":1} ')]), [1])).toBeUndefined();
    expect(compactBatchSpans(enc(`${body(ok)}\n`), [1, 2])).toBeUndefined();
  });

  it('gives candidates only: an envelope look-alike inside a result yields a span that does not parse', () => {
    // the first result holds, as JSON structure, the next envelope's head right after a `}`
    const tricky = `{"a":[{"b":{}},${env(2, '{"z":0}')}]}`;
    const b = body([env(1, tricky), env(2, '{"y":2}')]);
    expect(JSON.parse(dec(b))).toEqual([{ jsonrpc: '2.0', id: 1, result: JSON.parse(tricky) }, { jsonrpc: '2.0', id: 2, result: { y: 2 } }]);
    const spans = compactBatchSpans(b, [1, 2])!;
    expect(() => JSON.parse(dec(b.subarray(...spans[0]!)))).toThrow(SyntaxError);
  });

  it('walks arrays of objects once, with the same starts and member spans as elementStarts and memberSpans', () => {
    const b = enc(' [ {"a" : [1, "]"] , "b":{}}, 2, "x", {"c":null} ]');
    const els = arrayElements(b, 0);
    expect(els.map((e) => e.start)).toEqual(elementStarts(b, 0));
    for (const e of els) {
      if (e.members) expect([...e.members]).toEqual([...memberSpans(b, e.start)]);
      else expect(b[e.start]).not.toBe(0x7b);
    }
    expect(objectMembers(b, 3).end).toBe(b.indexOf(0x2c, 27));
  });
});
