import { describe, expect, it } from 'vitest';
import { keyFromSeed } from './client/index';
import { Code } from './codes';
import { TestChain } from './harness';
import type { ConsentGrantBody, AccessRecordBody } from './tx/types';
import { DEFAULT_POLICY } from './policy';

const SHA = 'cd'.repeat(32);

/** A chain with one registered patient holding an Observation (St Mary) and an ImagingStudy (Central Lab). */
function world() {
  const c = new TestChain();
  const M = (label: string) => c.g.members.find((m) => m.label === label)!;
  const ps = c.g.patientSeed(0);
  const p = keyFromSeed(ps).pubkey;
  const other = keyFromSeed(c.g.patientSeed(1)).pubkey;
  c.run('patient.register', { patient: p }, M('st-mary-hospital/clinician-1').seed);
  c.run('patient.register', { patient: other }, M('st-mary-hospital/clinician-1').seed);
  const obs = c.run('record.anchor', { patient: p, resource_type: 'Observation', uri: 'u:obs', sha256: SHA }, M('st-mary-hospital/nurse-1').seed).id;
  const img = c.run('record.anchor', { patient: p, resource_type: 'ImagingStudy', uri: 'u:img', sha256: SHA }, M('central-lab/technician-1').seed).id;
  const otherRec = c.run('record.anchor', { patient: other, resource_type: 'Observation', uri: 'u:o2', sha256: SHA }, M('st-mary-hospital/nurse-1').seed).id;
  const consent = (b: Partial<ConsentGrantBody> = {}, seed = ps) => c.run('consent.grant', {
    patient: p, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'],
    period: { start: c.time, end: c.time + 30 * 86400 }, ...b,
  }, seed);
  const access = (who: string, b: Partial<AccessRecordBody> = {}) => {
    const m = M(who);
    return c.run('access.record', { org: m.org, records: [obs].sort(), purpose: 'TREAT', action: 'read', ...b }, m.seed);
  };
  return { c, M, ps, p, other, obs, img, otherRec, consent, access };
}

