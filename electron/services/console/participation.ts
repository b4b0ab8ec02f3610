// Validator participation over height, for the verification screen's heatmap and the PDF:
// from each height's stored /commit (who signed: BlockIDFlagCommit, voted nil, or absent) and
// /validators (who was in the set, with which power). Heights are grouped into at most
// `maxColumns` buckets; a cell is the share of the bucket's commits the validator signed, or
// -1 when it was not in the set at any height of the bucket. Changes of the set are listed at
// the first height that has the new set.
import type { ParticipationView } from '../../../shared/api';
import type { ReplicaStore } from '../store';

// types/block.go BlockIDFlag: 1 absent, 2 commit, 3 nil.
const FLAG_COMMIT = 2;

interface Row {
  address: string;
  pubKey: string;
  power: number;
  firstHeight: number;
  lastHeight: number;
  absent: number;
  signed: number[];
  inSet: number[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const dec = new TextDecoder();

export async function computeParticipation(store: Pick<ReplicaStore, 'iterate' | 'stats'>, maxColumns: number): Promise<ParticipationView | null> {
  const st = store.stats();
  const from = st.lowestHeight;
  const to = st.completeHeight;
  if (!from || to < from) return null;
  const span = to - from + 1;
  const bucketSize = Math.max(1, Math.ceil(span / maxColumns));
  const nBuckets = Math.ceil(span / bucketSize);
  const buckets = Array.from({ length: nBuckets }, (_, i) => ({ from: from + i * bucketSize, to: Math.min(to, from + (i + 1) * bucketSize - 1) }));
  const rows = new Map<string, Row>();
  const changes: ParticipationView['changes'] = [];
  let prevSet: Map<string, number> | null = null;

  for await (const { height, payloads } of store.iterate(from, to, { kinds: ['commit', 'validators'] })) {
    const b = Math.floor((height - from) / bucketSize);
    const vals = arr(obj(JSON.parse(dec.decode(payloads.validators!))).validators);
    const set = new Map<string, number>();
    for (const v of vals) {
      const o = obj(v);
      const address = String(o.address ?? '').toUpperCase();
      const power = Number(o.voting_power ?? 0);
      set.set(address, power);
      let row = rows.get(address);
      if (!row) {
        row = { address, pubKey: String(obj(o.pub_key).value ?? ''), power, firstHeight: height, lastHeight: height, absent: 0, signed: new Array<number>(nBuckets).fill(0), inSet: new Array<number>(nBuckets).fill(0) };
        rows.set(address, row);
      }
      row.power = power;
      row.lastHeight = height;
      row.inSet[b]!++;
    }
    const commit = obj(obj(obj(JSON.parse(dec.decode(payloads.commit!))).signed_header).commit);
    const signedBy = new Set<string>();
    for (const sig of arr(commit.signatures)) {
      const o = obj(sig);
      if (Number(o.block_id_flag) === FLAG_COMMIT) signedBy.add(String(o.validator_address ?? '').toUpperCase());
    }
    for (const address of set.keys()) {
      const row = rows.get(address)!;
      if (signedBy.has(address)) row.signed[b]!++;
      else row.absent++;
    }
    if (prevSet) {
      const added = [...set.keys()].filter((a) => !prevSet!.has(a));
      const removed = [...prevSet.keys()].filter((a) => !set.has(a));
      const powerChanged = [...set.keys()].filter((a) => prevSet!.has(a) && prevSet!.get(a) !== set.get(a));
      if (added.length || removed.length || powerChanged.length) changes.push({ height, added, removed, powerChanged });
    }
    prevSet = set;
  }

  const ordered = [...rows.values()].sort((a, b) => a.firstHeight - b.firstHeight || (a.address < b.address ? -1 : 1));
  return {
    from,
    to,
    bucketSize,
    validators: ordered.map((r) => ({ address: r.address, pubKey: r.pubKey, power: r.power, firstHeight: r.firstHeight, lastHeight: r.lastHeight, absent: r.absent })),
    buckets,
    cells: ordered.map((r) => r.signed.map((s, i) => (r.inSet[i] === 0 ? -1 : Math.round((1000 * s) / r.inSet[i]!) / 1000))),
    changes: changes.slice(0, 2000),
  };
}
