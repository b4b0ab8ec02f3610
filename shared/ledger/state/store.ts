// Key-value state (PROTOCOL.md §7.1). Keys are ASCII strings; values are JSON objects that
// are treated as immutable (rules replace a value, they never mutate one in place).
import type { Json } from '../encoding/canonical';

export interface Reader {
  get(key: string): Json | undefined;
}

/** The committed state: a plain map. */
export class MapReader implements Reader {
  constructor(readonly map: Map<string, Json>) {}
  get(key: string): Json | undefined {
    return this.map.get(key);
  }
}

/** Pending writes over a parent; `null` marks a deletion. Used per block and per transaction. */
export class Overlay implements Reader {
  readonly writes = new Map<string, Json | null>();
  constructor(readonly parent: Reader) {}

  get(key: string): Json | undefined {
    const w = this.writes.get(key);
    if (w !== undefined) return w === null ? undefined : w;
    return this.parent.get(key);
  }

  set(key: string, value: Json): void {
    this.writes.set(key, value);
  }

  delete(key: string): void {
    this.writes.set(key, null);
  }

  /** Copies this overlay's writes into another overlay (a transaction's writes into its block). */
  mergeInto(target: Overlay): void {
    for (const [k, v] of this.writes) target.writes.set(k, v);
  }
}
