// Members, patients and proxies (PROTOCOL.md §5.1–§5.6).
import { Code, fail } from '../codes';
import { event } from '../abci-event';
import { K, type Member, type Proxy } from '../state';
import type { MemberAddBody, MemberEndBody, MemberRolesBody, PatientRegisterBody, ProxyGrantBody, ProxyRevokeBody } from '../tx/types';
import { hasAnyRole, requireValidKey, type TxContext } from './context';

/** The signer as an active admin of an active organisation (§5.1). */
function requireAdmin(ctx: TxContext): Member {
  const admin = ctx.st.activeMember(ctx.signer);
  if (!admin || !admin.roles.includes('admin')) fail(Code.UNAUTHORIZED, 'signer is not an active admin of an active organisation');
  return admin;
}

/** §5.1 member.add: an org admin binds a new key to the org with roles. */
export function memberAdd(ctx: TxContext, b: MemberAddBody): void {
  const admin = requireAdmin(ctx);
  requireValidKey(ctx.validKey, b.pubkey, 'body.pubkey');
  if (ctx.st.member(b.pubkey)) fail(Code.ALREADY_EXISTS, `key ${b.pubkey} is already bound to a membership`);
  const m: Member = { pubkey: b.pubkey, org: admin.org, roles: b.roles, status: 'active', added_height: ctx.height, added_by: ctx.signer };
  ctx.st.put(K.member(b.pubkey), m);
  ctx.st.ensureAccount(b.pubkey);
  ctx.events.push(event('member_add', { member: b.pubkey, org: admin.org, roles: b.roles, by: ctx.signer }));
}

/** §5.2 member.roles: an org admin replaces an active member's roles. */
export function memberRoles(ctx: TxContext, b: MemberRolesBody): void {
  const admin = requireAdmin(ctx);
  const m = ctx.st.member(b.pubkey);
  if (!m) fail(Code.NOT_FOUND, `no member ${b.pubkey}`);
  if (m.org !== admin.org) fail(Code.UNAUTHORIZED, `member belongs to ${m.org}, signer administers ${admin.org}`);
  if (m.status !== 'active') fail(Code.INVALID_STATE, 'membership has ended');
  ctx.st.put(K.member(b.pubkey), { ...m, roles: b.roles });
  ctx.events.push(event('member_roles', { member: b.pubkey, org: m.org, roles: b.roles, by: ctx.signer }));
}

/** §5.3 member.end: the member, or an admin of the member's org, ends the membership. Nothing is erased. */
export function memberEnd(ctx: TxContext, b: MemberEndBody): void {
  const m = ctx.st.member(b.pubkey);
  if (!m) fail(Code.NOT_FOUND, `no member ${b.pubkey}`);
  if (ctx.signer !== b.pubkey) {
    const admin = requireAdmin(ctx);
    if (admin.org !== m.org) fail(Code.UNAUTHORIZED, `member belongs to ${m.org}, signer administers ${admin.org}`);
  }
  if (m.status !== 'active') fail(Code.INVALID_STATE, 'membership has already ended');
  ctx.st.put(K.member(b.pubkey), {
    ...m, status: 'ended', ended_height: ctx.height, ended_time: ctx.time, ended_by: ctx.signer, end_reason: b.reason,
  });
  ctx.events.push(event('member_end', { member: b.pubkey, org: m.org, reason: b.reason, by: ctx.signer }));
}

/** §5.4 patient.register: a care organisation enrols a pseudonymous patient key. */
export function patientRegister(ctx: TxContext, b: PatientRegisterBody): void {
  const m = ctx.st.activeMember(ctx.signer);
  if (!m || !hasAnyRole(m.roles, ctx.policy.register_roles)) fail(Code.UNAUTHORIZED, 'signer has no role in policy.register_roles');
  const org = ctx.st.org(m.org)!;
  if (!ctx.policy.custodian_kinds.includes(org.kind)) fail(Code.UNAUTHORIZED, `organisation kind ${org.kind} is not in policy.custodian_kinds`);
  requireValidKey(ctx.validKey, b.patient, 'body.patient');
  if (ctx.st.patient(b.patient)) fail(Code.ALREADY_EXISTS, 'patient already registered');
  ctx.st.put(K.patient(b.patient), { pubkey: b.patient, registered_by: ctx.signer, org: m.org, height: ctx.height });
  ctx.st.ensureAccount(b.patient);
  ctx.events.push(event('patient_register', { patient: b.patient, org: m.org, by: ctx.signer }));
}

/** §5.5 proxy.grant: a patient lets another key act for them (consents only). */
export function proxyGrant(ctx: TxContext, b: ProxyGrantBody): void {
  if (!ctx.st.patient(ctx.signer)) fail(Code.UNAUTHORIZED, 'signer is not a registered patient');
  if (b.proxy === ctx.signer) fail(Code.MALFORMED, 'body.proxy: a patient cannot be their own proxy');
  requireValidKey(ctx.validKey, b.proxy, 'body.proxy');
  if (b.until !== undefined && b.until <= ctx.time) fail(Code.INVALID_STATE, 'body.until is not after the current block time');
  const prior = ctx.st.proxy(ctx.signer, b.proxy);
  if (prior && proxyActive(prior, ctx.time)) fail(Code.ALREADY_EXISTS, 'this proxy is already active');
  const p: Proxy = {
    patient: ctx.signer, proxy: b.proxy, relationship: b.relationship, until: b.until, status: 'active',
    granted_height: ctx.height, granted_time: ctx.time,
  };
  ctx.st.put(K.proxy(ctx.signer, b.proxy), p);
  ctx.st.ensureAccount(b.proxy);
  ctx.events.push(event('proxy_grant', { patient: ctx.signer, proxy: b.proxy, relationship: b.relationship, until: b.until }));
}

/** §5.6 proxy.revoke: the patient withdraws a proxy, or the proxy steps down. */
export function proxyRevoke(ctx: TxContext, b: ProxyRevokeBody): void {
  if (ctx.signer !== b.patient && ctx.signer !== b.proxy) fail(Code.UNAUTHORIZED, 'only the patient or the proxy may revoke a proxy');
  const p = ctx.st.proxy(b.patient, b.proxy);
  if (!p) fail(Code.NOT_FOUND, 'no such proxy');
  if (p.status !== 'active') fail(Code.INVALID_STATE, 'proxy already revoked');
  ctx.st.put(K.proxy(b.patient, b.proxy), { ...p, status: 'revoked', revoked_height: ctx.height, revoked_by: ctx.signer });
  ctx.events.push(event('proxy_revoke', { patient: b.patient, proxy: b.proxy, by: ctx.signer }));
}

/** §3.3: a proxy may act while not revoked and before `until`. */
export function proxyActive(p: Proxy | undefined, time: number): boolean {
  return p !== undefined && p.status === 'active' && (p.until === undefined || time < p.until);
}

/** §3.3: the signer is the patient, or an active proxy of the patient. Returns true for a proxy. */
export function requirePatientOrProxy(ctx: TxContext, patient: string): boolean {
  if (ctx.signer === patient) return false;
  if (proxyActive(ctx.st.proxy(patient, ctx.signer), ctx.time)) return true;
  return fail(Code.UNAUTHORIZED, 'signer is neither the patient nor an active proxy of the patient');
}
