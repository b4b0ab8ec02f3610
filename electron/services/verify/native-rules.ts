// Native (OpenSSL) Ed25519 for both signature rules the verifier uses, each exact:
//   consensus  electron/crypto/ed25519-native.ts nativeEd25519 (ZIP-215: OpenSSL, and a
//              portable re-check of every rejection);
//   ledger-tx  PROTOCOL.md §2.7 (RFC 8032 with canonical encodings and small-order keys refused,
//              shared/ledger/tx/envelope.ts verifyEd25519). A key that strict decoding refuses
//              or that has small order can never verify, so it is refused up front (cached per
//              key). For any other key an OpenSSL acceptance implies the strict one: OpenSSL
//              requires S < L, accepts only the canonical encoding of R (it re-encodes and
//              compares bytes) and checks the cofactorless equation, which implies the
//              cofactored one noble checks, over the same hash of the raw R, A and message.
//              OpenSSL rejections are re-checked with the strict portable verifier.
import { ed25519 } from '@noble/curves/ed25519.js';
import { createOpenSslEd25519, KeyObjectCache, nativeEd25519 } from '../../crypto/ed25519-native';
import { nativeSha256 as opensslSha256 } from '../../crypto/sha256-native';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE, type Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import { verifyEd25519 as strictPortable } from '../../../shared/ledger/tx/envelope';
import type { Digest, SigRule } from '../../../shared/verify';

const STRICT_KEY_CACHE_MAX = 65_536;

function strictKeyCheck(): (pk: Uint8Array) => boolean {
  const cache = new Map<string, boolean>();
  return (pk) => {
    const id = Buffer.from(pk.buffer, pk.byteOffset, pk.byteLength).toString('hex');
    let ok = cache.get(id);
    if (ok === undefined) {
      try {
        ok = !ed25519.Point.fromBytes(pk, false).isSmallOrder();
      } catch {
        ok = false;
      }
      if (cache.size >= STRICT_KEY_CACHE_MAX) cache.clear();
      cache.set(id, ok);
    }
    return ok;
  };
}

export function createStrictNativeEd25519(cache = new KeyObjectCache()): Ed25519Verifier {
  const openssl = createOpenSslEd25519(cache);
  const keyOk = strictKeyCheck();
  return {
    name: 'native (node:crypto/OpenSSL, RFC 8032 strict, small-order keys refused)',
    verify(signature, message, publicKey) {
      if (signature.length !== ED25519_SIGNATURE_SIZE || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return false;
      if (!keyOk(publicKey)) return false;
      return openssl.verify(signature, message, publicKey) || strictPortable(signature, message, publicKey);
    },
  };
}

export const NATIVE_RULES: Readonly<Record<SigRule, Ed25519Verifier>> = Object.freeze({
  consensus: nativeEd25519,
  'ledger-tx': createStrictNativeEd25519(),
});

/** SHA-256 through OpenSSL: signature lookup keys and tx hashes (prepare workers and the chain worker alike), and the replayed ledger's hashing. */
export const nativeSha256: Digest & ((data: Uint8Array | string) => Uint8Array) = opensslSha256;
