import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { SMALL_ORDER_OR_BAD_SIGN } from '../../crypto/ed25519-key-encoding';
import { KeyObjectCache } from '../../crypto/ed25519-native';
import { verifyEd25519 as strictPortable } from '../../../shared/ledger/tx/envelope';
import { createStrictNativeEd25519, NATIVE_RULES } from './native-rules';

function keyPair(): { pub: Uint8Array; signMsg: (m: Uint8Array) => Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { pub: Uint8Array.from(der.subarray(der.length - 32)), signMsg: (m) => Uint8Array.from(sign(null, m, privateKey)) };
}

describe('the native ledger-tx rule (§2.7)', () => {
  const rule = NATIVE_RULES['ledger-tx'];

  it('agrees with the strict portable verifier on valid, altered and foreign signatures', () => {
    for (let i = 0; i < 30; i++) {
      const k = keyPair();
      const msg = Uint8Array.from(randomBytes(20 + i));
      const sig = k.signMsg(msg);
      const bad = sig.slice();
      bad[i % 64]! ^= 1 << (i % 8);
      for (const [s, m, p] of [[sig, msg, k.pub], [bad, msg, k.pub], [sig, msg, keyPair().pub]] as const) {
        expect(rule.verify(s, m, p)).toBe(strictPortable(s, m, p));
      }
      expect(rule.verify(sig, msg, k.pub)).toBe(true);
    }
  });

  it('refuses small-order keys even with a signature the equation accepts', () => {
    // With the identity key A and R = the identity, S = 0 satisfies [S]B = R + [k]A.
    const identity = Uint8Array.from(Buffer.from(SMALL_ORDER_OR_BAD_SIGN[0]!, 'hex'));
    const sig = new Uint8Array(64);
    sig.set(identity, 0);
    expect(rule.verify(sig, new Uint8Array([1]), identity)).toBe(false);
    expect(strictPortable(sig, new Uint8Array([1]), identity)).toBe(false);
  });

  it('refuses keys and signatures of the wrong size, and off-curve keys', () => {
    const k = keyPair();
    const msg = new Uint8Array([9]);
    const sig = k.signMsg(msg);
    expect(rule.verify(sig.slice(1), msg, k.pub)).toBe(false);
    expect(rule.verify(sig, msg, k.pub.slice(1))).toBe(false);
    for (let i = 0; i < 200; i++) {
      const pk = Uint8Array.from(randomBytes(32));
      expect(rule.verify(sig, msg, pk)).toBe(strictPortable(sig, msg, pk));
    }
  });

  it('keeps its key objects in a bounded cache', () => {
    const cache = new KeyObjectCache(4);
    const v = createStrictNativeEd25519(cache);
    const msg = new Uint8Array([3]);
    for (let i = 0; i < 10; i++) {
      const k = keyPair();
      expect(v.verify(k.signMsg(msg), msg, k.pub)).toBe(true);
    }
    expect(cache.size).toBe(4);
  });
});
