// A party of the ledger, for the explorer: a key (patient pseudonym, member, proxy) or an
// organisation, with what the index knows about it and its transactions: what it signed, the
// consents of a patient, the accesses to a patient's records or on behalf of an organisation.
import type { FieldView, PartyView, TxSummaryView } from '../../../../shared/api';
import { getTx, listTxs, type IndexDb, type TxSummary } from '../../index';
import { describeTx } from './describe-tx';

const LIMIT = 100;
const f = (label: string, value: string, kind: FieldView['kind'] = 'text'): FieldView => ({ label, value: value.slice(0, 4000), kind });

export function summaryOf(ix: IndexDb, t: TxSummary): TxSummaryView {
  const d = getTx(ix, t.id);
  const title = d ? describeTx(d.tx, d.result, () => null).title : `${t.kind ?? 'undecodable'} transaction`;
  return { id: t.id, height: t.height, index: t.index, kind: t.kind, title: title.slice(0, 300), signer: t.signer, code: Math.max(0, t.code) };
}

/** Transactions by id (newest first), from rows of a ledger table whose `id` is a tx id. */
function txGroup(ix: IndexDb, title: string, where: string, param: string): PartyView['groups'][number] {
  const sql = ix.sql();
  const total = Number(sql.value(`SELECT count(*) FROM ${where}`, [param]) ?? 0);
  const ids = sql.all(`SELECT id FROM ${where} ORDER BY height DESC LIMIT ${LIMIT}`, [param]).map((r) => String(r['id']));
  const txs: TxSummaryView[] = [];
  for (const id of ids) {
    const d = getTx(ix, id);
    if (d) txs.push(summaryOf(ix, d));
  }
  return { title, total, txs };
}

export function keyParty(ix: IndexDb, key: string): PartyView | null {
  const sql = ix.sql();
  const member = sql.get('SELECT org, roles, status, start_height, end_height, end_reason FROM members WHERE pubkey = ?', [key]);
  const patient = sql.get('SELECT org, height FROM patients WHERE pubkey = ?', [key]);
  const signed = listTxs(ix, { signer: key, limit: LIMIT, order: 'desc' });
  if (!member && !patient && signed.total === 0) return null;
  const facts: FieldView[] = [f('Public key', key, 'key')];
  const groups: PartyView['groups'] = [];
  if (member) {
    facts.push(f('Member of', String(member['org'])), f('Roles', String(member['roles']), 'list'), f('Status', String(member['status'])), f('Member since height', String(member['start_height']), 'height'));
    if (member['end_height'] !== null) facts.push(f('Membership ended at height', String(member['end_height']), 'height'), f('Reason', String(member['end_reason'] ?? '')));
  }
  if (patient) {
    facts.push(f('Patient pseudonym registered by', String(patient['org'])));
    if (Number(patient['height']) > 0) facts.push(f('Registered at height', String(patient['height']), 'height'));
    else facts.push(f('Registered', 'in the genesis'));
    groups.push(txGroupConsents(ix, key));
    groups.push(txGroup(ix, 'Accesses to this patient’s records', 'accesses WHERE patient = ?', key));
  }
  groups.unshift({ title: 'Signed by this key', total: signed.total, txs: signed.items.map((t) => summaryOf(ix, t)) });
  const title = member ? `Member of ${String(member['org'])}` : patient ? 'Patient pseudonym' : 'Key';
  return { title, facts, groups };
}

/** Consents have no `height` column of their own name; they are ordered by the grant height. */
function txGroupConsents(ix: IndexDb, key: string): PartyView['groups'][number] {
  const sql = ix.sql();
  const total = Number(sql.value('SELECT count(*) FROM consents WHERE patient = ?', [key]) ?? 0);
  const ids = sql.all(`SELECT id FROM consents WHERE patient = ? ORDER BY granted_height DESC LIMIT ${LIMIT}`, [key]).map((r) => String(r['id']));
  const txs = ids.map((id) => getTx(ix, id)).filter((d) => d !== null).map((d) => summaryOf(ix, d));
  return { title: 'Consents of this patient', total, txs };
}

export function orgParty(ix: IndexDb, id: string): PartyView | null {
  const sql = ix.sql();
  const o = sql.get('SELECT id, name, kind, status, admitted_height, removed_height FROM organisations WHERE id = ?', [id]);
  if (!o) return null;
  const facts: FieldView[] = [
    f('Organisation id', String(o['id'])), f('Name', String(o['name'])), f('Kind', String(o['kind'])), f('Status', String(o['status'])),
    Number(o['admitted_height']) > 0 ? f('Admitted at height', String(o['admitted_height']), 'height') : f('Admitted', 'in the genesis'),
  ];
  if (o['removed_height'] !== null) facts.push(f('Removed at height', String(o['removed_height']), 'height'));
  const members = sql.all('SELECT pubkey, roles, status FROM members WHERE org = ? ORDER BY status, roles, pubkey LIMIT 60', [id]);
  const memberCount = Number(sql.value('SELECT count(*) FROM members WHERE org = ?', [id]) ?? 0);
  facts.push(f('Members', String(memberCount)));
  for (const m of members) facts.push(f(`${String(m['roles'])}${m['status'] === 'active' ? '' : ` (${String(m['status'])})`}`, String(m['pubkey']), 'key'));
  const consentsTo = sql.all(`SELECT id FROM consents WHERE grantee = ? ORDER BY granted_height DESC LIMIT ${LIMIT}`, [id]).map((r) => String(r['id']));
  const consentTotal = Number(sql.value('SELECT count(*) FROM consents WHERE grantee = ?', [id]) ?? 0);
  return {
    title: String(o['name']),
    facts,
    groups: [
      txGroup(ix, 'Accesses on behalf of this organisation', 'accesses WHERE org = ?', id),
      { title: 'Consents granted to this organisation', total: consentTotal, txs: consentsTo.map((c) => getTx(ix, c)).filter((d) => d !== null).map((d) => summaryOf(ix, d)) },
    ],
  };
}
