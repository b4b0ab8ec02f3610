// Access events, after FHIR AuditEvent / IHE BALP (PROTOCOL.md §5.11–§5.12). An access the
// rules deny is still recorded, with decision "deny" and the first failing reason, because
// auditors need to see it. Only unauthenticated or ill-formed requests are refused.
import { Code, fail } from '../codes';
import { event } from '../abci-event';
import { purposeCovers, type Policy } from '../policy';
import { K, type Access, type Consent, type Member, type RecordHead } from '../state';
import type { AccessRecordBody, BreakGlassReviewBody } from '../tx/types';
import { utf8Length } from '../tx/fields';
import type { Decision, DenyReason } from '../vocab';
import { hasAnyRole, requireTextWithinPolicy, type TxContext } from './context';

export interface AccessVerdict { decision: Decision; reason?: DenyReason; review_deadline?: number }

/** The §5.11 decision procedure; the first failing test gives the deny reason. */
export function decideAccess(
  policy: Policy, time: number, member: Member, memberActive: boolean, orgActive: boolean,
  b: AccessRecordBody, records: RecordHead[], patient: string, consent: Consent | undefined,
): AccessVerdict {
  const deny = (reason: DenyReason): AccessVerdict => ({ decision: 'deny', reason });
  if (!memberActive) return deny('member_inactive');
  if (!orgActive) return deny('org_inactive');
  if (b.org !== member.org) return deny('org_mismatch');
  if (!hasAnyRole(member.roles, policy.purpose_roles[b.purpose] ?? [])) return deny('role_not_permitted');
  if (b.break_glass) {
    if (!policy.break_glass_purposes.includes(b.purpose) || !hasAnyRole(member.roles, policy.break_glass_roles)) {
      return deny('break_glass_not_permitted');
    }
    return { decision: 'break_glass', review_deadline: time + policy.break_glass_review_seconds };
  }
  if (b.consent_id === undefined) return deny('no_consent');
  if (!consent) return deny('consent_not_found');
  if (consent.patient !== patient) return deny('consent_patient_mismatch');
  if (consent.status === 'revoked') return deny('consent_revoked');
  if (time < consent.period.start || time >= consent.period.end) return deny('consent_outside_period');
  const g = consent.grantee;
  const granteeOk =
    g.kind === 'org' ? g.org === member.org
      : g.kind === 'member' ? g.member === member.pubkey
        : member.roles.includes(g.role) && (g.org === undefined || g.org === member.org);
  if (!granteeOk) return deny('grantee_mismatch');
  const s = consent.scope;
  const scopeOk =
    s.kind === 'all' ? true
      : s.kind === 'records' ? records.every((r) => s.records.includes(r.id))
        : records.every((r) => (s.resource_types as string[]).includes(r.resource_type));
  if (!scopeOk) return deny('scope_mismatch');
  if (!consent.purposes.some((p) => purposeCovers(policy, p, b.purpose))) return deny('purpose_mismatch');
  return { decision: 'permit' };
}

/** §5.11 access.record. The access id is the transaction id. */
export function accessRecord(ctx: TxContext, b: AccessRecordBody): void {
  const member = ctx.st.member(ctx.signer);
  if (!member) fail(Code.UNAUTHORIZED, 'only organisation members record accesses');
  if (b.records.length > ctx.policy.max_records_per_access) {
    fail(Code.POLICY_LIMIT, `body.records: more than policy.max_records_per_access (${ctx.policy.max_records_per_access})`);
  }
  if (!(b.purpose in ctx.policy.purposes)) fail(Code.POLICY_LIMIT, `body.purpose: ${b.purpose} is not in policy.purposes`);
  requireTextWithinPolicy(ctx, b.break_glass?.justification, 'body.break_glass.justification', utf8Length);
  const records: RecordHead[] = [];
  for (const [i, id] of b.records.entries()) {
    const r = ctx.st.record(id);
    if (!r) fail(Code.NOT_FOUND, `body.records[${i}]: no record ${id}`);
    records.push(r);
  }
  const patient = records[0]!.patient;
  if (records.some((r) => r.patient !== patient)) fail(Code.INVALID_STATE, 'body.records: records of more than one patient');
  const org = ctx.st.org(member.org);
  const consent = b.consent_id !== undefined ? ctx.st.consent(b.consent_id) : undefined;
  const v = decideAccess(ctx.policy, ctx.time, member, member.status === 'active', org?.status === 'active', b, records, patient, consent);
  const a: Access = {
    id: ctx.txId, actor: ctx.signer, org: b.org, actor_org: member.org, patient, records: b.records, purpose: b.purpose,
    action: b.action, consent_id: b.consent_id, break_glass: b.break_glass, decision: v.decision, reason: v.reason,
    review_deadline: v.review_deadline, height: ctx.height, time: ctx.time,
  };
  ctx.st.put(K.access(a.id), a);
  ctx.data = { access_id: a.id, decision: v.decision, reason: v.reason, review_deadline: v.review_deadline };
  ctx.events.push(event('access_record', {
    access_id: a.id, actor: ctx.signer, org: b.org, patient, records: b.records, purpose: b.purpose, action: b.action,
    consent_id: b.consent_id, decision: v.decision, reason: v.reason, review_deadline: v.review_deadline,
  }));
}

/** §5.12 breakglass.review: an officer of the actor's organisation, or an auditor at a regulator, reviews once. */
export function breakGlassReview(ctx: TxContext, b: BreakGlassReviewBody): void {
  const a = ctx.st.access(b.access_id);
  if (!a) fail(Code.NOT_FOUND, `no access ${b.access_id}`);
  if (a.decision !== 'break_glass') fail(Code.INVALID_STATE, 'access is not a break-glass access');
  if (a.review) fail(Code.INVALID_STATE, 'access has already been reviewed');
  const m = ctx.st.activeMember(ctx.signer);
  if (!m || !hasAnyRole(m.roles, ctx.policy.review_roles)) fail(Code.UNAUTHORIZED, 'signer has no role in policy.review_roles');
  if (m.org !== a.actor_org && ctx.st.org(m.org)!.kind !== 'regulator') {
    fail(Code.UNAUTHORIZED, 'reviewer must belong to the actor\'s organisation or to a regulator');
  }
  if (ctx.signer === a.actor) fail(Code.UNAUTHORIZED, 'the actor cannot review their own break-glass access');
  requireTextWithinPolicy(ctx, b.note, 'body.note', utf8Length);
  const late = ctx.time > (a.review_deadline ?? 0);
  ctx.st.put(K.access(a.id), { ...a, review: { by: ctx.signer, outcome: b.outcome, note: b.note, height: ctx.height, time: ctx.time, late } });
  ctx.data = { access_id: a.id, outcome: b.outcome, late };
  ctx.events.push(event('breakglass_review', { access_id: a.id, actor: a.actor, reviewer: ctx.signer, outcome: b.outcome, late }));
}
