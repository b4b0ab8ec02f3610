import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { nodeHashWords, sha256Words } from '../cometbft/sha256';
import { AppHasher, appHashOf, keyPath, leafHash } from './apphash';
import type { Json } from './encoding/canonical';
import { HOST_HASH_MIN, portableSha256, sha256WordsOf, withHost } from './hash';
import { bytesToWords, MerkleTrie } from './state/merkle';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const native = (d: Uint8Array | string) => new Uint8Array(createHash('sha256').update(d).digest());
const wordsHex = (w: Int32Array, o: number) => Array.from(w.subarray(o, o + 8), (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');

/** xorshift32: a seeded PRNG for test data only. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

describe('SHA-256 on words (§7.2)', () => {
  it('nodeHashWords is SHA-256(tag ‖ a ‖ b) for every last byte of b', () => {
    const rnd = prng(3);
    const w = new Int32Array(24);
    for (let i = 0; i < 1500; i++) {
      const a = new Uint8Array(32).map(() => rnd() & 255), b = new Uint8Array(32).map(() => rnd() & 255);
      if (i < 256) b[31] = i;
      const tag = rnd() & 1;
      bytesToWords(a, w, 0);
      bytesToWords(b, w, 8);
      nodeHashWords(tag, w, 0, w, 8, w, 16);
      expect(wordsHex(w, 16)).toBe(hex(native(Buffer.concat([Buffer.from([tag]), a, b]))));
    }
  });

  it('sha256Words and sha256WordsOf (with or without a host hash) are SHA-256 at every length', () => {
    const rnd = prng(8);
    const w = new Int32Array(8);
    const host = (d: Uint8Array | string) => native(d);
    for (let n = 0; n <= 2 * HOST_HASH_MIN + 70; n++) {
      const b = new Uint8Array(n).map(() => rnd() & 255);
      const s = Array.from({ length: n }, () => String.fromCharCode(rnd() & 127)).join('');
      const u = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 'é' : i % 11 === 5 ? '\ud83d\ude00' : 'a')).join('');
      sha256Words(b, w, 0);
      expect(wordsHex(w, 0)).toBe(hex(native(b)));
      for (const h of [undefined, host]) {
        for (const d of [b, s, u]) {
          sha256WordsOf(h, d, w, 0);
          expect(wordsHex(w, 0), `${typeof d} ${n}`).toBe(hex(native(d)));
          expect(hex(withHost(h)(d))).toBe(hex(native(d)));
        }
      }
    }
    expect(() => sha256WordsOf(undefined, 'a\ud800', w, 0)).toThrow(/lone surrogate/);
    expect(() => sha256WordsOf(host, `${'a'.repeat(HOST_HASH_MIN)}\ud800`, w, 0)).toThrow(/lone surrogate/);
  });
});

describe('flat Merkle trie (PROTOCOL §7.2)', () => {
  it('matches the definition through growth, deletions and reuse of freed nodes', () => {
    const rnd = prng(77);
    const t = new MerkleTrie();
    const live = new Map<string, Json>();
    for (let round = 0; round < 30; round++) {
      const deleting = round % 3 === 2;
      for (let i = 0; i < 400; i++) {
        const k = `k/${rnd() % 3000}`;
        if (deleting ? rnd() % 3 !== 0 : rnd() % 8 === 0) {
          live.delete(k);
          t.delete(keyPath(k));
        } else {
          const v = { n: rnd() % 1000 };
          live.set(k, v);
          t.set(keyPath(k), leafHash(keyPath(k), v));
        }
      }
      expect(hex(t.rootHash()), `round ${round}`).toBe(hex(appHashOf(live)));
      expect(t.size).toBe(live.size);
    }
    for (const k of [...live.keys()]) t.delete(keyPath(k));
    expect(t.size).toBe(0);
    expect(hex(t.rootHash())).toBe(hex(portableSha256(new Uint8Array(0))));
  });

  it('AppHasher: the same root with the portable hash and with a host hash, writes and deletions alike', () => {
    const rnd = prng(9);
    const a = new AppHasher(), b = new AppHasher(native);
    const live = new Map<string, Json>();
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 300; i++) {
        const k = `${'x'.repeat(rnd() % 200)}/${rnd() % 500}`;
        const v = rnd() % 5 === 0 ? null : { s: 'é'.repeat(rnd() % 100), n: rnd() % 100 };
        a.write(k, v);
        b.write(k, v);
        if (v === null) live.delete(k);
        else live.set(k, v);
      }
      expect(hex(a.root())).toBe(hex(appHashOf(live)));
      expect(hex(b.root())).toBe(hex(a.root()));
      expect(a.size).toBe(live.size);
    }
  });
});
