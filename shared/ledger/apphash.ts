// AppHash (PROTOCOL.md §7.2): the Merkle trie root over leaves
//   leaf(key, value) = SHA-256(0x00 ‖ SHA-256(UTF-8(key)) ‖ SHA-256(canonical JSON of value))
// placed at path SHA-256(UTF-8(key)).
import { canonicalString, type Json } from './encoding/canonical';
import { nodeHash, portableSha256, sha256Utf8, sha256WordsOf, type Sha256 } from './hash';
import type { CommittedState, StateCommitment } from './state/committed';
import { MerkleTrie, referenceRoot } from './state/merkle';

export function keyPath(key: string, sha256: Sha256 = portableSha256): Uint8Array {
  return sha256Utf8(sha256, key);
}

export function leafHash(path: Uint8Array, value: Json, sha256: Sha256 = portableSha256): Uint8Array {
  // canonicalString refuses lone surrogates, so its text is always well-formed.
  return nodeHash(0, path, sha256(canonicalString(value)));
}

/**
 * The incremental commitment the machine keeps alongside its state. `host` (MachineOptions.sha256)
 * hashes the longer keys and values; short ones are hashed portably (hash.ts withHost).
 */
export class AppHasher implements StateCommitment {
  private readonly trie = new MerkleTrie();
  /** Path words at 0, value-hash words at 8. */
  private readonly w = new Int32Array(16);

  constructor(private readonly host?: Sha256) {}

  /** The trie of every entry of `state`, built in memory. */
  static of(state: CommittedState, host?: Sha256): AppHasher {
    const h = new AppHasher(host);
    state.forEachCanonical((k, c) => h.writeCanonical(k, c));
    return h;
  }

  write(key: string, value: Json | null | undefined): void {
    this.writeCanonical(key, value === null || value === undefined ? null : canonicalString(value));
  }

  /**
   * As write(), given the value's canonical JSON: text from canonicalString (which refuses lone
   * surrogates, so it is well-formed), or its UTF-8 bytes; null deletes.
   */
  writeCanonical(key: string, canonical: string | Uint8Array | null): void {
    sha256WordsOf(this.host, key, this.w, 0);
    if (canonical === null) {
      const n = this.trie.find(this.w, 0);
      if (n >= 0) this.trie.removeLeaf(n);
      return;
    }
    sha256WordsOf(this.host, canonical, this.w, 8, true);
    this.trie.setLeafValueHash(this.trie.leafAt(this.w, 0), this.w, 8);
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
