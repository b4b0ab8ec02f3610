import { describe, expect, it } from 'vitest';
import { deriveSeed, keyFromSeed } from './client/index';
import { Code } from './codes';
import { TestChain } from './harness';

const SHA = 'cd'.repeat(32);
const setup = () => {
  const c = new TestChain();
  const M = (label: string) => c.g.members.find((m) => m.label === label)!;
  return { c, M };
};

describe('member.add / member.roles / member.end (PROTOCOL §5.1–§5.3)', () => {
  it('an org admin adds a member; others cannot', () => {
    const { c, M } = setup();
    const admin = M('st-mary-hospital/admin-1');
    const newbie = keyFromSeed(deriveSeed('t', 'newbie'));
    expect(c.run('member.add', { pubkey: newbie.pubkey, roles: ['clinician'] }, M('st-mary-hospital/clinician-1').seed).code).toBe(Code.UNAUTHORIZED);
    const r = c.run('member.add', { pubkey: newbie.pubkey, roles: ['clinician', 'nurse'] }, admin.seed);
    expect(r.code).toBe(Code.OK);
    expect(r.events.map((e) => e.type)).toEqual(['custos_tx', 'member_add']);
    expect(c.query(`/member/${newbie.pubkey}`).value).toMatchObject({ org: 'st-mary-hospital', roles: ['clinician', 'nurse'], status: 'active', added_by: admin.pubkey });
    expect(c.run('member.add', { pubkey: newbie.pubkey, roles: ['nurse'] }, admin.seed).code).toBe(Code.ALREADY_EXISTS);
    // The new member can sign at once (their account exists).
    expect(c.run('patient.register', { patient: keyFromSeed(c.g.patientSeed(0)).pubkey }, newbie.seed).code).toBe(Code.OK);
  });

  it('refuses keys that are not valid full-order Ed25519 points', () => {
    const { c, M } = setup();
    const identity = '01' + '00'.repeat(31); // the identity point: small order
    expect(c.run('member.add', { pubkey: identity, roles: ['nurse'] }, M('central-lab/admin-1').seed).code).toBe(Code.MALFORMED);
  });

  it('roles are replaced only by an admin of the same org', () => {
    const { c, M } = setup();
    const nurse = M('st-mary-hospital/nurse-1');
    expect(c.run('member.roles', { pubkey: nurse.pubkey, roles: ['clinician'] }, M('riverside-hospital/admin-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(c.run('member.roles', { pubkey: nurse.pubkey, roles: ['clinician'] }, M('st-mary-hospital/admin-1').seed).code).toBe(Code.OK);
    expect(c.query(`/member/${nurse.pubkey}`).value).toMatchObject({ roles: ['clinician'] });
  });

  it('membership ends by the member or their admin, once; then the key can no longer act', () => {
    const { c, M } = setup();
    const clin = M('st-mary-hospital/clinician-2');
    expect(c.run('member.end', { pubkey: clin.pubkey, reason: 'left' }, M('riverside-hospital/admin-1').seed).code).toBe(Code.UNAUTHORIZED);
    const r = c.run('member.end', { pubkey: clin.pubkey, reason: 'left' }, M('st-mary-hospital/admin-1').seed);
    expect(r.code).toBe(Code.OK);
    expect(c.query(`/member/${clin.pubkey}`).value).toMatchObject({ status: 'ended', end_reason: 'left', ended_height: c.height });
    expect(c.run('member.end', { pubkey: clin.pubkey, reason: 'left' }, clin.seed).code).toBe(Code.INVALID_STATE);
    expect(c.run('patient.register', { patient: keyFromSeed(c.g.patientSeed(0)).pubkey }, clin.seed).code).toBe(Code.UNAUTHORIZED);
    const self = M('st-mary-hospital/nurse-2');
    expect(c.run('member.end', { pubkey: self.pubkey, reason: 'retired' }, self.seed).code).toBe(Code.OK);
  });
});

describe('patient.register (PROTOCOL §5.4)', () => {
  it('only register_roles at custodian-kind organisations may enrol a patient, once', () => {
    const { c, M } = setup();
    const p = keyFromSeed(c.g.patientSeed(0)).pubkey;
    expect(c.run('patient.register', { patient: p }, M('acme-health/admin-1').seed).code).toBe(Code.UNAUTHORIZED); // payer
    expect(c.run('patient.register', { patient: p }, M('st-mary-hospital/officer-1').seed).code).toBe(Code.UNAUTHORIZED); // role
    expect(c.run('patient.register', { patient: p }, M('northside-clinic/nurse-1').seed).code).toBe(Code.OK);
    expect(c.query(`/patient/${p}`).value).toMatchObject({ org: 'northside-clinic' });
    expect(c.run('patient.register', { patient: p }, M('northside-clinic/nurse-1').seed).code).toBe(Code.ALREADY_EXISTS);
  });
});

describe('proxy.grant / proxy.revoke (PROTOCOL §5.5–§5.6)', () => {
  it('a patient appoints a proxy who may then consent for them until revoked or expired', () => {
    const { c, M } = setup();
    const ps = c.g.patientSeed(0);
    const p = keyFromSeed(ps).pubkey;
    const proxySeed = c.g.seedFor('proxy/0');
    const proxy = keyFromSeed(proxySeed).pubkey;
    expect(c.run('patient.register', { patient: p }, M('st-mary-hospital/clinician-1').seed).code).toBe(Code.OK);
    // Not a patient → cannot appoint proxies.
    expect(c.run('proxy.grant', { proxy: p, relationship: 'parent' }, M('st-mary-hospital/clinician-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(c.run('proxy.grant', { proxy: p, relationship: 'parent' }, ps).code).toBe(Code.MALFORMED);
    expect(c.run('proxy.grant', { proxy, relationship: 'parent', until: c.time - 1 }, ps).code).toBe(Code.INVALID_STATE);
    expect(c.run('proxy.grant', { proxy, relationship: 'guardian', until: c.time + 100 }, ps).code).toBe(Code.OK);
    expect(c.run('proxy.grant', { proxy, relationship: 'guardian' }, ps).code).toBe(Code.ALREADY_EXISTS);
    const grant = { patient: p, grantee: { kind: 'org' as const, org: 'st-mary-hospital' }, scope: { kind: 'all' as const }, purposes: ['TREAT'], period: { start: c.time, end: c.time + 86400 } };
    const byProxy = c.run('consent.grant', grant, proxySeed);
    expect(byProxy.code).toBe(Code.OK);
    expect(c.query(`/consent/${byProxy.id}`).value).toMatchObject({ grantor: proxy, grantor_is_proxy: true });
    // Expired (until passed) → proxy can no longer act.
    expect(c.run('consent.grant', grant, proxySeed, { advance: 200 }).code).toBe(Code.UNAUTHORIZED);
    // Re-grant after expiry, then the proxy steps down.
    expect(c.run('proxy.grant', { proxy, relationship: 'guardian' }, ps).code).toBe(Code.OK);
    expect(c.run('proxy.revoke', { patient: p, proxy }, M('st-mary-hospital/clinician-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(c.run('proxy.revoke', { patient: p, proxy }, proxySeed).code).toBe(Code.OK);
    expect(c.run('proxy.revoke', { patient: p, proxy }, ps).code).toBe(Code.INVALID_STATE);
    expect(c.run('consent.grant', { ...grant, period: { start: c.time, end: c.time + 86400 } }, proxySeed).code).toBe(Code.UNAUTHORIZED);
    expect(c.query(`/proxy/${p}/${proxy}`).value).toMatchObject({ status: 'revoked', revoked_by: proxy });
    expect(c.run('proxy.revoke', { patient: p, proxy: keyFromSeed(deriveSeed('z', 'z')).pubkey }, ps).code).toBe(Code.NOT_FOUND);
  });
});

describe('record.anchor / record.amend (PROTOCOL §5.7–§5.8)', () => {
  it('custodian staff anchor; versions link by hash; nothing is erased', () => {
    const { c, M } = setup();
    const p = keyFromSeed(c.g.patientSeed(0)).pubkey;
    const anchor = { patient: p, resource_type: 'Observation' as const, uri: 'fhir://st-mary/Observation/obs-1', sha256: SHA };
    const lab = M('central-lab/technician-1');
    expect(c.run('record.anchor', anchor, lab.seed).code).toBe(Code.NOT_FOUND); // patient not registered
    c.run('patient.register', { patient: p }, M('st-mary-hospital/clinician-1').seed);
    expect(c.run('record.anchor', anchor, M('health-research-institute/researcher-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(c.run('record.anchor', anchor, M('acme-health/billing-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(c.run('record.anchor', anchor, M('st-mary-hospital/admin-1').seed).code).toBe(Code.UNAUTHORIZED); // admin not in anchor_roles
    const r = c.run('record.anchor', anchor, lab.seed);
    expect(r.code).toBe(Code.OK);
    expect(r.result).toEqual({ record_id: r.id, version: 1 });
    const amend = { record_id: r.id, prior_version: 1, uri: 'fhir://lab/Observation/obs-1/_history/2', sha256: 'ef'.repeat(32), reason: 'correction' as const };
    expect(c.run('record.amend', amend, M('st-mary-hospital/clinician-1').seed).code).toBe(Code.UNAUTHORIZED); // other custodian
    expect(c.run('record.amend', { ...amend, record_id: 'A'.repeat(64) }, lab.seed).code).toBe(Code.NOT_FOUND);
    expect(c.run('record.amend', amend, lab.seed).code).toBe(Code.OK);
    expect(c.run('record.amend', amend, M('central-lab/technician-2').seed).code).toBe(Code.INVALID_STATE); // stale prior_version
    const q = c.query(`/record/${r.id}`).value as { record: { version: number; custodian: string }; versions: { version: number; sha256: string; prev_sha256?: string; reason?: string }[] };
    expect(q.record).toMatchObject({ version: 2, custodian: 'central-lab' });
    expect(q.versions).toMatchObject([{ version: 1, sha256: SHA }, { version: 2, sha256: 'ef'.repeat(32), prev_sha256: SHA, reason: 'correction' }]);
  });
});
