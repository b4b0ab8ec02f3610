import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createNativeEd25519, createOpenSslEd25519, KeyObjectCache, nativeEd25519 } from './ed25519-native';
import { portableEd25519 } from '../../shared/cometbft/ed25519';

const IDENTITY = Uint8Array.from(Buffer.from('0100000000000000000000000000000000000000000000000000000000000000', 'hex'));
const IDENTITY_NONCANONICAL = Uint8Array.from(Buffer.from('EEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF7F', 'hex'));

function keyPair(): { pub: Uint8Array; signMsg: (m: Uint8Array) => Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { pub: Uint8Array.from(der.subarray(der.length - 32)), signMsg: (m) => Uint8Array.from(sign(null, m, privateKey)) };
}

describe('nativeEd25519 (node:crypto, ZIP-215 re-check of rejections)', () => {
  it('agrees with the portable verifier on valid and invalid signatures', () => {
    for (let i = 0; i < 40; i++) {
      const k = keyPair();
      const msg = Uint8Array.from(Buffer.from(`message ${i}`));
      const sig = k.signMsg(msg);
      const cases: [Uint8Array, Uint8Array, Uint8Array][] = [[sig, msg, k.pub]];
      const badSig = sig.slice(); badSig[i % 64]! ^= 1 << (i % 8);
      const badMsg = msg.slice(); badMsg[0]! ^= 1;
      cases.push([badSig, msg, k.pub], [sig, badMsg, k.pub], [sig, msg, keyPair().pub]);
      for (const [s, m, p] of cases) expect(nativeEd25519.verify(s, m, p)).toBe(portableEd25519.verify(s, m, p));
      expect(nativeEd25519.verify(sig, msg, k.pub)).toBe(true);
      expect(nativeEd25519.verify(badSig, msg, k.pub)).toBe(false);
    }
  });

  it('returns false, never throws, on wrong lengths and junk keys', () => {
    const k = keyPair();
    const msg = new Uint8Array([1, 2, 3]);
    const sig = k.signMsg(msg);
    expect(nativeEd25519.verify(sig.slice(0, 63), msg, k.pub)).toBe(false);
    expect(nativeEd25519.verify(sig, msg, k.pub.slice(1))).toBe(false);
    expect(nativeEd25519.verify(new Uint8Array(64).fill(0xff), msg, new Uint8Array(32).fill(0xff))).toBe(false);
  });

  it('accepts a ZIP-215 edge case OpenSSL rejects (identity key, non-canonical identity R, S = 0)', () => {
    const msg = new Uint8Array([42]);
    const sig = new Uint8Array(64);
    sig.set(IDENTITY_NONCANONICAL, 0);
    const openssl = createOpenSslEd25519();
    expect(openssl.verify(sig, msg, IDENTITY)).toBe(false); // RFC 8032: R is re-encoded and compared
    expect(portableEd25519.verify(sig, msg, IDENTITY)).toBe(true); // ZIP-215 (CometBFT consensus)
    expect(nativeEd25519.verify(sig, msg, IDENTITY)).toBe(true);
  });

  it('keeps the KeyObject cache bounded', () => {
    const cache = new KeyObjectCache(8);
    const v = createNativeEd25519(cache);
    const msg = new Uint8Array([7]);
    for (let i = 0; i < 20; i++) {
      const k = keyPair();
      expect(v.verify(k.signMsg(msg), msg, k.pub)).toBe(true);
    }
    expect(cache.size).toBe(8);
  });
});
