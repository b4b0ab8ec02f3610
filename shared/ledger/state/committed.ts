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
