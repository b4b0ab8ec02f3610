// ABCI events as /block_results prints them in CometBFT 0.38: {type, attributes: [{key, value,
// index}]}, values as plain strings (PROTOCOL.md §8 lists the ledger's events and attributes).
import { IndexDataError } from './errors';

export interface LedgerEvent {
  type: string;
  attrs: Map<string, string>;
}

export function normalizeEvents(raw: unknown, height: number, where: string): LedgerEvent[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new IndexDataError(height, where, 'events must be an array');
  return raw.map((e, i) => {
    const o = e as { type?: unknown; attributes?: unknown };
    if (typeof o !== 'object' || o === null || typeof o.type !== 'string') throw new IndexDataError(height, `${where}[${i}]`, 'an event needs a string type');
    const attrs = new Map<string, string>();
    if (o.attributes !== null && o.attributes !== undefined) {
      if (!Array.isArray(o.attributes)) throw new IndexDataError(height, `${where}[${i}].attributes`, 'must be an array');
      for (const a of o.attributes as { key?: unknown; value?: unknown }[]) {
        if (typeof a?.key !== 'string') throw new IndexDataError(height, `${where}[${i}].attributes`, 'an attribute needs a string key');
        attrs.set(a.key, typeof a.value === 'string' ? a.value : '');
      }
    }
    return { type: o.type, attrs };
  });
}

/** Typed attribute reads that name the event and key when something is missing. */
export class Attrs {
  constructor(private readonly ev: LedgerEvent, private readonly height: number) {}

  str(key: string): string {
    const v = this.ev.attrs.get(key);
    if (v === undefined) throw new IndexDataError(this.height, `${this.ev.type}.${key}`, 'attribute is missing');
    return v;
  }

  opt(key: string): string | null {
    return this.ev.attrs.get(key) ?? null;
  }

  int(key: string): number {
    const v = this.str(key);
    if (!/^(0|-?[1-9][0-9]*)$/.test(v) || !Number.isSafeInteger(Number(v))) throw new IndexDataError(this.height, `${this.ev.type}.${key}`, `not an integer: ${JSON.stringify(v)}`);
    return Number(v);
  }

  optInt(key: string): number | null {
    return this.ev.attrs.has(key) ? this.int(key) : null;
  }

  bool(key: string): boolean {
    return this.str(key) === 'true';
  }
}
