// Building, decoding and naming transactions (PROTOCOL.md §2).
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { parseCanonical, type Json } from '../encoding/canonical';
import { toHexLower, toHexUpper } from '../encoding/hex';
import { decodeTx, encodeTx, signBytes, verifyTxSignature, type UnsignedTx } from '../tx/envelope';
import { DecodeError } from '../tx/fields';
import { decodeBody } from '../tx/schema';
import type { AnyTx, TxBodies, TxKind } from '../tx/types';
import { CHAIN_ID_RE } from '../vocab';
import { keyFromSeed } from './keys';

export { decodeTx, verifyTxSignature, DecodeError, signBytes };

/**
 * Signs and encodes a transaction. The body is checked against its kind's schema first, so a
 * client learns of a malformed field (DecodeError naming it) before anything is broadcast.
 */
export function buildTx<K extends TxKind>(kind: K, body: TxBodies[K], signerSeed: Uint8Array, nonce: number, chainId: string): Uint8Array {
  if (!CHAIN_ID_RE.test(chainId)) throw new DecodeError('chain_id', 'must be 1..50 printable ASCII characters');
  if (!Number.isSafeInteger(nonce) || nonce < 1) throw new DecodeError('nonce', 'must be a positive safe integer');
  decodeBody(kind, body);
  const { pubkey } = keyFromSeed(signerSeed);
  const u: UnsignedTx<K> = { v: 1, chain_id: chainId, kind, nonce, signer: pubkey, body };
  const sig = toHexLower(ed25519.sign(signBytes(u), signerSeed));
  return encodeTx(u, sig);
}

/** The transaction id: SHA-256 of the bytes, upper-case hex, as CometBFT prints tx hashes. */
export function txId(bytes: Uint8Array): string {
  return toHexUpper(sha256(bytes));
}

/** Parses TxResult.data (canonical JSON, or empty). */
export function decodeResultData(data: Uint8Array): Json | undefined {
  return data.length === 0 ? undefined : parseCanonical(data);
}

export type { AnyTx };
