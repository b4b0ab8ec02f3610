// AppHash (PROTOCOL.md §7.2): the Merkle trie root over leaves
//   leaf(key, value) = SHA-256(0x00 ‖ SHA-256(UTF-8(key)) ‖ SHA-256(canonical JSON of value))
// placed at path SHA-256(UTF-8(key)).
import { canonicalString, type Json } from './encoding/canonical';
import { nodeHash, portableSha256, sha256Utf8, type Sha256 } from './hash';
import { MerkleTrie, referenceRoot } from './state/merkle';

export function keyPath(key: string, sha256: Sha256 = portableSha256): Uint8Array {
  return sha256Utf8(sha256, key);
}

export function leafHash(path: Uint8Array, value: Json, sha256: Sha256 = portableSha256): Uint8Array {
  // canonicalString refuses lone surrogates, so its text is always well-formed.
  return nodeHash(0, path, sha256(canonicalString(value)));
}

/** The incremental commitment the machine keeps alongside its state. */
export class AppHasher {
  private readonly trie = new MerkleTrie();

  constructor(private readonly sha256: Sha256 = portableSha256) {}

  write(key: string, value: Json | null | undefined): void {
    const path = keyPath(key, this.sha256);
    if (value === null || value === undefined) this.trie.delete(path);
    else this.trie.set(path, leafHash(path, value, this.sha256));
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
