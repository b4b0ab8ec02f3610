import { describe, expect, it } from 'vitest';
import { compactJson, elementStarts, memberSpans, skipValue } from './json-bytes';

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
