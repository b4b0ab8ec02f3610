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
});
