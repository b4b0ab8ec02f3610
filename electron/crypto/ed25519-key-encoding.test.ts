import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { isValidKey } from '../../shared/ledger/rules/context';
import { keyEncodingAllowed, keyValid, SMALL_ORDER_OR_BAD_SIGN } from './ed25519-key-encoding';
import { createOpenSslEd25519 } from './ed25519-native';

type Strict = 'valid' | 'small-order' | 'refused';
/** PROTOCOL.md §2.7 as shared/ledger checks it: strict decoding, then not of small order. */
function strict(pk: Uint8Array): Strict {
  try {
    return ed25519.Point.fromBytes(pk, false).isSmallOrder() ? 'small-order' : 'valid';
  } catch {
    return 'refused';
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('keyEncodingAllowed (§2.7 without decompression)', () => {
  it('lists exactly the small-order points and the two x = 0 encodings with the sign bit', () => {
    const t8 = ed25519.Point.fromBytes(Uint8Array.from(Buffer.from(SMALL_ORDER_OR_BAD_SIGN[4]!, 'hex')), false);
    const torsion = new Set<string>();
    let p = ed25519.Point.ZERO;
    for (let k = 0; k < 8; k++, p = p.add(t8)) torsion.add(hex(p.toBytes()));
    expect(torsion.size).toBe(8);
    expect(new Set(SMALL_ORDER_OR_BAD_SIGN.slice(0, 8))).toEqual(torsion);
    for (const h of SMALL_ORDER_OR_BAD_SIGN) {
      const pk = Uint8Array.from(Buffer.from(h, 'hex'));
      expect(strict(pk)).not.toBe('valid');
      expect(keyEncodingAllowed(pk)).toBe(false);
    }
  });

  it('refuses every encoding of y ≥ p, as strict decoding does', () => {
    for (let y0 = 0xed; y0 <= 0xff; y0++) {
      for (const sign of [0, 0x80]) {
        const pk = new Uint8Array(32).fill(0xff);
        pk[0] = y0;
        pk[31] = 0x7f | sign;
        expect(strict(pk)).toBe('refused');
        expect(keyEncodingAllowed(pk)).toBe(false);
      }
    }
    const below = new Uint8Array(32).fill(0xff);
    below[0] = 0xec;
    below[31] = 0x7f;
    expect(keyEncodingAllowed(below)).toBe(false); // y = p − 1 (small order)
  });

  it('allows every real key, and refuses nothing strict decoding accepts', () => {
    for (let i = 0; i < 50; i++) {
      const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
      const pk = Uint8Array.from(der.subarray(der.length - 32));
      expect(keyEncodingAllowed(pk)).toBe(true);
      expect(strict(pk)).toBe('valid');
    }
  });

  it('agrees with strict decoding on random strings, up to being on the curve, which OpenSSL checks', () => {
    const openssl = createOpenSslEd25519();
    let offCurve = 0;
    for (let i = 0; i < 3000; i++) {
      const pk = Uint8Array.from(randomBytes(32));
      if (i % 3 === 0) pk[31]! &= 0x7f;
      const s = strict(pk);
      const allowed = keyEncodingAllowed(pk);
      if (s === 'valid') expect(allowed).toBe(true);
      if (s === 'small-order') expect(allowed).toBe(false);
      if (s === 'refused' && allowed) {
        offCurve++;
        // Not on the curve: OpenSSL cannot decode it, so it verifies nothing with it.
        expect(openssl.verify(Uint8Array.from(randomBytes(64)).fill(0, 32), new Uint8Array([1]), pk)).toBe(false);
      }
    }
    expect(offCurve).toBeGreaterThan(0);
  });
});

describe('keyValid (§2.7 exactly, with a Jacobi symbol for the curve equation)', () => {
  const check = (pk: Uint8Array): void => expect(keyValid(pk), hex(pk)).toBe(strict(pk) === 'valid');

  it('agrees with strict decoding on random strings, real keys, small y, y near p and the special encodings', () => {
    for (let i = 0; i < 8_000; i++) check(Uint8Array.from(randomBytes(32)));
    for (let i = 0; i < 50; i++) {
      const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
      check(Uint8Array.from(der.subarray(der.length - 32)));
    }
    for (let y = 0; y < 600; y++) {
      for (const sign of [0, 0x80]) {
        const pk = new Uint8Array(32);
        pk[0] = y & 0xff;
        pk[1] = y >> 8;
        pk[31] = sign;
        check(pk);
        const near = new Uint8Array(32).fill(0xff); // p − 1 − y, and above p
        near[0] = (0xec - y) & 0xff;
        if (y > 0xec) near[1] = 0xfe;
        near[31] = 0x7f | sign;
        check(near);
      }
    }
    for (const h of SMALL_ORDER_OR_BAD_SIGN) check(Uint8Array.from(Buffer.from(h, 'hex')));
  });
});

describe('isValidKey (the ledger\'s §2.7 check on hex strings)', () => {
  it('agrees with strict decoding, lower-case hex through the bytes, other spellings through the point', () => {
    const keys = [...SMALL_ORDER_OR_BAD_SIGN.map((h) => Uint8Array.from(Buffer.from(h, 'hex')))];
    for (let i = 0; i < 3000; i++) keys.push(Uint8Array.from(randomBytes(32)));
    for (let i = 0; i < 30; i++) {
      const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
      keys.push(Uint8Array.from(der.subarray(der.length - 32)));
    }
    for (const pk of keys) {
      const s = strict(pk) === 'valid';
      expect(isValidKey(hex(pk)), hex(pk)).toBe(s);
      expect(isValidKey(hex(pk).toUpperCase()), hex(pk)).toBe(s);
    }
    for (const bad of ['', 'zz'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33), ` ${'ab'.repeat(32)}`]) expect(isValidKey(bad), bad).toBe(false);
  });
});
