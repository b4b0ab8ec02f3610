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

/**
 * Pending writes over a parent; `null` marks a deletion. One per block; a transaction writes
 * into it between begin() and keep() or undo(), which takes back exactly that transaction's
 * writes (§2.9 step 7), leaving the map as it was, member order included.
 */
export class Overlay implements Reader {
  readonly writes = new Map<string, Json | null>();
  private journaling = false;
  /** Keys written since begin(), and what each held before (undefined: nothing pending). */
  private readonly keys: string[] = [];
  private readonly prior: (Json | null | undefined)[] = [];

  constructor(readonly parent: Reader) {}

  get(key: string): Json | undefined {
    const w = this.writes.get(key);
    if (w !== undefined) return w === null ? undefined : w;
    return this.parent.get(key);
  }

  set(key: string, value: Json): void {
    this.write(key, value);
  }

  delete(key: string): void {
    this.write(key, null);
  }

  begin(): void {
    this.journaling = true;
    this.keys.length = 0;
    this.prior.length = 0;
  }

  keep(): void {
    this.journaling = false;
  }

  undo(): void {
    for (let i = this.keys.length - 1; i >= 0; i--) {
      const p = this.prior[i];
      if (p === undefined) this.writes.delete(this.keys[i]!);
      else this.writes.set(this.keys[i]!, p);
    }
    this.journaling = false;
  }

  private write(key: string, value: Json | null): void {
    if (this.journaling) {
      this.keys.push(key);
      this.prior.push(this.writes.get(key));
    }
    this.writes.set(key, value);
  }
}
