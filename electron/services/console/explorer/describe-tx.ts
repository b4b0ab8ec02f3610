// A consent-ledger transaction in the ledger's own terms (network/PROTOCOL.md §5): a title in
// a few words and the facts of its body, each typed so the renderer shows keys and hashes in
// monospace. `who` names keys the index knows (a member's organisation and roles).
import type { FieldView } from '../../../../shared/api';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const list = (v: unknown): string => (Array.isArray(v) ? v.map(str).join(', ') : str(v));
const short = (k: string): string => (k.length > 16 ? `${k.slice(0, 6)}…${k.slice(-4)}` : k);
const unix = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? new Date(v * 1000).toISOString().replace('.000Z', 'Z') : str(v));

export type Who = (key: string) => string | null;

export interface DescribedTx {
  title: string;
  fields: FieldView[];
}

function f(label: string, value: unknown, kind: FieldView['kind'] = 'text'): FieldView {
  return { label, value: (typeof value === 'string' ? value : str(value)).slice(0, 4000), kind };
}

function grantee(g: Json): string {
  switch (g.kind) {
    case 'org': return `organisation ${str(g.org)}`;
    case 'member': return `member ${short(str(g.member))}`;
    case 'role': return `role ${str(g.role)}${g.org ? ` at ${str(g.org)}` : ''}`;
    default: return str(g);
  }
}

function scope(sc: Json): string {
  switch (sc.kind) {
    case 'all': return 'all of the patient’s records';
    case 'records': return `${Array.isArray(sc.records) ? sc.records.length : 0} record(s)`;
    case 'resource_types': return `records of type ${list(sc.resource_types)}`;
    default: return str(sc);
  }
}

function proposal(c: Json): FieldView[] {
  switch (c.type) {
    case 'policy_change': return [f('Change', 'policy parameters'), ...Object.entries(obj(c.changes)).map(([k, v]) => f(`  ${k}`, str(v)))];
    case 'org_admit': return [f('Change', 'admit an organisation'), f('Organisation', `${str(obj(c.org).id)} (${str(obj(c.org).name)}, ${str(obj(c.org).kind)})`), f('Admin key', str(c.admin), 'key')];
    case 'org_remove': return [f('Change', 'remove an organisation'), f('Organisation', str(c.org_id))];
    case 'validator_update':
      return [f('Change', 'validator set'), ...(Array.isArray(c.updates) ? c.updates : []).map((u) => f(Number(obj(u).power) === 0 ? 'Remove validator' : `Validator, power ${str(obj(u).power)}`, str(obj(u).pub_key), 'key'))];
    case 'board_change': return [f('Change', 'governance board'), f('Add', list(c.add), 'list'), f('Remove', list(c.remove), 'list')];
    default: return [f('Content', str(c))];
  }
}

