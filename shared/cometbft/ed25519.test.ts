import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { portableEd25519 } from './ed25519';
import { fromHex } from './bytes';

const msg = new TextEncoder().encode('custos');

/** The identity point, canonical (y = 1) and non-canonical (y = p + 1, ZIP-215 accepts it). */
const IDENTITY = fromHex('0100000000000000000000000000000000000000000000000000000000000000');
const IDENTITY_NONCANONICAL = fromHex('EEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF7F');

describe('portableEd25519 (ZIP-215, crypto/ed25519 VerifySignature)', () => {
  const sk = ed25519.utils.randomSecretKey();
  const pk = ed25519.getPublicKey(sk);
  const sig = ed25519.sign(msg, sk);

  it('accepts a valid signature and rejects a changed message, signature or key', () => {
    expect(portableEd25519.verify(sig, msg, pk)).toBe(true);
    expect(portableEd25519.verify(sig, new TextEncoder().encode('custoz'), pk)).toBe(false);
    const bad = sig.slice(); bad[10]! ^= 1;
    expect(portableEd25519.verify(bad, msg, pk)).toBe(false);
    expect(portableEd25519.verify(sig, msg, ed25519.getPublicKey(ed25519.utils.randomSecretKey()))).toBe(false);
  });

  it('returns false, never throws, on wrong lengths and junk', () => {
    expect(portableEd25519.verify(sig.slice(0, 63), msg, pk)).toBe(false);
    expect(portableEd25519.verify(new Uint8Array(65), msg, pk)).toBe(false);
    expect(portableEd25519.verify(sig, msg, pk.slice(0, 31))).toBe(false);
    expect(portableEd25519.verify(new Uint8Array(64).fill(0xff), msg, new Uint8Array(32).fill(0xff))).toBe(false);
  });

  it('rejects a non-canonical S (S >= L), as ZIP-215 does', () => {
    const s = sig.slice();
    // S + L: add the group order to the little-endian scalar
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let n = 0n;
    for (let i = 63; i >= 32; i--) n = (n << 8n) | BigInt(s[i]!);
    n += L;
    for (let i = 32; i < 64; i++) { s[i] = Number(n & 0xffn); n >>= 8n; }
    expect(portableEd25519.verify(s, msg, pk)).toBe(false);
  });

  it('accepts ZIP-215 edge cases: small-order key, identity R encoded non-canonically, S = 0', () => {
    const edge = new Uint8Array(64);
    edge.set(IDENTITY_NONCANONICAL, 0);
    expect(portableEd25519.verify(edge, msg, IDENTITY)).toBe(true);
    edge.set(IDENTITY, 0);
    expect(portableEd25519.verify(edge, msg, IDENTITY)).toBe(true);
    // RFC 8032 strict decoding rejects the non-canonical one
    edge.set(IDENTITY_NONCANONICAL, 0);
    expect(ed25519.verify(edge, msg, IDENTITY, { zip215: false })).toBe(false);
  });
});
