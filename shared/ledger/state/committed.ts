// The committed state (PROTOCOL.md §7.1, §11.4): where the values of the last committed block
// live. The machine reads it through get() and changes it only through apply(), once per
// Commit. MapState keeps every value in memory (the ABCI app, the tests); a host may keep them
// elsewhere, e.g. the console's verifier on disk (electron/services/verify/disk-state.ts).
import { canonicalString, type Json } from '../encoding/canonical';
import type { Reader } from './store';

/**
 * The host's committed state failed (e.g. its disk), not the ledger: whoever replays blocks must
 * not take it for a verdict on them (shared/verify ChainVerifier lets it through).
 */
export class CommittedStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommittedStateError';
  }
}

/**
 * The §7.2 commitment over a state's entries: the root of its Merkle trie. The machine writes
 * each block into it before the block is committed (AppHasher in memory; a host may keep one on
 * disk, state/bucketed.ts).
 */
export interface StateCommitment {
  /** A write: the value's canonical JSON (text from canonicalString, or its UTF-8 bytes); null deletes. */
  writeCanonical(key: string, canonical: string | Uint8Array | null): void;
  /** The root over every entry, writes not yet committed included. */
  root(): Uint8Array;
  /** Entries, writes not yet committed included. */
  readonly size: number;
  /** Drops every write since the state last applied a block (else the machine writes the committed values back). */
  discard?(): void;
}

/** One write of a block: `value` null deletes; `canonical` is canonicalString(value) (the AppHash computed it already). */
export interface StateWrite {
  key: string;
  value: Json | null;
  canonical: string | null;
}

export interface CommittedState extends Reader {
  /** The number of entries. */
  readonly size: number;
  get(key: string): Json | undefined;
  /** Commit: one block's writes, in order. */
  apply(writes: readonly StateWrite[]): void;
  /** Every key, in no particular order. */
  keys(): Iterable<string>;
  /** The canonical JSON of a key's value (for snapshots), or undefined. */
  canonical(key: string): string | undefined;
  /** Every entry's canonical JSON, as text or UTF-8 bytes, in no particular order (to rebuild the AppHash trie). */
  forEachCanonical(fn: (key: string, canonical: string | Uint8Array) => void): void;
  /**
   * The state's own commitment, kept with it (e.g. on disk, so its memory does not grow with the
   * state): it covers every entry applied. The machine then uses it instead of building an
   * AppHasher from forEachCanonical, and writes each block into it before apply(); apply() writes
   * in itself any write it was not given first (e.g. the genesis entries).
   */
  readonly commitment?: StateCommitment;
}

/** The committed state as one Map of the parsed values. */
export class MapState implements CommittedState {
  constructor(readonly map = new Map<string, Json>()) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): Json | undefined {
    return this.map.get(key);
  }

  apply(writes: readonly StateWrite[]): void {
    for (const w of writes) {
      if (w.value === null) this.map.delete(w.key);
      else this.map.set(w.key, w.value);
    }
  }

  keys(): Iterable<string> {
    return this.map.keys();
  }

  canonical(key: string): string | undefined {
    const v = this.map.get(key);
    return v === undefined ? undefined : canonicalString(v);
  }

  forEachCanonical(fn: (key: string, canonical: string | Uint8Array) => void): void {
    for (const [k, v] of this.map) fn(k, canonicalString(v));
  }
}