/** The title and body facts of one decoded transaction (null tx: the bytes did not decode). */
export function describeTx(tx: unknown, result: unknown, who: Who): DescribedTx {
  const t = obj(tx);
  const b = obj(t.body);
  const r = obj(result);
  const kind = str(t.kind);
  const signer = str(t.signer);
  const signerWho = who(signer);
  const head = [f('Kind', kind || 'undecodable'), f('Signer', signer, 'key'), ...(signerWho ? [f('Signer is', signerWho)] : []), f('Nonce', str(t.nonce))];
  const body = (title: string, fields: FieldView[]): DescribedTx => ({ title: title.charAt(0).toUpperCase() + title.slice(1), fields: [...head, ...fields] });
  switch (kind) {
    case 'member.add': return body(`member ${short(str(b.pubkey))} added as ${list(b.roles)}`, [f('Member', str(b.pubkey), 'key'), f('Roles', list(b.roles), 'list')]);
    case 'member.roles': return body(`member ${short(str(b.pubkey))} now ${list(b.roles)}`, [f('Member', str(b.pubkey), 'key'), f('Roles', list(b.roles), 'list')]);
    case 'member.end': return body(`membership of ${short(str(b.pubkey))} ended (${str(b.reason)})`, [f('Member', str(b.pubkey), 'key'), f('Reason', str(b.reason))]);
    case 'patient.register': return body(`patient ${short(str(b.patient))} registered`, [f('Patient pseudonym', str(b.patient), 'key')]);
    case 'proxy.grant':
      return body(`${str(b.relationship)} ${short(str(b.proxy))} may act for patient ${short(signer)}`, [
        f('Patient pseudonym', signer, 'key'), f('Proxy', str(b.proxy), 'key'), f('Relationship', str(b.relationship)), ...(b.until !== undefined ? [f('Until', unix(b.until), 'time')] : []),
      ]);
    case 'proxy.revoke': return body(`proxy ${short(str(b.proxy))} revoked`, [f('Patient pseudonym', str(b.patient), 'key'), f('Proxy', str(b.proxy), 'key')]);
    case 'record.anchor':
      return body(`${str(b.resource_type)} record anchored for patient ${short(str(b.patient))}`, [
        f('Patient pseudonym', str(b.patient), 'key'), f('Resource type', str(b.resource_type)), f('Off-chain resource', str(b.uri)), f('Resource SHA-256', str(b.sha256), 'hash'),
        ...(r.record_id ? [f('Record id', str(r.record_id), 'tx')] : []),
      ]);
    case 'record.amend':
      return body(`record ${short(str(b.record_id))} amended to version ${Number(b.prior_version) + 1} (${str(b.reason)})`, [
        f('Record id', str(b.record_id), 'tx'), f('Amends version', str(b.prior_version)), f('Reason', str(b.reason)), f('Off-chain resource', str(b.uri)), f('Resource SHA-256', str(b.sha256), 'hash'),
      ]);
    case 'consent.grant': {
      const g = obj(b.grantee);
      const p = obj(b.period);
      return body(`consent to ${grantee(g)} for ${list(b.purposes)}`, [
        f('Patient pseudonym', str(b.patient), 'key'), ...(signer !== str(b.patient) ? [f('Granted by proxy', signer, 'key')] : []),
        g.kind === 'org' ? f('Grantee organisation', str(g.org), 'org') : g.kind === 'member' ? f('Grantee member', str(g.member), 'key') : f('Grantee', grantee(g)), f('Scope', scope(obj(b.scope))), f('Purposes of use', list(b.purposes), 'list'),
        f('Valid from', unix(p.start), 'time'), f('Valid until', unix(p.end), 'time'), ...(r.consent_id ? [f('Consent id', str(r.consent_id), 'tx')] : []),
      ]);
    }
    case 'consent.revoke': return body(`consent ${short(str(b.consent_id))} revoked`, [f('Consent id', str(b.consent_id), 'tx')]);
    case 'access.record': {
      const bg = obj(b.break_glass);
      const decision = str(r.decision);
      return body(`${str(b.action)} of ${Array.isArray(b.records) ? b.records.length : 0} record(s) for ${str(b.purpose)}${decision ? `: ${decision.replace('_', '-')}` : ''}`, [
        f('Actor', signer, 'key'), f('On behalf of', str(b.org), 'org'), f('Action', str(b.action)), f('Declared purpose', str(b.purpose)),
        f('Records', list(b.records), 'list'),
        ...(b.consent_id ? [f('Consent relied on', str(b.consent_id), 'tx')] : []),
        ...(b.break_glass ? [f('Break-glass justification', str(bg.justification))] : []),
      ]);
    }
    case 'breakglass.review': return body(`break-glass access ${short(str(b.access_id))} reviewed: ${str(b.outcome)}`, [f('Access id', str(b.access_id), 'tx'), f('Outcome', str(b.outcome)), ...(b.note ? [f('Note', str(b.note))] : [])]);
    case 'gov.propose': return body(`proposal: ${str(b.title)}`, [f('Title', str(b.title)), f('Summary', str(b.summary)), ...proposal(obj(b.content)), ...(r.proposal_id !== undefined ? [f('Proposal', `#${str(r.proposal_id)}`), f('Voting ends at height', str(r.voting_end_height), 'height')] : [])]);
    case 'gov.vote': return body(`vote ${str(b.option)} on proposal #${str(b.proposal_id)}`, [f('Proposal', `#${str(b.proposal_id)}`), f('Vote', str(b.option))]);
    default: return { title: kind ? `${kind} transaction` : 'undecodable transaction', fields: head };
  }
}

/** What the ledger decided: code, log, and the decision of an access. */
export function describeOutcome(code: number, codespace: string, log: string, result: unknown): FieldView[] {
  const r = obj(result);
  const out: FieldView[] = [f('Result', code === 0 ? 'accepted (code 0)' : `refused (code ${code}${codespace ? `, ${codespace}` : ''})`, 'code')];
  if (log) out.push(f('Log', log));
  if (r.decision !== undefined) out.push(f('Ledger decision', str(r.decision).replace('_', '-')));
  if (r.reason !== undefined) out.push(f('Reason', str(r.reason).replace(/_/g, ' ')));
  if (r.access_id !== undefined) out.push(f('Access id', str(r.access_id), 'tx'));
  if (r.late !== undefined) out.push(f('Reviewed late', r.late ? 'yes' : 'no'));
  if (r.outcome !== undefined && r.decision === undefined) out.push(f('Outcome', str(r.outcome)));
  return out;
}

/** finalize_block_events (governance tallies, validator updates, executions) as typed facts. */
export function describeEvents(events: unknown[] | null): { type: string; fields: FieldView[] }[] {
  return (events ?? []).slice(0, 200).map((e) => {
    const o = obj(e);
    const attrs = Array.isArray(o.attributes) ? o.attributes.map(obj) : [];
    return {
      type: str(o.type).slice(0, 80),
      fields: attrs.slice(0, 40).map((a) => f(str(a.key), str(a.value), /^[0-9a-f]{64}$/i.test(str(a.value)) ? 'hash' : 'text')),
    };
  });
}
