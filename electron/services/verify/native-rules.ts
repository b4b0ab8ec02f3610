// Native (OpenSSL) Ed25519 for both signature rules the verifier uses, each exact:
//   consensus  electron/crypto/ed25519-native.ts nativeEd25519 (ZIP-215: OpenSSL, and a
//              portable re-check of every rejection);
//   ledger-tx  PROTOCOL.md §2.7 (RFC 8032 with canonical encodings and small-order keys refused,
//              shared/ledger/tx/envelope.ts verifyEd25519). A key whose encoding the rule refuses
//              (y ≥ p, x = 0 with the sign bit, small order) can never verify, so it is refused
//              up front, on its bytes (electron/crypto/ed25519-key-encoding.ts). Any other key
//              decodes in OpenSSL exactly as in the strict decoder, or not at all (off the
//              curve: OpenSSL refuses it). An OpenSSL acceptance then implies the strict one:
//              OpenSSL requires S < L, accepts only the canonical encoding of R (it re-encodes
//              and compares bytes) and checks the cofactorless equation, which implies the
//              cofactored one noble checks, over the same hash of the raw R, A and message.
//              OpenSSL rejections are re-checked with the strict portable verifier.
import { keyEncodingAllowed } from '../../crypto/ed25519-key-encoding';
import { createOpenSslEd25519, KeyObjectCache, nativeEd25519 } from '../../crypto/ed25519-native';
import { nativeSha256 as opensslSha256 } from '../../crypto/sha256-native';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE, type Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import { verifyEd25519 as strictPortable } from '../../../shared/ledger/tx/envelope';
import type { Digest, SigRule } from '../../../shared/verify';

/**
 * OpenSSL key objects kept per thread for transaction signers: a ledger has thousands of them
 * (about 7,500 on the 100k-tx benchmark chain), and making one costs more than a verify. Each
 * costs about 1.5 KB, so the bound is about 48 MB per thread.
 */
export const TX_KEY_CACHE_CAPACITY = 32_768;

export function createStrictNativeEd25519(cache = new KeyObjectCache(TX_KEY_CACHE_CAPACITY)): Ed25519Verifier {
  const openssl = createOpenSslEd25519(cache);
  return {
    name: 'native (node:crypto/OpenSSL, RFC 8032 strict, small-order keys refused)',
    verify(signature, message, publicKey) {
      if (signature.length !== ED25519_SIGNATURE_SIZE || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return false;
      if (!keyEncodingAllowed(publicKey)) return false;
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
