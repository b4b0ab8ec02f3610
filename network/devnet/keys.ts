// Deterministic devnet keys in CometBFT's key-file formats, derived from a seed so that a
// devnet, its genesis and every test built on it are reproducible.
//   privval/file.go FilePVKey (priv_validator_key.json), p2p/key.go NodeKey (node_key.json)
//   crypto/ed25519/ed25519.go: PrivKey = seed(32) || pubkey(32); Address = SHA-256(pubkey)[:20]
//   p2p/key.go PubKeyToID: node id = hex(Address), lower case
// These keys are public by construction: devnet use only.
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';

export interface Ed25519Key {
  seed: Uint8Array;
  pubKey: Uint8Array;
  /** 20-byte address, upper-case hex as CometBFT prints it. */
  address: string;
}

export function deriveKey(devnetSeed: string, role: 'validator' | 'node', index: number): Ed25519Key {
  const seed = new Uint8Array(createHash('sha256').update(`custos-devnet/${devnetSeed}/${role}/${index}`).digest());
  const pubKey = ed25519.getPublicKey(seed);
  return { seed, pubKey, address: addressOf(pubKey) };
}

export function addressOf(pubKey: Uint8Array): string {
  return createHash('sha256').update(pubKey).digest().subarray(0, 20).toString('hex').toUpperCase();
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export function privValidatorKeyJson(k: Ed25519Key): string {
  const priv = new Uint8Array(64);
  priv.set(k.seed, 0);
  priv.set(k.pubKey, 32);
  return JSON.stringify(
    {
      address: k.address,
      pub_key: { type: 'tendermint/PubKeyEd25519', value: b64(k.pubKey) },
      priv_key: { type: 'tendermint/PrivKeyEd25519', value: b64(priv) },
    },
    null,
    2,
  );
}

export function nodeKeyJson(k: Ed25519Key): string {
  const priv = new Uint8Array(64);
  priv.set(k.seed, 0);
  priv.set(k.pubKey, 32);
  return JSON.stringify({ priv_key: { type: 'tendermint/PrivKeyEd25519', value: b64(priv) } });
}

/** p2p/key.go: the node id is the lower-case hex of the node key's address. */
export function nodeId(k: Ed25519Key): string {
  return k.address.toLowerCase();
}

/** privval/file.go FilePVLastSignState at genesis. */
export const PRIV_VALIDATOR_STATE_JSON = JSON.stringify({ height: '0', round: 0, step: 0 }, null, 2);
