// Ed25519 verification through Node's OpenSSL (node:crypto), several times faster than the
// portable verifier. OpenSSL follows RFC 8032 strictly (it re-encodes R and compares bytes, so
// it rejects non-canonical encodings that ZIP-215 accepts), while CometBFT consensus
// (crypto/ed25519/ed25519.go, curve25519-voi VerifyOptionsZIP_215) accepts them. To never
// disagree with consensus, an OpenSSL rejection is re-checked with the portable ZIP-215
// verifier before it is reported: valid signatures take the fast path, and only invalid or
// edge-case ones pay for the second check. An OpenSSL acceptance stands: both require S < L and
// hash the raw R and A bytes, and OpenSSL's cofactorless equation implies the cofactored one.
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import {
  ED25519_PUBLIC_KEY_SIZE,
  ED25519_SIGNATURE_SIZE,
  portableEd25519,
  type Ed25519Verifier,
} from '../../shared/cometbft/ed25519';

/** DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410): SEQ{SEQ{OID 1.3.101.112}, BIT STRING}. */
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/**
 * The raw key as a KeyObject: as a JWK (RFC 8037 OKP), which Node imports straight from the raw
 * bytes, about 10 times faster than DER through OpenSSL 3's decoders; as DER where JWK import
 * fails. Either way OpenSSL holds the same 32 bytes. Null when neither works (the portable
 * verifier then decides).
 */
function importKey(publicKey: Uint8Array): KeyObject | null {
  const raw = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength);
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    try {
      return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
    } catch {
      return null;
    }
  }
}

/** Bounded KeyObject cache (least recently used out first); validator sets are small and stable. */
export class KeyObjectCache {
  private readonly map = new Map<string, KeyObject | null>();
  constructor(readonly capacity = 1024) {}

  get(publicKey: Uint8Array): KeyObject | null {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64');
    const hit = this.map.get(id);
    if (hit !== undefined) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit;
    }
    const key = importKey(publicKey);
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(id, key);
    return key;
  }

  get size(): number {
    return this.map.size;
  }
}

/** OpenSSL alone: RFC 8032 strict. Exported for tests and the benchmark; not consensus-exact. */
export function createOpenSslEd25519(cache = new KeyObjectCache()): Ed25519Verifier {
  return {
    name: 'native (node:crypto/OpenSSL, strict RFC 8032)',
    verify(signature, message, publicKey) {
      if (signature.length !== ED25519_SIGNATURE_SIZE || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return false;
      const key = cache.get(publicKey);
      if (key === null) return false;
      try {
        return nodeVerify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}

/** Native fast path with a ZIP-215 re-check of every rejection: consensus-exact. */
export function createNativeEd25519(cache = new KeyObjectCache(), fallback: Ed25519Verifier = portableEd25519): Ed25519Verifier {
  const openssl = createOpenSslEd25519(cache);
  return {
    name: 'native (node:crypto/OpenSSL, ZIP-215 re-check of rejections)',
    verify(signature, message, publicKey) {
      if (signature.length !== ED25519_SIGNATURE_SIZE || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return false;
      return openssl.verify(signature, message, publicKey) || fallback.verify(signature, message, publicKey);
    },
  };
}

export const nativeEd25519: Ed25519Verifier = createNativeEd25519();
