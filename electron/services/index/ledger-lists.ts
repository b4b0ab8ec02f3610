// The explorer's lists of a party's transactions, newest first: what a key signed, the consents
// of a patient or granted to an organisation, the accesses to a patient's records or on behalf
// of an organisation. A patient's rows are in the shards hex_keys names for its key; a signer's
// and an organisation's shards and counts come from the sealed shards' summaries. A ledger row's
// id is the id of the transaction that made it, at the same height, so in the same shard.
// Several lists of one party are read in one pass over its shards, each loaded once.
import type { IndexDb } from './index-db';
import type { TxSummary } from './query';
import { json, num, txSummary } from './row-views';
import type { Row } from './sql';
import { KeyClass } from './lookup';
import { shardsFor } from './scan';

export type LedgerList = 'signed_by' | 'consents_of_patient' | 'consents_to' | 'accesses_to_patient' | 'accesses_for_org';

/** A transaction with what the explorer's summaries need: the recorded copy (code 0), as getTx answers it. */
export interface LedgerTx extends TxSummary {
  tx: unknown;
  result: unknown;
}

const TX_COLS = 'id, height, idx, kind, signer, code, tx_json, result_json';

/** Each list: its count and newest rows in one shard (as one database ordered them), and where its shards come from. */
const LISTS: Record<LedgerList, { count: string; newest: string; ids: boolean; summary: string | null }> = {
  signed_by: {
    count: 'SELECT count(*) FROM txs WHERE signer = ?', ids: false, summary: 'signer',
    newest: `SELECT ${TX_COLS} FROM txs WHERE signer = ? ORDER BY height DESC, idx DESC LIMIT ?`, // as listTxs({ signer }) pages
  },
  consents_of_patient: { count: 'SELECT count(*) FROM consents WHERE patient = ?', newest: 'SELECT id FROM consents WHERE patient = ? ORDER BY granted_height DESC LIMIT ?', ids: true, summary: null },
  consents_to: { count: 'SELECT count(*) FROM consents WHERE grantee = ?', newest: 'SELECT id FROM consents WHERE grantee = ? ORDER BY granted_height DESC LIMIT ?', ids: true, summary: 'consent_grantee' },
  accesses_to_patient: { count: 'SELECT count(*) FROM accesses WHERE patient = ?', newest: 'SELECT id FROM accesses WHERE patient = ? ORDER BY height DESC LIMIT ?', ids: true, summary: null },
  accesses_for_org: { count: 'SELECT count(*) FROM accesses WHERE org = ?', newest: 'SELECT id FROM accesses WHERE org = ? ORDER BY height DESC LIMIT ?', ids: true, summary: 'access_org' },
};

export interface LedgerListResult {
  total: number;
  /** Newest first; a transaction the ledger refused (signed_by only) comes as a plain summary. */
  txs: (LedgerTx | TxSummary)[];
}

function recorded(r: Row): LedgerTx {
  return { ...txSummary(r), tx: json(r['tx_json']), result: json(r['result_json']) };
}

/** How many rows each list has, and the transactions of its newest `limit` rows. */
export function ledgerLists<L extends LedgerList>(ix: IndexDb, lists: readonly L[], key: string, limit: number): Record<L, LedgerListResult> {
  const open = ix.shards.open();
  const plan = lists.map((name) => {
    const l = LISTS[name];
    const param = name === 'signed_by' ? key.toLowerCase() : key;
    const shards = new Map<number, number | null>(); // shard → count (null: ask the shard)
    if (l.summary === null) {
      for (const s of shardsFor(ix, KeyClass.party, key)) shards.set(s, null);
    } else {
      for (const r of ix.sql().all('SELECT shard, n FROM shard_counts WHERE what = ? AND key = ?', [l.summary, param])) shards.set(num(r['shard']), num(r['n']));
      if (open) shards.set(open.id, null);
    }
    return { name, l, param, shards, out: { total: 0, txs: [] } as LedgerListResult };
  });
  const all = [...new Set(plan.flatMap((p) => [...p.shards.keys()]))].sort((a, b) => b - a);
  for (const id of all) {
    for (const { l, param, shards, out } of plan) {
      if (!shards.has(id)) continue;
      const n = shards.get(id) ?? num(ix.shards.sql(id).value(l.count, [param]));
      out.total += n;
      if (n === 0 || out.txs.length >= limit) continue;
      const sql = ix.shards.sql(id);
      for (const r of sql.all(l.newest, [param, limit - out.txs.length])) {
        if (!l.ids) {
          out.txs.push(num(r['code']) === 0 ? recorded(r) : txSummary(r));
          continue;
        }
        const t = sql.get(`SELECT ${TX_COLS} FROM txs WHERE id = ? AND code = 0 ORDER BY height, idx LIMIT 1`, [String(r['id'])]);
        if (t) out.txs.push(recorded(t));
      }
    }
  }
  return Object.fromEntries(plan.map((p) => [p.name, p.out])) as Record<L, LedgerListResult>;
}

/** One list (ledgerLists). */
export function ledgerTxs(ix: IndexDb, list: LedgerList, key: string, limit: number): LedgerListResult {
  return ledgerLists(ix, [list], key, limit)[list];
}
