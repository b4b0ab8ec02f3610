// ABCI events (PROTOCOL.md §8). Attribute values are strings; all attributes are indexed.

export interface AbciEvent { type: string; attributes: { key: string; value: string; index: boolean }[] }

/** Builds an event; undefined attributes are left out, arrays are joined with commas. */
export function event(type: string, attrs: Record<string, string | number | boolean | string[] | undefined>): AbciEvent {
  const attributes: AbciEvent['attributes'] = [];
  for (const key in attrs) {
    const v = attrs[key];
    if (v === undefined) continue;
    attributes.push({ key, value: Array.isArray(v) ? v.join(',') : String(v), index: true });
  }
  return { type, attributes };
}
