import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex } from './bytes';
import { innerHash, leafHash, leafWords, merkleRoot, merkleRootOfLeaves, splitPoint } from './merkle';
import { nodeHash, nodeHashWords, sha256 as leanSha256, sha256Ascii, wordsToBytes } from './sha256';

// Independent RFC 6962 reference: written out by hand per item count.
const L = (x: Uint8Array): Uint8Array => sha256(concatBytes(Uint8Array.of(0), x));
const I = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256(concatBytes(Uint8Array.of(1), l, r));
const item = (i: number): Uint8Array => Uint8Array.of(i, i + 1, i + 2);
const [a, b, c, d, e] = [0, 1, 2, 3, 4].map(item) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];

describe('sha256.ts (FIPS 180-4) against @noble/hashes', () => {
  it('agrees at every length across the block and padding boundaries, for bytes and ASCII strings', () => {
    for (let n = 0; n <= 300; n++) {
      const m = new Uint8Array(n).map((_, i) => (i * 151 + n) & 255);
      expect(toHex(leanSha256(m)), `length ${n}`).toBe(toHex(sha256(m)));
      const s = Array.from(m, (x) => String.fromCharCode(x & 127)).join('');
      expect(toHex(sha256Ascii(s)), `ascii ${n}`).toBe(toHex(sha256(Uint8Array.from(s, (ch) => ch.charCodeAt(0)))));
    }
    const big = new Uint8Array(100_001).map((_, i) => i & 255);
    expect(toHex(leanSha256(big))).toBe(toHex(sha256(big)));
    expect(toHex(leanSha256(big.subarray(3, 700)))).toBe(toHex(sha256(big.subarray(3, 700))));
  });
  it('nodeHash is SHA-256(tag ‖ a ‖ b); innerHash of other sizes still follows the definition', () => {
    const x = new Uint8Array(32).map((_, i) => i * 7), y = new Uint8Array(32).map((_, i) => 255 - i);
    expect(toHex(nodeHash(1, x, y))).toBe(toHex(I(x, y)));
    expect(toHex(nodeHash(0, y, x))).toBe(toHex(sha256(concatBytes(Uint8Array.of(0), y, x))));
    expect(toHex(innerHash(x.subarray(1), y))).toBe(toHex(I(x.subarray(1), y)));
  });
});

describe('merkle (crypto/merkle/tree.go HashFromByteSlices)', () => {
  it('0 items: SHA-256 of nothing', () => {
    expect(toHex(merkleRoot([]))).toBe(toHex(sha256(new Uint8Array(0))));
  });
  it('1 item: leaf hash', () => {
    expect(toHex(merkleRoot([a]))).toBe(toHex(L(a)));
    expect(toHex(leafHash(a))).toBe(toHex(L(a)));
  });
  it('2 items', () => {
    expect(toHex(merkleRoot([a, b]))).toBe(toHex(I(L(a), L(b))));
    expect(toHex(innerHash(L(a), L(b)))).toBe(toHex(I(L(a), L(b))));
  });
  it('3 items split 2 + 1', () => {
    expect(toHex(merkleRoot([a, b, c]))).toBe(toHex(I(I(L(a), L(b)), L(c))));
  });
  it('5 items split 4 + 1', () => {
    expect(toHex(merkleRoot([a, b, c, d, e]))).toBe(toHex(I(I(I(L(a), L(b)), I(L(c), L(d))), L(e))));
  });
  it('6 and 7 items split at 4', () => {
    const f = item(5), g = item(6);
    const left = I(I(L(a), L(b)), I(L(c), L(d)));
    expect(toHex(merkleRoot([a, b, c, d, e, f]))).toBe(toHex(I(left, I(L(e), L(f)))));
    expect(toHex(merkleRoot([a, b, c, d, e, f, g]))).toBe(toHex(I(left, I(I(L(e), L(f)), L(g)))));
  });
  it('split point is the largest power of two below n', () => {
    expect([2, 3, 4, 5, 8, 9, 100].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 64]);
  });
  it('matches the known answers in crypto/merkle/tree_test.go', () => {
    const hex = (items: number[][]): string => toHex(merkleRoot(items.map((x) => Uint8Array.from(x)))).toLowerCase();
    expect(hex([[1, 2, 3]])).toBe('054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8');
    expect(hex([[]])).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex([[1, 2, 3], [4, 5, 6]])).toBe('82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b');
    expect(hex([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]])).toBe('f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18');
  });
  it('does not alias the empty-root constant', () => {
    const r = merkleRoot([]);
    r[0] = 0;
    expect(merkleRoot([])).toEqual(fromHex('E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'));
  });
  it('equals the RFC 6962 recursion for every count up to 70 and items of any size (the word-based tree and leaf hashes)', () => {
    const ref = (items: Uint8Array[]): Uint8Array => {
      if (items.length === 1) return L(items[0]!);
      const k = splitPoint(items.length);
      return I(ref(items.slice(0, k)), ref(items.slice(k)));
    };
    const sizes = [0, 1, 31, 32, 54, 55, 56, 63, 64, 119, 1023, 1024, 1025, 5000];
    for (let n = 1; n <= 70; n++) {
      const items = Array.from({ length: n }, (_, i) => new Uint8Array(sizes[(i * 7 + n) % sizes.length]!).map((_, j) => (j * 31 + i) & 255));
      expect(toHex(merkleRoot(items)), `n = ${n}`).toBe(toHex(ref(items)));
    }
    const w = new Int32Array(8);
    leafWords(c, w, 0);
    expect(toHex(merkleRootOfLeaves(w, 1))).toBe(toHex(L(c)));
  });
  it('nodeHashWords may write over either input (merkleRootOfLeaves does)', () => {
    const w = new Int32Array(16).map((_, i) => i * 0x01010101);
    const a = new Uint8Array(32), b = new Uint8Array(32);
    for (let j = 0; j < 8; j++) for (let k = 0; k < 4; k++) { a[4 * j + k] = (w[j]! >>> (24 - 8 * k)) & 255; b[4 * j + k] = (w[8 + j]! >>> (24 - 8 * k)) & 255; }
    const out = new Int32Array(8);
    nodeHashWords(1, w, 0, w, 8, out, 0);
    nodeHashWords(1, w, 0, w, 8, w, 8);
    expect(Array.from(w.subarray(8))).toEqual(Array.from(out));
    expect(toHex(wordsToBytes(out, 0))).toBe(toHex(I(a, b)));
  });
  it('is fast enough for 10 000 leaves', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => Uint8Array.of(i & 255, i >> 8));
    const t = performance.now();
    merkleRoot(items);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
