// types/tx.go Txs.Hash with each transaction hashed by OpenSSL: the Merkle root (crypto/merkle/tree.go
// HashFromByteSlices, RFC 6962 prefixes) of the SHA-256 of each transaction. The same
// function as shared/cometbft/hash.ts dataHash, which hashes the transactions with the portable
// JS SHA-256; per block of many transactions this is the sync's largest hashing cost.
import * as crypto from 'node:crypto';
import { leafWords, merkleRootOfLeaves } from '../../../shared/cometbft/merkle';

type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
const sha256: (data: Uint8Array) => Uint8Array = typeof oneShot === 'function'
  ? (data) => oneShot('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();

/**
 * Txs.Hash: Merkle root of SHA-256(tx) for each tx; SHA-256("") for none. Each tx is hashed
 * natively (one call); the leaves (33-byte messages) and inner nodes (65 bytes) in plain JS on
 * words (shared/cometbft/sha256.ts), which costs less than a call into native code each.
 */
export function nativeDataHash(txs: readonly Uint8Array[]): Uint8Array {
  const w = new Int32Array(8 * txs.length);
  for (let i = 0; i < txs.length; i++) leafWords(sha256(txs[i]!), w, 8 * i);
  return merkleRootOfLeaves(w, txs.length);
}
