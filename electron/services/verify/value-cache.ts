// A bounded cache of parsed state values (disk-state.ts): CLOCK replacement over a fixed ring (a hit sets the entry's bit; the hand evicts the first
// entry without one, clearing bits as it passes), so a hit costs one Map lookup and nothing is
// allocated per entry beyond the key and its value.
import type { Json } from '../../../shared/ledger/encoding/canonical';

export class ValueCache {
  private readonly at = new Map<string, number>();
  private readonly keys: (string | undefined)[];
  private readonly values: (Json | undefined)[];
  private readonly used: Uint8Array;
  private hand = 0;

  constructor(readonly capacity: number) {
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.values = new Array<Json | undefined>(capacity).fill(undefined);
    this.used = new Uint8Array(capacity);
  }

  get size(): number {
    return this.at.size;
  }

  /** The entry's position (for value/set), or -1. Counts as a use. */
  find(key: string): number {
    const i = this.at.get(key);
    if (i === undefined) return -1;
    this.used[i] = 1;
    return i;
  }

  value(i: number): Json {
    return this.values[i]!;
  }

  /** Replaces the value at a position (the key's new value). */
  set(i: number, value: Json): void {
    this.values[i] = value;
    this.used[i] = 1;
  }

  /** Adds a key that is not in the cache, evicting one if full. */
  add(key: string, value: Json): void {
    let i = this.hand;
    if (this.at.size >= this.capacity) {
      while (this.used[i]) {
        this.used[i] = 0;
        i = i + 1 === this.capacity ? 0 : i + 1;
      }
      this.at.delete(this.keys[i]!);
    } else {
      while (this.keys[i] !== undefined) i = i + 1 === this.capacity ? 0 : i + 1;
    }
    this.hand = i + 1 === this.capacity ? 0 : i + 1;
    this.keys[i] = key;
    this.values[i] = value;
    this.used[i] = 0;
    this.at.set(key, i);
  }

  delete(key: string): void {
    const i = this.at.get(key);
    if (i === undefined) return;
    this.at.delete(key);
    this.keys[i] = undefined;
    this.values[i] = undefined;
    this.used[i] = 0;
  }
}
