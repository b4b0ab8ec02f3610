// Consents, after FHIR Consent (PROTOCOL.md §5.9–§5.10): a patient (or their proxy) permits a
// grantee to use a scope of records for listed purposes during a period of block time.
import { Code, fail } from '../codes';
import { event } from '../abci-event';
import { K, type Consent } from '../state';
import type { ConsentGrantBody, ConsentRevokeBody } from '../tx/types';
import type { TxContext } from './context';
import { requirePatientOrProxy } from './identity';

/** §5.9 consent.grant. The consent id is the transaction id. */
export function consentGrant(ctx: TxContext, b: ConsentGrantBody): void {
  if (!ctx.st.patient(b.patient)) fail(Code.NOT_FOUND, 'patient is not registered');
  const viaProxy = requirePatientOrProxy(ctx, b.patient);
  for (const [i, p] of b.purposes.entries()) {
    if (!(p in ctx.policy.purposes)) fail(Code.POLICY_LIMIT, `body.purposes[${i}]: ${p} is not in policy.purposes`);
  }
  if (b.period.end - b.period.start > ctx.policy.max_consent_seconds) {
    fail(Code.POLICY_LIMIT, `body.period: longer than policy.max_consent_seconds (${ctx.policy.max_consent_seconds})`);
  }
  if (b.period.end <= ctx.time) fail(Code.INVALID_STATE, 'body.period.end is not after the current block time');
  const g = b.grantee;
  if (g.kind === 'org' && !ctx.st.org(g.org)) fail(Code.NOT_FOUND, `body.grantee.org: no organisation ${g.org}`);
  if (g.kind === 'role' && g.org !== undefined && !ctx.st.org(g.org)) fail(Code.NOT_FOUND, `body.grantee.org: no organisation ${g.org}`);
  if (g.kind === 'member' && !ctx.st.member(g.member)) fail(Code.NOT_FOUND, `body.grantee.member: no member ${g.member}`);
  if (b.scope.kind === 'records') {
    for (const [i, id] of b.scope.records.entries()) {
      const r = ctx.st.record(id);
      if (!r) fail(Code.NOT_FOUND, `body.scope.records[${i}]: no record ${id}`);
      if (r.patient !== b.patient) fail(Code.INVALID_STATE, `body.scope.records[${i}]: record belongs to another patient`);
    }
  }
  const c: Consent = {
    id: ctx.txId, patient: b.patient, grantor: ctx.signer, grantor_is_proxy: viaProxy, grantee: g, scope: b.scope,
    purposes: b.purposes, period: b.period, status: 'active', granted_height: ctx.height, granted_time: ctx.time,
  };
  ctx.st.put(K.consent(c.id), c);
  ctx.data = { consent_id: c.id };
  ctx.events.push(event('consent_grant', {
    consent_id: c.id, patient: b.patient, grantor: ctx.signer, via_proxy: viaProxy, grantee_kind: g.kind,
    grantee: g.kind === 'org' ? g.org : g.kind === 'member' ? g.member : g.org ? `${g.role}@${g.org}` : g.role,
    scope: b.scope.kind, purposes: b.purposes, start: b.period.start, end: b.period.end,
  }));
}

/** §5.10 consent.revoke: effective from this block on; the consent itself stays on record. */
export function consentRevoke(ctx: TxContext, b: ConsentRevokeBody): void {
  const c = ctx.st.consent(b.consent_id);
  if (!c) fail(Code.NOT_FOUND, `no consent ${b.consent_id}`);
  requirePatientOrProxy(ctx, c.patient);
  if (c.status !== 'active') fail(Code.INVALID_STATE, 'consent already revoked');
  ctx.st.put(K.consent(c.id), { ...c, status: 'revoked', revoked_height: ctx.height, revoked_time: ctx.time, revoked_by: ctx.signer });
  ctx.data = { consent_id: c.id };
  ctx.events.push(event('consent_revoke', { consent_id: c.id, patient: c.patient, by: ctx.signer }));
}
