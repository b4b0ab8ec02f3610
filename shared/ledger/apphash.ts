// AppHash (PROTOCOL.md §7.2): the Merkle trie root over leaves
//   leaf(key, value) = SHA-256(0x00 ‖ SHA-256(UTF-8(key)) ‖ SHA-256(canonical JSON of value))
// placed at path SHA-256(UTF-8(key)).
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalBytes, type Json } from './encoding/canonical';
import { utf8Encode } from './encoding/utf8';
import { MerkleTrie, referenceRoot } from './state/merkle';

export function keyPath(key: string): Uint8Array {
  return sha256(utf8Encode(key));
}

export function leafHash(path: Uint8Array, value: Json): Uint8Array {
  const buf = new Uint8Array(65);
  buf[0] = 0;
  buf.set(path, 1);
  buf.set(sha256(canonicalBytes(value)), 33);
  return sha256(buf);
}

/** The incremental commitment the machine keeps alongside its state. */
export class AppHasher {
  private readonly trie = new MerkleTrie();

  write(key: string, value: Json | null | undefined): void {
    const path = keyPath(key);
    if (value === null || value === undefined) this.trie.delete(path);
    else this.trie.set(path, leafHash(path, value));
  }

  root(): Uint8Array {
    return this.trie.rootHash();
  }

  get size(): number {
    return this.trie.size;
  }
}

/** Computes the AppHash of a whole state from scratch with the reference definition. */
export function appHashOf(entries: Iterable<[string, Json]>): Uint8Array {
  const leaves: { path: Uint8Array; hash: Uint8Array }[] = [];
  for (const [k, v] of entries) {
    const path = keyPath(k);
    leaves.push({ path, hash: leafHash(path, v) });
  }
  return referenceRoot(leaves);
}
