import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { addressOf, deriveKey, nodeId, nodeKeyJson, privValidatorKeyJson } from './keys';

// Vectors from `cometbft init` / `cometbft show-node-id` (v0.38.26).
const CMT_PRIV_VALIDATOR = {
  address: 'FDA0B60A5A656EF7876A78184940380B321734FD',
  pub: 'iEIQPfw1X74U88wRAC6hmMRF7e/DKn1rAnLXwHux4Kk=',
  priv: 'fu7WNSU7tnYRSuGAzTRtnmmikf9YaOL5IkcU8Ve6pXqIQhA9/DVfvhTzzBEALqGYxEXt78MqfWsCctfAe7HgqQ==',
};
const CMT_NODE_KEY = {
  priv: 'J8uCD/WydmVRuELKxJjQ4WIrx8qGwaC55nPbEE4646SsyHer6ENcIkFDfil9PaDg+dZpJR2fLSBxFDk+nH1L1g==',
  id: '9b1c30cddb83c7aa0d445b5695c7c4c6efbe1b12',
};

describe('devnet keys in CometBFT formats', () => {
  it('derives the address as SHA-256(pubkey)[:20] (crypto/ed25519 PubKey.Address)', () => {
    expect(addressOf(Buffer.from(CMT_PRIV_VALIDATOR.pub, 'base64'))).toBe(CMT_PRIV_VALIDATOR.address);
  });

  it('lays out priv_key as seed || pubkey, as cometbft does', () => {
    const priv = Buffer.from(CMT_PRIV_VALIDATOR.priv, 'base64');
    expect(Buffer.from(ed25519.getPublicKey(priv.subarray(0, 32))).toString('base64')).toBe(CMT_PRIV_VALIDATOR.pub);
    const seed = new Uint8Array(priv.subarray(0, 32));
    const k = { seed, pubKey: ed25519.getPublicKey(seed), address: CMT_PRIV_VALIDATOR.address };
    expect(JSON.parse(privValidatorKeyJson(k))).toEqual({
      address: CMT_PRIV_VALIDATOR.address,
      pub_key: { type: 'tendermint/PubKeyEd25519', value: CMT_PRIV_VALIDATOR.pub },
      priv_key: { type: 'tendermint/PrivKeyEd25519', value: CMT_PRIV_VALIDATOR.priv },
    });
  });

  it('computes the node id like p2p/key.go PubKeyToID', () => {
    const priv = Buffer.from(CMT_NODE_KEY.priv, 'base64');
    const seed = new Uint8Array(priv.subarray(0, 32));
    const pubKey = ed25519.getPublicKey(seed);
    const k = { seed, pubKey, address: addressOf(pubKey) };
    expect(nodeId(k)).toBe(CMT_NODE_KEY.id);
    expect(JSON.parse(nodeKeyJson(k)).priv_key.value).toBe(CMT_NODE_KEY.priv);
  });

  it('is deterministic per seed, role and index', () => {
    expect(deriveKey('s', 'validator', 0).address).toBe(deriveKey('s', 'validator', 0).address);
    expect(deriveKey('s', 'validator', 0).address).not.toBe(deriveKey('s', 'node', 0).address);
    expect(deriveKey('s', 'validator', 0).address).not.toBe(deriveKey('t', 'validator', 0).address);
  });
});
