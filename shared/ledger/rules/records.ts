// Record anchors and amendments (PROTOCOL.md §5.7–§5.8). The ledger keeps a pointer and a
// SHA-256 of each off-chain FHIR resource version; versions are linked and never erased.
import { Code, fail } from '../codes';
import { event } from '../abci-event';
import { K, type RecordHead, type RecordVersion } from '../state';
import type { RecordAmendBody, RecordAnchorBody } from '../tx/types';
import { hasAnyRole, type TxContext } from './context';

/** The signer as an active member with an anchor role at a custodian-kind organisation (§5.7). */
function requireCustodianStaff(ctx: TxContext): string {
  const m = ctx.st.activeMember(ctx.signer);
  if (!m || !hasAnyRole(m.roles, ctx.policy.anchor_roles)) fail(Code.UNAUTHORIZED, 'signer has no role in policy.anchor_roles');
  const org = ctx.st.org(m.org)!;
  if (!ctx.policy.custodian_kinds.includes(org.kind)) fail(Code.UNAUTHORIZED, `organisation kind ${org.kind} is not in policy.custodian_kinds`);
  return m.org;
}

/** §5.7 record.anchor: version 1 of a new record; its id is the transaction id. */
export function recordAnchor(ctx: TxContext, b: RecordAnchorBody): void {
  const custodian = requireCustodianStaff(ctx);
  if (!ctx.st.patient(b.patient)) fail(Code.NOT_FOUND, 'patient is not registered');
  const id = ctx.txId;
  const head: RecordHead = { id, patient: b.patient, custodian, resource_type: b.resource_type, version: 1, created_height: ctx.height };
  const v: RecordVersion = { record_id: id, version: 1, uri: b.uri, sha256: b.sha256, by: ctx.signer, tx: ctx.txId, height: ctx.height, time: ctx.time };
  ctx.st.put(K.record(id), head);
  ctx.st.put(K.recordVersion(id, 1), v);
  ctx.data = { record_id: id, version: 1 };
  ctx.events.push(event('record_anchor', {
    record_id: id, patient: b.patient, custodian, resource_type: b.resource_type, sha256: b.sha256, by: ctx.signer,
  }));
}

/** §5.8 record.amend: version n+1, linked to version n by its hash. */
export function recordAmend(ctx: TxContext, b: RecordAmendBody): void {
  const head = ctx.st.record(b.record_id);
  if (!head) fail(Code.NOT_FOUND, `no record ${b.record_id}`);
  const custodian = requireCustodianStaff(ctx);
  if (custodian !== head.custodian) fail(Code.UNAUTHORIZED, `record is held by ${head.custodian}, signer is at ${custodian}`);
  if (b.prior_version !== head.version) fail(Code.INVALID_STATE, `prior_version ${b.prior_version} is not the latest version ${head.version}`);
  const prev = ctx.st.get<RecordVersion>(K.recordVersion(b.record_id, head.version))!;
  const version = head.version + 1;
  const v: RecordVersion = {
    record_id: b.record_id, version, uri: b.uri, sha256: b.sha256, by: ctx.signer, tx: ctx.txId, height: ctx.height,
    time: ctx.time, prev_sha256: prev.sha256, reason: b.reason,
  };
  ctx.st.put(K.record(b.record_id), { ...head, version });
  ctx.st.put(K.recordVersion(b.record_id, version), v);
  ctx.data = { record_id: b.record_id, version };
  ctx.events.push(event('record_amend', {
    record_id: b.record_id, version, patient: head.patient, custodian, sha256: b.sha256, prev_sha256: prev.sha256,
    reason: b.reason, by: ctx.signer,
  }));
}
