// Record kinds: one per CometBFT JSON-RPC result stored per height.
// To add a kind, give it a new code (never reuse one); `required` kinds make a height complete.

export const KINDS = {
  block: { code: 1, required: true },          // /block result
  commit: { code: 2, required: true },         // /commit result
  validators: { code: 3, required: true },     // /validators result (all pages merged by the sync)
  block_results: { code: 4, required: true },  // /block_results result
} as const;

export type RecordKind = keyof typeof KINDS;

/** Kinds in code order; the in-memory index has one slot per entry. */
export const KIND_LIST: readonly RecordKind[] = (Object.keys(KINDS) as RecordKind[]).sort((a, b) => KINDS[a].code - KINDS[b].code);
export const REQUIRED_KINDS: readonly RecordKind[] = KIND_LIST.filter((k) => KINDS[k].required);

const byCode = new Map<number, RecordKind>(KIND_LIST.map((k) => [KINDS[k].code, k]));

export function kindOfCode(code: number): RecordKind | undefined {
  return byCode.get(code);
}

export function kindSlot(kind: RecordKind): number {
  const i = KIND_LIST.indexOf(kind);
  if (i < 0) throw new TypeError(`unknown record kind ${String(kind)}`);
  return i;
}

export function isRecordKind(k: unknown): k is RecordKind {
  return typeof k === 'string' && Object.hasOwn(KINDS, k);
}
