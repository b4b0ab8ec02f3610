// A party of the ledger, for the explorer: a key (patient pseudonym, member, proxy) or an
// organisation, with what the index knows about it and its transactions: what it signed, the
// consents of a patient, the accesses to a patient's records or on behalf of an organisation.
import type { FieldView, PartyView, TxSummaryView } from '../../../../shared/api';
import { getPatient, getTx, ledgerLists, type IndexDb, type LedgerListResult, type LedgerTx, type TxSummary } from '../../index';
import { describeTx } from './describe-tx';

const LIMIT = 100;
const f = (label: string, value: string, kind: FieldView['kind'] = 'text'): FieldView => ({ label, value: value.slice(0, 4000), kind });

export function summaryOf(ix: IndexDb, t: TxSummary | LedgerTx): TxSummaryView {
  const d = 'tx' in t ? t : getTx(ix, t.id); // a LedgerTx (or TxDetail) is the recorded copy, as getTx(t.id) answers
  const title = d ? describeTx(d.tx, d.result, () => null).title : `${t.kind ?? 'undecodable'} transaction`;
  return { id: t.id, height: t.height, index: t.index, kind: t.kind, title: title.slice(0, 300), signer: t.signer, code: Math.max(0, t.code) };
}

/** A group of transactions (newest first) from a ledger list. */
function txGroup(ix: IndexDb, title: string, list: LedgerListResult): PartyView['groups'][number] {
  return { title, total: list.total, txs: list.txs.map((t) => summaryOf(ix, t)) };
}

export function keyParty(ix: IndexDb, key: string): PartyView | null {
  const sql = ix.sql();
  const member = sql.get('SELECT org, roles, status, start_height, end_height, end_reason FROM members WHERE pubkey = ?', [key]);
  const patient = getPatient(ix, key);
  // One pass over the shards of this key's history (each loaded once).
  const lists = ledgerLists(ix, patient ? ['signed_by', 'consents_of_patient', 'accesses_to_patient'] : ['signed_by'], key, LIMIT);
  const signed = lists.signed_by;
  if (!member && !patient && signed.total === 0) return null;
  const facts: FieldView[] = [f('Public key', key, 'key')];
  const groups: PartyView['groups'] = [];
  if (member) {
    facts.push(f('Member of', String(member['org'])), f('Roles', String(member['roles']), 'list'), f('Status', String(member['status'])), f('Member since height', String(member['start_height']), 'height'));
    if (member['end_height'] !== null) facts.push(f('Membership ended at height', String(member['end_height']), 'height'), f('Reason', String(member['end_reason'] ?? '')));
  }
  if (patient) {
    facts.push(f('Patient pseudonym registered by', patient.org));
    if (patient.height > 0) facts.push(f('Registered at height', String(patient.height), 'height'));
    else facts.push(f('Registered', 'in the genesis'));
    groups.push(txGroup(ix, 'Consents of this patient', lists.consents_of_patient));
    groups.push(txGroup(ix, 'Accesses to this patient’s records', lists.accesses_to_patient));
  }
  groups.unshift(txGroup(ix, 'Signed by this key', signed));
  const title = member ? `Member of ${String(member['org'])}` : patient ? 'Patient pseudonym' : 'Key';
  return { title, facts, groups };
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
  const lists = ledgerLists(ix, ['accesses_for_org', 'consents_to'], id, LIMIT);
  return {
    title: String(o['name']),
    facts,
    groups: [
      txGroup(ix, 'Accesses on behalf of this organisation', lists.accesses_for_org),
      txGroup(ix, 'Consents granted to this organisation', lists.consents_to),
    ],
  };
}
