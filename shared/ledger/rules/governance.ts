// Governance in the spirit of Cosmos x/gov (PROTOCOL.md §5.13–§5.14, §9): board members
// propose and vote; at the end of the voting period the tally decides, and a passed
// proposal executes in the same FinalizeBlock.
import { Code, fail, TxError } from '../codes';
import { event, type AbciEvent } from '../abci-event';
import { validatePolicy, type Policy } from '../policy';
import { K, type Org, type PolicyVersion, type Proposal, type StateView, type Tally, type ValidatorEntry } from '../state';
import { DecodeError, utf8Length } from '../tx/fields';
import type { GovProposeBody, GovVoteBody, ProposalContent } from '../tx/types';
import { requireTextWithinPolicy, requireValidKey, type TxContext } from './context';

/** §3.8: a board seat counts only while its holder is an active member of an active organisation. */
function isActiveBoardMember(st: StateView, pk: string): boolean {
  return st.board().includes(pk) && st.activeMember(pk) !== undefined;
}

/**
 * §9.3: checks that a proposal's content can be applied to the given state, and returns the
 * writes it would make. Used when the proposal is submitted (to refuse hopeless proposals)
 * and again when it executes (state may have changed meanwhile).
 */
function planContent(st: StateView, c: ProposalContent, validKey: (pk: string) => boolean): () => { policy?: Policy; validatorChanges?: ValidatorEntry[] } {
  switch (c.type) {
    case 'policy_change': {
      let next: Policy;
      try {
        next = validatePolicy({ ...st.policy(), ...c.changes }, 'policy');
      } catch (e) {
        if (e instanceof DecodeError) fail(Code.POLICY_LIMIT, `resulting policy is invalid: ${e.message}`);
        throw e;
      }
      return () => ({ policy: next });
    }
    case 'org_admit': {
      if (st.org(c.org.id)) fail(Code.ALREADY_EXISTS, `organisation ${c.org.id} already exists`);
      requireValidKey(validKey, c.admin, 'body.content.admin');
      if (st.member(c.admin)) fail(Code.ALREADY_EXISTS, 'admin key is already bound to a membership');
      return () => ({});
    }
    case 'org_remove': {
      const org = st.org(c.org_id);
      if (!org) fail(Code.NOT_FOUND, `no organisation ${c.org_id}`);
      if (org.status !== 'active') fail(Code.INVALID_STATE, `organisation ${c.org_id} is already removed`);
      return () => ({});
    }
    case 'validator_update': {
      const current = new Map(st.validators().map((v) => [v.pub_key, v.power]));
      for (const u of c.updates) {
        if (u.power === 0 && !current.has(u.pub_key)) fail(Code.NOT_FOUND, `validator ${u.pub_key} is not in the set`);
        if (u.power > 0) requireValidKey(validKey, u.pub_key, 'body.content.updates.pub_key');
        if (u.power === 0) current.delete(u.pub_key);
        else current.set(u.pub_key, u.power);
      }
      if (current.size === 0) fail(Code.INVALID_STATE, 'the validator set would be empty');
      return () => ({ validatorChanges: c.updates });
    }
    case 'board_change': {
      const board = new Set(st.board());
      for (const pk of c.add) {
        if (board.has(pk)) fail(Code.ALREADY_EXISTS, `${pk} already holds a board seat`);
        if (!st.activeMember(pk)) fail(Code.NOT_FOUND, `${pk} is not an active member`);
      }
      for (const pk of c.remove) if (!board.has(pk)) fail(Code.NOT_FOUND, `${pk} holds no board seat`);
      if (board.size + c.add.length - c.remove.length === 0) fail(Code.INVALID_STATE, 'the board would be empty');
      return () => ({});
    }
  }
}

/** §5.13 gov.propose. Proposal ids are sequential from 1. */
export function govPropose(ctx: TxContext, b: GovProposeBody): void {
  if (!isActiveBoardMember(ctx.st, ctx.signer)) fail(Code.UNAUTHORIZED, 'signer holds no active board seat');
  requireTextWithinPolicy(ctx, b.summary, 'body.summary', utf8Length);
  planContent(ctx.st, b.content, ctx.validKey);
  const meta = ctx.st.meta();
  const id = meta.next_proposal_id;
  const p: Proposal = {
    id, proposer: ctx.signer, title: b.title, summary: b.summary, content: b.content, submit_height: ctx.height,
    submit_time: ctx.time, voting_end_height: ctx.height + ctx.policy.voting_period_blocks, status: 'voting',
  };
  ctx.st.put(K.meta, { ...meta, next_proposal_id: id + 1 });
  ctx.st.put(K.proposal(id), p);
  ctx.st.put(K.votes(id), {});
  const queue = [...ctx.st.govQueue(), [p.voting_end_height, id] as [number, number]];
  queue.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  ctx.st.put(K.govQueue, { queue });
  ctx.data = { proposal_id: id, voting_end_height: p.voting_end_height };
  ctx.events.push(event('gov_propose', { proposal_id: id, proposer: ctx.signer, type: b.content.type, voting_end_height: p.voting_end_height }));
}

/** §5.14 gov.vote: a board member votes (or changes their vote) while voting is open. */
export function govVote(ctx: TxContext, b: GovVoteBody): void {
  const p = ctx.st.proposal(b.proposal_id);
  if (!p) fail(Code.NOT_FOUND, `no proposal ${b.proposal_id}`);
  if (p.status !== 'voting' || ctx.height > p.voting_end_height) fail(Code.INVALID_STATE, 'voting on this proposal has closed');
  if (!isActiveBoardMember(ctx.st, ctx.signer)) fail(Code.UNAUTHORIZED, 'signer holds no active board seat');
  const votes = { ...ctx.st.votes(b.proposal_id), [ctx.signer]: { option: b.option, height: ctx.height } };
  ctx.st.put(K.votes(b.proposal_id), votes);
  ctx.events.push(event('gov_vote', { proposal_id: b.proposal_id, voter: ctx.signer, option: b.option }));
}

