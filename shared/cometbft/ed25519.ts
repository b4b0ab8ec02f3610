// Ed25519 signature verification with the rules CometBFT consensus uses.
// CometBFT v0.38 crypto/ed25519/ed25519.go (PubKey.VerifySignature) verifies with
// curve25519-voi's VerifyOptionsZIP_215: a 64-byte signature, S < L (canonical), point
// encodings of A and R may be non-canonical, small-order A is allowed, and the cofactored
// equation [8][S]B = [8]R + [8][k]A decides. Custos must accept exactly what consensus
// accepts, so every verifier here agrees with ZIP-215.
import { ed25519 } from '@noble/curves/ed25519.js';

export interface Ed25519Verifier {
  readonly name: string;
  /** True iff `signature` is a valid ZIP-215 signature of `message` under `publicKey`. Never throws. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

export const ED25519_PUBLIC_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

/** Pure-TypeScript ZIP-215 verifier (@noble/curves); runs in any host. */
export const portableEd25519: Ed25519Verifier = Object.freeze({
  name: 'portable (@noble/curves, ZIP-215)',
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    // crypto/ed25519/ed25519.go VerifySignature: wrong signature length is simply invalid.
    if (signature.length !== ED25519_SIGNATURE_SIZE || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) return false;
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: true });
    } catch {
      return false;
    }
  },
});