describe('consent.grant / consent.revoke (PROTOCOL §5.9–§5.10)', () => {
  it('the patient grants; strangers, unknown purposes, over-long or past periods are refused', () => {
    const w = world();
    const r = w.consent();
    expect(r.code).toBe(Code.OK);
    expect(r.result).toEqual({ consent_id: r.id });
    expect(w.c.query(`/consent/${r.id}`).value).toMatchObject({ patient: w.p, grantor: w.p, status: 'active', purposes: ['TREAT'] });
    expect(w.consent({}, w.M('st-mary-hospital/clinician-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(w.consent({}, w.c.g.patientSeed(1)).code).toBe(Code.UNAUTHORIZED); // another patient
    expect(w.consent({ purposes: ['HMARKT'] }).code).toBe(Code.POLICY_LIMIT);
    expect(w.consent({ period: { start: w.c.time, end: w.c.time + DEFAULT_POLICY.max_consent_seconds + 10 } }).code).toBe(Code.POLICY_LIMIT);
    expect(w.consent({ period: { start: 1, end: 2 } }).code).toBe(Code.INVALID_STATE);
    expect(w.consent({ grantee: { kind: 'org', org: 'no-such-org' } }).code).toBe(Code.NOT_FOUND);
    expect(w.consent({ scope: { kind: 'records', records: [w.otherRec] } }).code).toBe(Code.INVALID_STATE);
    expect(w.consent({ scope: { kind: 'records', records: ['F'.repeat(64)] } }).code).toBe(Code.NOT_FOUND);
  });

  it('revocation by the patient, once; by others refused', () => {
    const w = world();
    const id = w.consent().id;
    expect(w.c.run('consent.revoke', { consent_id: id }, w.M('st-mary-hospital/admin-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(w.c.run('consent.revoke', { consent_id: id }, w.ps).code).toBe(Code.OK);
    expect(w.c.run('consent.revoke', { consent_id: id }, w.ps).code).toBe(Code.INVALID_STATE);
    expect(w.c.run('consent.revoke', { consent_id: 'E'.repeat(64) }, w.ps).code).toBe(Code.NOT_FOUND);
    expect(w.c.query(`/consent/${id}`).value).toMatchObject({ status: 'revoked', revoked_by: w.p, revoked_height: w.c.height - 2 });
  });
});

describe('access.record decisions (PROTOCOL §5.11)', () => {
  it('permit under a matching consent; the decision is in data, events and state', () => {
    const w = world();
    const cid = w.consent().id;
    const r = w.access('st-mary-hospital/clinician-2', { consent_id: cid });
    expect(r.code).toBe(Code.OK);
    expect(r.result).toEqual({ access_id: r.id, decision: 'permit' });
    const ev = r.events.find((e) => e.type === 'access_record')!;
    expect(Object.fromEntries(ev.attributes.map((a) => [a.key, a.value]))).toMatchObject({ decision: 'permit', consent_id: cid, patient: w.p, purpose: 'TREAT' });
    expect(w.c.query(`/access/${r.id}`).value).toMatchObject({ decision: 'permit', actor_org: 'st-mary-hospital', patient: w.p });
  });

  it('denials are recorded (code 0) with the first failing reason', () => {
    const w = world();
    const cid = w.consent().id;
    const dec = (r: { code: number; result?: unknown }) => { expect(r.code).toBe(Code.OK); return (r.result as { decision: string; reason?: string }); };
    expect(dec(w.access('st-mary-hospital/clinician-1'))).toMatchObject({ decision: 'deny', reason: 'no_consent' });
    expect(dec(w.access('st-mary-hospital/clinician-1', { consent_id: 'A'.repeat(64) })).reason).toBe('consent_not_found');
    expect(dec(w.access('st-mary-hospital/clinician-1', { consent_id: cid, purpose: 'HPAYMT' })).reason).toBe('role_not_permitted');
    expect(dec(w.access('st-mary-hospital/billing-1', { consent_id: cid, purpose: 'HPAYMT' })).reason).toBe('purpose_mismatch');
    expect(dec(w.access('riverside-hospital/clinician-1', { consent_id: cid })).reason).toBe('grantee_mismatch');
    expect(dec(w.access('st-mary-hospital/clinician-1', { consent_id: cid, org: 'riverside-hospital' })).reason).toBe('org_mismatch');
    expect(dec(w.access('st-mary-hospital/clinician-1', { consent_id: cid, purpose: 'ETREAT' })).decision).toBe('permit'); // ETREAT ⊂ TREAT
    const other = w.c.run('consent.grant', {
      patient: w.other, grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'],
      period: { start: w.c.time, end: w.c.time + 1000 },
    }, w.c.g.patientSeed(1)).id;
    expect(dec(w.access('st-mary-hospital/clinician-1', { consent_id: other })).reason).toBe('consent_patient_mismatch');
  });

  it('scope by records and by resource type; grantee by member and by role', () => {
    const w = world();
    const byRec = w.consent({ scope: { kind: 'records', records: [w.obs] } }).id;
    const recs = [w.obs, w.img].sort();
    const d = (r: { result?: unknown }) => (r.result as { decision: string; reason?: string });
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: byRec })).decision).toBe('permit');
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: byRec, records: recs })).reason).toBe('scope_mismatch');
    const byType = w.consent({ scope: { kind: 'resource_types', resource_types: ['ImagingStudy'] } }).id;
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: byType, records: [w.img] })).decision).toBe('permit');
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: byType, records: recs })).reason).toBe('scope_mismatch');
    const researcher = w.M('health-research-institute/researcher-2');
    const byMember = w.consent({ grantee: { kind: 'member', member: researcher.pubkey }, purposes: ['HRESCH'] }).id;
    expect(d(w.access('health-research-institute/researcher-2', { consent_id: byMember, purpose: 'HRESCH' })).decision).toBe('permit');
    expect(d(w.access('health-research-institute/researcher-1', { consent_id: byMember, purpose: 'HRESCH' })).reason).toBe('grantee_mismatch');
    expect(d(w.access('health-research-institute/researcher-1', { consent_id: byMember, purpose: 'CLINTRCH' })).reason).toBe('grantee_mismatch');
    const byRole = w.consent({ grantee: { kind: 'role', role: 'researcher' }, purposes: ['HRESCH'] }).id;
    expect(d(w.access('health-research-institute/researcher-1', { consent_id: byRole, purpose: 'CLINTRCH' })).decision).toBe('permit'); // CLINTRCH ⊂ HRESCH
    const byRoleAt = w.consent({ grantee: { kind: 'role', role: 'clinician', org: 'riverside-hospital' } }).id;
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: byRoleAt })).reason).toBe('grantee_mismatch');
    expect(d(w.access('riverside-hospital/clinician-1', { consent_id: byRoleAt })).decision).toBe('permit');
  });

  it('revoked consent and consent outside its period deny', () => {
    const w = world();
    const cid = w.consent({ period: { start: w.c.time + 100, end: w.c.time + 1000 } }).id;
    const d = (r: { result?: unknown }) => (r.result as { decision: string; reason?: string });
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: cid })).reason).toBe('consent_outside_period'); // not yet
    w.c.block([], 200);
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: cid })).decision).toBe('permit');
    w.c.block([], 2000);
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: cid })).reason).toBe('consent_outside_period'); // expired
    const c2 = w.consent().id;
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: c2 })).decision).toBe('permit');
    w.c.run('consent.revoke', { consent_id: c2 }, w.ps);
    expect(d(w.access('st-mary-hospital/clinician-1', { consent_id: c2 })).reason).toBe('consent_revoked');
  });

  it('revocation takes effect for later transactions in the same block', () => {
    const w = world();
    const cid = w.consent().id;
    const clin = w.M('st-mary-hospital/clinician-1');
    const body = { org: clin.org, records: [w.obs], purpose: 'TREAT', action: 'read' as const, consent_id: cid };
    const out = w.c.block([
      w.c.tx('access.record', body, clin.seed),
      w.c.tx('consent.revoke', { consent_id: cid }, w.ps),
      w.c.tx('access.record', body, clin.seed),
    ]);
    const decisions = out.txResults.map((r) => r.data.length ? JSON.parse(new TextDecoder().decode(r.data)).decision : null);
    expect(decisions).toEqual(['permit', undefined, 'deny']);
  });

  it('a member whose membership ended is recorded as denied (member_inactive); removed org → org_inactive', () => {
    const w = world();
    const cid = w.consent().id;
    const clin = w.M('st-mary-hospital/clinician-3');
    w.c.run('member.end', { pubkey: clin.pubkey, reason: 'terminated' }, w.M('st-mary-hospital/admin-1').seed);
    const r = w.access('st-mary-hospital/clinician-3', { consent_id: cid });
    expect(r.code).toBe(Code.OK);
    expect(r.result).toMatchObject({ decision: 'deny', reason: 'member_inactive' });
  });

  it('refuses (non-zero code) what is not an access: non-members, unknown records, mixed patients, limits', () => {
    const w = world();
    expect(w.c.run('access.record', { org: 'st-mary-hospital', records: [w.obs], purpose: 'TREAT', action: 'read' }, w.ps).code).toBe(Code.UNAUTHORIZED);
    expect(w.access('st-mary-hospital/clinician-1', { records: ['0'.repeat(64)] }).code).toBe(Code.NOT_FOUND);
    expect(w.access('st-mary-hospital/clinician-1', { records: [w.obs, w.otherRec].sort() }).code).toBe(Code.INVALID_STATE);
    expect(w.access('st-mary-hospital/clinician-1', { purpose: 'HMARKT' }).code).toBe(Code.POLICY_LIMIT);
    expect(w.access('st-mary-hospital/clinician-1', { break_glass: { justification: 'x'.repeat(600) }, purpose: 'ETREAT' }).code).toBe(Code.POLICY_LIMIT);
    expect(() => w.access('st-mary-hospital/clinician-1', { break_glass: { justification: 'x'.repeat(3000) } })).toThrow(/at most 2048/);
  });
});

