// types/tx.go Txs.Hash through OpenSSL: the Merkle root (crypto/merkle/tree.go
// HashFromByteSlices, RFC 6962 prefixes) of the SHA-256 of each transaction. The same
// function as shared/cometbft/hash.ts dataHash, which hashes with the portable JS SHA-256;
// per block of many transactions this is the sync's largest hashing cost.
import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;
const sha256: (data: Uint8Array) => Uint8Array = typeof oneShot === 'function'
  ? (data) => oneShot('sha256', data, 'buffer')
  : (data) => crypto.createHash('sha256').update(data).digest();

const EMPTY = sha256(new Uint8Array(0));
/** 0x00 or 0x01 ‖ up to two 32-byte hashes; hashed (copied) before it is reused. */
const scratch = new Uint8Array(65);

function leaf(item: Uint8Array): Uint8Array {
  scratch[0] = 0;
  scratch.set(item, 1);
  return sha256(scratch.subarray(0, 1 + item.length));
}

function inner(left: Uint8Array, right: Uint8Array): Uint8Array {
  scratch[0] = 1;
  scratch.set(left, 1);
  scratch.set(right, 33);
  return sha256(scratch);
}

function root(leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return inner(root(leaves, from, from + k), root(leaves, from + k, to));
}

/** Txs.Hash: Merkle root of SHA-256(tx) for each tx; SHA-256("") for none. */
export function nativeDataHash(txs: readonly Uint8Array[]): Uint8Array {
  if (txs.length === 0) return new Uint8Array(EMPTY);
  const leaves = txs.map((tx) => leaf(sha256(tx)));
  return new Uint8Array(root(leaves, 0, leaves.length));
}
