import { describe, expect, it } from 'vitest';
import { fromBase64, fromBase64Exact, toBase64 } from './bytes';

const outcome = (f: () => Uint8Array): string => {
  try {
    return `ok ${Array.from(f()).join(',')}`;
  } catch (e) {
    return `error ${(e as Error).message}`;
  }
};

describe('fromBase64 (four characters at a time) is fromBase64Exact', () => {
  it('on every length and padding of valid input', () => {
    for (let n = 0; n < 70; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 97 + n) & 255);
      expect(Array.from(fromBase64(toBase64(b)))).toEqual(Array.from(b));
    }
  });
  it('on malformed input: the same bytes or the same error', () => {
    const alphabet = ['A', 'z', '0', '+', '/', '=', '-', '_', ' ', '\n', 'é', '\u0100', '\ud800'];
    let x = 3;
    const rnd = (n: number) => { x = (x * 1103515245 + 12345) % 2147483648; return x % n; };
    const cases = ['', '=', '==', '===', '====', 'A===', 'AA==', 'AAA=', 'AAAA', 'AB=C', '=AAA', 'AAAA====', 'AA==AAAA', 'QQ', 'QQ=', 'QR==', 'QUJD', 'QUJD\n'];
    for (let i = 0; i < 3000; i++) cases.push(Array.from({ length: rnd(13) }, () => alphabet[rnd(alphabet.length)]).join(''));
    for (let i = 0; i < 500; i++) {
      const s = toBase64(new Uint8Array(rnd(20)).map(() => rnd(256)));
      const at = rnd(s.length + 1);
      cases.push(s.slice(0, at) + alphabet[rnd(alphabet.length)] + s.slice(at + 1));
    }
    for (const s of cases) expect(outcome(() => fromBase64(s)), JSON.stringify(s)).toBe(outcome(() => fromBase64Exact(s)));
  });
});