describe('break-glass and its review (PROTOCOL §5.11–§5.12)', () => {
  it('is recorded with a review deadline from policy and reviewed once by an officer', () => {
    const w = world();
    const r = w.access('st-mary-hospital/clinician-1', { purpose: 'ETREAT', break_glass: { justification: 'unconscious patient in A&E' } });
    expect(r.code).toBe(Code.OK);
    expect(r.result).toEqual({ access_id: r.id, decision: 'break_glass', review_deadline: w.c.time + DEFAULT_POLICY.break_glass_review_seconds });
    expect(w.c.query(`/access/${r.id}`).value).toMatchObject({ decision: 'break_glass', break_glass: { justification: 'unconscious patient in A&E' } });
    const review = (who: string, outcome: 'justified' | 'unjustified' = 'justified') => w.c.run('breakglass.review', { access_id: r.id, outcome, note: 'checked' }, w.M(who).seed);
    expect(review('st-mary-hospital/clinician-2').code).toBe(Code.UNAUTHORIZED); // not a review role
    expect(review('riverside-hospital/officer-1').code).toBe(Code.UNAUTHORIZED); // other org
    const ok = review('st-mary-hospital/officer-1');
    expect(ok.code).toBe(Code.OK);
    expect(ok.result).toEqual({ access_id: r.id, outcome: 'justified', late: false });
    expect(review('health-data-authority/auditor-1').code).toBe(Code.INVALID_STATE); // already reviewed
  });

  it('late reviews are marked; regulators may review; not-permitted break-glass is denied', () => {
    const w = world();
    const r = w.access('st-mary-hospital/nurse-2', { purpose: 'ETREAT', break_glass: { justification: 'cardiac arrest' } });
    expect(r.result).toMatchObject({ decision: 'break_glass' });
    w.c.block([], DEFAULT_POLICY.break_glass_review_seconds + 1);
    const rv = w.c.run('breakglass.review', { access_id: r.id, outcome: 'unjustified' }, w.M('health-data-authority/auditor-2').seed);
    expect(rv.result).toEqual({ access_id: r.id, outcome: 'unjustified', late: true });
    // TREAT is not a break-glass purpose; researchers hold no break-glass role.
    expect(w.access('st-mary-hospital/clinician-1', { purpose: 'TREAT', break_glass: { justification: 'x' } }).result).toMatchObject({ decision: 'deny', reason: 'break_glass_not_permitted' });
    expect(w.access('health-research-institute/researcher-1', { purpose: 'HRESCH', break_glass: { justification: 'x' } }).result).toMatchObject({ reason: 'break_glass_not_permitted' });
    // Only break-glass accesses are reviewed.
    const plain = w.access('st-mary-hospital/clinician-1');
    expect(w.c.run('breakglass.review', { access_id: plain.id, outcome: 'justified' }, w.M('st-mary-hospital/officer-1').seed).code).toBe(Code.INVALID_STATE);
    expect(w.c.run('breakglass.review', { access_id: 'B'.repeat(64), outcome: 'justified' }, w.M('st-mary-hospital/officer-1').seed).code).toBe(Code.NOT_FOUND);
    // Nobody reviews their own break-glass, even holding a review role.
    const dual = w.M('st-mary-hospital/clinician-4');
    w.c.run('member.roles', { pubkey: dual.pubkey, roles: ['clinician', 'officer'] }, w.M('st-mary-hospital/admin-1').seed);
    const own = w.access('st-mary-hospital/clinician-4', { purpose: 'ETREAT', break_glass: { justification: 'x' } });
    expect(w.c.run('breakglass.review', { access_id: own.id, outcome: 'justified' }, dual.seed).code).toBe(Code.UNAUTHORIZED);
    // A review note longer than policy.max_text_len is refused.
    expect(w.c.run('breakglass.review', { access_id: own.id, outcome: 'justified', note: 'n'.repeat(513) }, w.M('st-mary-hospital/officer-1').seed).code).toBe(Code.POLICY_LIMIT);
  });
});
