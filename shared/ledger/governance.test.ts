import { describe, expect, it } from 'vitest';
import { deriveSeed, keyFromSeed } from './client/index';
import { Code } from './codes';
import { TestChain } from './harness';
import { DEFAULT_POLICY } from './policy';
import type { ProposalContent } from './tx/types';
import type { VoteOption } from './vocab';

const VP = DEFAULT_POLICY.voting_period_blocks;

function gov() {
  const c = new TestChain();
  const M = (label: string) => c.g.members.find((m) => m.label === label)!;
  const board = c.g.board;
  const propose = (content: ProposalContent, by = board[0]!) => c.run('gov.propose', { title: 'Change', summary: 'why', content }, by.seed);
  /** Casts the given options (one per board member, in board order) in one block. */
  const vote = (id: number, options: (VoteOption | null)[]) =>
    c.block(options.flatMap((o, i) => (o ? [c.tx('gov.vote', { proposal_id: id, option: o }, board[i]!.seed)] : [])));
  const proposal = (id: number) => (c.query(`/proposal/${id}`).value as { proposal: Record<string, unknown> }).proposal;
  return { c, M, board, propose, vote, proposal };
}

describe('gov.propose / gov.vote (PROTOCOL §5.13–§5.14)', () => {
  it('only board members propose and vote; votes close at the end height', () => {
    const g = gov();
    expect(g.propose({ type: 'org_remove', org_id: 'acme-health' }, g.M('st-mary-hospital/admin-1')).code).toBe(Code.UNAUTHORIZED);
    const r = g.propose({ type: 'org_remove', org_id: 'acme-health' });
    expect(r.code).toBe(Code.OK);
    expect(r.result).toEqual({ proposal_id: 1, voting_end_height: g.c.height + VP });
    expect(g.c.run('gov.vote', { proposal_id: 1, option: 'yes' }, g.M('st-mary-hospital/admin-1').seed).code).toBe(Code.UNAUTHORIZED);
    expect(g.c.run('gov.vote', { proposal_id: 2, option: 'yes' }, g.board[0]!.seed).code).toBe(Code.NOT_FOUND);
    expect(g.c.run('gov.vote', { proposal_id: 1, option: 'no' }, g.board[0]!.seed).code).toBe(Code.OK);
    expect(g.c.run('gov.vote', { proposal_id: 1, option: 'yes' }, g.board[0]!.seed).code).toBe(Code.OK); // changes vote
    expect(g.c.query('/tally/1').value).toMatchObject({ final: false, tally: { eligible: 5, voted: 1, yes: 1, no: 0 }, if_ended_now: 'rejected', reason: 'quorum_not_met' });
    g.c.advanceTo((r.result as { voting_end_height: number }).voting_end_height);
    expect(g.c.run('gov.vote', { proposal_id: 1, option: 'yes' }, g.board[1]!.seed).code).toBe(Code.INVALID_STATE);
  });

  it('refuses hopeless proposals at submission', () => {
    const g = gov();
    expect(g.propose({ type: 'org_remove', org_id: 'no-such-org' }).code).toBe(Code.NOT_FOUND);
    expect(g.propose({ type: 'org_admit', org: { id: 'acme-health', name: 'x', kind: 'payer' }, admin: g.board[0]!.pubkey }).code).toBe(Code.ALREADY_EXISTS);
    expect(g.propose({ type: 'policy_change', changes: { break_glass_purposes: ['NOPE'] } }).code).toBe(Code.POLICY_LIMIT);
    const v = g.c.genesisValidators[0]!;
    const vHex = Array.from(v.pubKey, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(g.propose({ type: 'validator_update', updates: [{ pub_key: vHex, power: 0 }] }).code).toBe(Code.INVALID_STATE); // empty set
    expect(g.propose({ type: 'validator_update', updates: [{ pub_key: keyFromSeed(deriveSeed('v', 'x')).pubkey, power: 0 }] }).code).toBe(Code.NOT_FOUND);
    expect(g.propose({ type: 'board_change', add: [], remove: [keyFromSeed(deriveSeed('v', 'x')).pubkey] }).code).toBe(Code.NOT_FOUND);
    expect(() => g.propose({ type: 'policy_change', changes: { nope: 1 } })).toThrow(/not a policy parameter/);
  });
});

describe('tally and execution (PROTOCOL §9)', () => {
  it('passed policy change → new policy version at the end height, with the proposal that made it', () => {
    const g = gov();
    const r = g.propose({ type: 'policy_change', changes: { break_glass_review_seconds: 86400, max_text_len: 256 } });
    const end = (r.result as { voting_end_height: number }).voting_end_height;
    g.vote(1, ['yes', 'yes', 'no', 'abstain', null]);
    const outs = g.c.advanceTo(end);
    expect(outs.slice(0, -1).every((o) => o.events.length === 0)).toBe(true);
    const last = outs.at(-1)!;
    expect(last.events.map((e) => e.type)).toEqual(['policy_version', 'gov_tally']);
    expect(g.proposal(1)).toMatchObject({ status: 'passed', final_height: end, policy_version: 2, tally: { eligible: 5, voted: 4, yes: 2, no: 1, abstain: 1, veto: 0 } });
    const versions = g.c.query('/policy/versions').value as { version: number; proposal_id: number; height: number; params: { break_glass_review_seconds: number } }[];
    expect(versions.map((v) => [v.version, v.proposal_id, v.height])).toEqual([[1, 0, 0], [2, 1, end]]);
    expect(versions[1]!.params.break_glass_review_seconds).toBe(86400);
    expect(g.c.query('/policy').value).toMatchObject({ version: 2 });
    expect(g.c.query('/policy/versions/1').value).toMatchObject({ params: { break_glass_review_seconds: DEFAULT_POLICY.break_glass_review_seconds } });
  });

  it('quorum not met, vetoed, threshold not met', () => {
    const g = gov();
    g.propose({ type: 'org_remove', org_id: 'acme-health' });
    g.propose({ type: 'org_remove', org_id: 'central-lab' });
    g.propose({ type: 'org_remove', org_id: 'northside-clinic' });
    g.vote(1, ['yes', 'yes', null, null, null]);          // 2/5 voted < 50 %
    g.vote(2, ['yes', 'yes', 'veto', 'veto', null]);      // veto 2/4 > 33.34 %
    g.vote(3, ['yes', 'no', 'no', 'abstain', null]);      // yes 1/3 ≤ 50 %
    g.c.advanceTo(g.c.height + VP);
    expect(g.proposal(1)).toMatchObject({ status: 'rejected', reason: 'quorum_not_met' });
    expect(g.proposal(2)).toMatchObject({ status: 'vetoed' });
    expect(g.proposal(3)).toMatchObject({ status: 'rejected', reason: 'threshold_not_met' });
    expect(g.c.query('/org/acme-health').value).toMatchObject({ status: 'active' });
  });

  it('validator add, power change and removal reach validatorUpdates at the end height', () => {
    const g = gov();
    const newVal = keyFromSeed(deriveSeed('v', 'validator-5'));
    const r = g.propose({ type: 'validator_update', updates: [{ pub_key: newVal.pubkey, power: 10 }] });
    const end = (r.result as { voting_end_height: number }).voting_end_height;
    g.vote(1, ['yes', 'yes', 'yes', null, null]);
    const outs = g.c.advanceTo(end);
    expect(outs.slice(0, -1).every((o) => o.validatorUpdates.length === 0)).toBe(true);
    const vu = outs.at(-1)!.validatorUpdates;
    expect(vu).toHaveLength(1);
    expect(vu[0]).toMatchObject({ pubKeyType: 'ed25519', power: 10n });
    expect(Array.from(vu[0]!.pubKey)).toEqual(Array.from(newVal.publicKey));
    expect((g.c.query('/validators').value as unknown[]).length).toBe(2);
    const r2 = g.propose({ type: 'validator_update', updates: [{ pub_key: newVal.pubkey, power: 0 }] });
    g.vote(2, ['yes', 'yes', 'yes', null, null]);
    const out2 = g.c.advanceTo((r2.result as { voting_end_height: number }).voting_end_height).at(-1)!;
    expect(out2.validatorUpdates.map((u) => u.power)).toEqual([0n]);
    expect((g.c.query('/validators').value as unknown[]).length).toBe(1);
  });

  it('org admission and removal; removal denies later accesses by its members', () => {
    const g = gov();
    const admin = keyFromSeed(deriveSeed('o', 'new-admin'));
    g.propose({ type: 'org_admit', org: { id: 'eastside-clinic', name: 'Eastside Clinic', kind: 'clinic' }, admin: admin.pubkey });
    g.propose({ type: 'org_admit', org: { id: 'eastside-clinic', name: 'Eastside Clinic 2', kind: 'clinic' }, admin: keyFromSeed(deriveSeed('o', 'b')).pubkey });
    g.propose({ type: 'org_remove', org_id: 'riverside-hospital' });
    for (const id of [1, 2, 3]) g.vote(id, ['yes', 'yes', 'yes', 'yes', null]);
    g.c.advanceTo(g.c.height + VP);
    expect(g.proposal(1)).toMatchObject({ status: 'passed' });
    expect(g.proposal(2)).toMatchObject({ status: 'failed' }); // id taken by proposal 1 in the same block
    expect(String(g.proposal(2).reason)).toMatch(/already exists/);
    expect(g.c.query('/org/eastside-clinic').value).toMatchObject({ kind: 'clinic', status: 'active', admitted_by_proposal: 1 });
    expect(g.c.run('member.add', { pubkey: keyFromSeed(deriveSeed('o', 'doc')).pubkey, roles: ['clinician'] }, admin.seed).code).toBe(Code.OK);
    // riverside is removed: its clinician's access is recorded as denied; anchoring is refused.
    const clin = g.M('riverside-hospital/clinician-1');
    const p = keyFromSeed(g.c.g.patientSeed(0)).pubkey;
    g.c.run('patient.register', { patient: p }, g.M('st-mary-hospital/clinician-1').seed);
    const rec = g.c.run('record.anchor', { patient: p, resource_type: 'Observation', uri: 'u', sha256: 'aa'.repeat(32) }, g.M('st-mary-hospital/nurse-1').seed).id;
    expect(g.c.run('record.anchor', { patient: p, resource_type: 'Observation', uri: 'u', sha256: 'aa'.repeat(32) }, clin.seed).code).toBe(Code.UNAUTHORIZED);
    const a = g.c.run('access.record', { org: 'riverside-hospital', records: [rec], purpose: 'TREAT', action: 'read' }, clin.seed);
    expect(a.result).toMatchObject({ decision: 'deny', reason: 'org_inactive' });
    // The board member from riverside no longer counts.
    expect(g.c.query('/tally/1').value).toMatchObject({ final: true });
    g.propose({ type: 'org_remove', org_id: 'acme-health' });
    expect((g.c.query('/tally/4').value as { tally: { eligible: number } }).tally.eligible).toBe(4);
  });

  it('board changes and policy changes govern later proposals', () => {
    const g = gov();
    const newSeat = g.M('central-lab/officer-1');
    g.propose({ type: 'board_change', add: [newSeat.pubkey], remove: [g.board[4]!.pubkey] });
    g.propose({ type: 'policy_change', changes: { voting_period_blocks: 3, quorum_bps: 10000 } });
    g.vote(1, ['yes', 'yes', 'yes', null, null]);
    g.vote(2, ['yes', 'yes', 'yes', null, null]);
    g.c.advanceTo(g.c.height + VP);
    expect(g.c.query('/board').value).toContain(newSeat.pubkey);
    expect(g.c.query('/board').value).not.toContain(g.board[4]!.pubkey);
    expect(g.c.run('gov.propose', { title: 't', summary: '', content: { type: 'org_remove', org_id: 'acme-health' } }, g.board[4]!.seed).code).toBe(Code.UNAUTHORIZED);
    const r = g.c.run('gov.propose', { title: 't', summary: '', content: { type: 'org_remove', org_id: 'acme-health' } }, newSeat.seed);
    expect(r.result).toMatchObject({ voting_end_height: g.c.height + 3 });
    // quorum is now 100 %: four of five is not enough
    g.vote(3, ['yes', 'yes', 'yes', 'yes', null]);
    g.c.advanceTo(g.c.height + 3);
    expect(g.proposal(3)).toMatchObject({ status: 'rejected', reason: 'quorum_not_met' });
  });
});
