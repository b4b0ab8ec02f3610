// Key helpers for clients (workload generator, explorer, tests). Seeds never go on chain.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHexLower } from '../encoding/hex';
import { utf8Encode } from '../encoding/utf8';

export interface KeyPair {
  /** The 32-byte Ed25519 seed (RFC 8032 secret key). */
  seed: Uint8Array;
  publicKey: Uint8Array;
  /** Lower-case hex public key, as it appears in transactions and state. */
  pubkey: string;
}

/** The Ed25519 key pair for a 32-byte seed. */
export function keyFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new Error(`seed must be 32 bytes, got ${seed.length}`);
  const publicKey = ed25519.getPublicKey(seed);
  return { seed, publicKey, pubkey: toHexLower(publicKey) };
}

/** A 32-byte seed derived from a master seed and a label: SHA-256("custos-seed/v1" ‖ 0 ‖ master ‖ 0 ‖ label). */
export function deriveSeed(master: Uint8Array | string, label: string): Uint8Array {
  const m = typeof master === 'string' ? utf8Encode(master) : master;
  const tag = utf8Encode('custos-seed/v1');
  const l = utf8Encode(label);
  const buf = new Uint8Array(tag.length + 1 + m.length + 1 + l.length);
  buf.set(tag, 0);
  buf.set(m, tag.length + 1);
  buf.set(l, tag.length + 2 + m.length);
  return sha256(buf);
}