/** §9.2: counts the votes of current active board members only. */
export function tallyOf(st: StateView, id: number): Tally {
  const t: Tally = { eligible: 0, voted: 0, yes: 0, no: 0, abstain: 0, veto: 0 };
  const votes = st.votes(id);
  for (const pk of st.board()) {
    if (!st.activeMember(pk)) continue;
    t.eligible++;
    const v = votes[pk];
    if (!v) continue;
    t.voted++;
    t[v.option]++;
  }
  return t;
}

/** §9.2: quorum, then veto, then threshold, all in integer basis points. */
export function outcomeOf(policy: Policy, t: Tally): { status: 'passed' | 'rejected' | 'vetoed'; reason?: string } {
  if (t.eligible === 0 || t.voted * 10_000 < policy.quorum_bps * t.eligible) return { status: 'rejected', reason: 'quorum_not_met' };
  if (t.veto * 10_000 > policy.veto_bps * t.voted) return { status: 'vetoed', reason: 'vetoed' };
  const decisive = t.voted - t.abstain;
  if (decisive === 0 || t.yes * 10_000 <= policy.threshold_bps * decisive) return { status: 'rejected', reason: 'threshold_not_met' };
  return { status: 'passed' };
}

export interface EndBlockContext {
  st: StateView;
  height: number;
  time: number;
  events: AbciEvent[];
  /** pub_key (hex) → new power, merged over the block (§9.4). */
  validatorUpdates: Map<string, number>;
  /** As TxContext.validKey. */
  validKey: (pk: string) => boolean;
}

/** §9.1: tallies every proposal whose voting period ends at this height, in id order, and executes those that pass. */
export function endBlockGovernance(ctx: EndBlockContext): void {
  const queue = ctx.st.govQueue();
  const due = queue.filter(([end]) => end <= ctx.height);
  if (due.length === 0) return;
  ctx.st.put(K.govQueue, { queue: queue.filter(([end]) => end > ctx.height) });
  for (const [, id] of due) {
    const p = ctx.st.proposal(id)!;
    const policy = ctx.st.policy();
    const tally = tallyOf(ctx.st, id);
    const outcome = outcomeOf(policy, tally);
    let final: Proposal = { ...p, tally, final_height: ctx.height, status: outcome.status, reason: outcome.reason };
    if (outcome.status === 'passed') {
      try {
        final = { ...final, ...execute(ctx, p) };
      } catch (e) {
        if (!(e instanceof TxError)) throw e;
        final = { ...final, status: 'failed', reason: `execution failed: ${e.message}` };
      }
    }
    ctx.st.put(K.proposal(id), final);
    ctx.events.push(event('gov_tally', {
      proposal_id: id, status: final.status, reason: final.reason, eligible: tally.eligible, yes: tally.yes, no: tally.no,
      abstain: tally.abstain, veto: tally.veto, policy_version: final.policy_version,
    }));
  }
}

/** §9.3: applies a passed proposal's content. Throws TxError (no writes made) if it no longer applies. */
function execute(ctx: EndBlockContext, p: Proposal): Partial<Proposal> {
  const planned = planContent(ctx.st, p.content, ctx.validKey)();
  const c = p.content;
  switch (c.type) {
    case 'policy_change': {
      const version = ctx.st.policyVersionNumber() + 1;
      const pv: PolicyVersion = { version, params: planned.policy!, proposal_id: p.id, height: ctx.height };
      ctx.st.put(K.policyVersion(version), pv);
      ctx.st.put(K.policyCurrent, { version });
      ctx.events.push(event('policy_version', { version, proposal_id: p.id, changed: Object.keys(c.changes).sort() }));
      return { policy_version: version };
    }
    case 'org_admit': {
      const org: Org = { ...c.org, status: 'active', admitted_height: ctx.height, admitted_by_proposal: p.id };
      ctx.st.put(K.org(org.id), org);
      ctx.st.put(K.member(c.admin), { pubkey: c.admin, org: org.id, roles: ['admin'], status: 'active', added_height: ctx.height, added_by: `proposal/${p.id}` });
      ctx.st.ensureAccount(c.admin);
      ctx.events.push(event('org_admit', { org: org.id, kind: org.kind, admin: c.admin, proposal_id: p.id }));
      return {};
    }
    case 'org_remove': {
      const org = ctx.st.org(c.org_id)!;
      ctx.st.put(K.org(org.id), { ...org, status: 'removed', removed_height: ctx.height, removed_by_proposal: p.id });
      ctx.events.push(event('org_remove', { org: org.id, proposal_id: p.id }));
      return {};
    }
    case 'validator_update': {
      const set = new Map(ctx.st.validators().map((v) => [v.pub_key, v.power]));
      for (const u of planned.validatorChanges!) {
        if (u.power === 0) set.delete(u.pub_key);
        else set.set(u.pub_key, u.power);
        ctx.validatorUpdates.set(u.pub_key, u.power);
        ctx.events.push(event('validator_update', { pub_key: u.pub_key, power: u.power, proposal_id: p.id }));
      }
      const validators = [...set.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([pub_key, power]) => ({ pub_key, power }));
      ctx.st.put(K.validators, { validators });
      return {};
    }
    case 'board_change': {
      const board = ctx.st.board().filter((pk) => !c.remove.includes(pk)).concat(c.add).sort();
      ctx.st.put(K.board, { members: board });
      ctx.events.push(event('board_change', { add: c.add, remove: c.remove, proposal_id: p.id }));
      return {};
    }
  }
}
