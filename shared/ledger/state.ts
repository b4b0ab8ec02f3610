// The state layout (PROTOCOL.md §7.1): every key, and the JSON shape stored under it.
import type { Json } from './encoding/canonical';
import type { Policy } from './policy';
import type { Overlay, Reader } from './state/store';
import type { Grantee, Period, ProposalContent, Scope } from './tx/types';
import type {
  AccessAction, AmendReason, Decision, DenyReason, EndReason, OrgKind, ProxyRelationship, ResourceType, ReviewOutcome, Role,
  VoteOption,
} from './vocab';

export const K = {
  meta: 'meta',
  account: (pk: string) => `account/${pk}`,
  org: (id: string) => `org/${id}`,
  member: (pk: string) => `member/${pk}`,
  patient: (pk: string) => `patient/${pk}`,
  proxy: (patient: string, proxy: string) => `proxy/${patient}/${proxy}`,
  record: (id: string) => `record/${id}`,
  recordVersion: (id: string, v: number) => `record/${id}/v/${v}`,
  consent: (id: string) => `consent/${id}`,
  access: (id: string) => `access/${id}`,
  proposal: (id: number) => `proposal/${id}`,
  votes: (id: number) => `proposal/${id}/votes`,
  govQueue: 'gov/queue',
  policyCurrent: 'policy/current',
  policyVersion: (n: number) => `policy/v/${n}`,
  validators: 'validators',
  board: 'board',
} as const;

export interface Meta { chain_id: string; initial_height: number; height: number; time: number; next_proposal_id: number }
export interface Account { nonce: number }
export interface Org {
  id: string; name: string; kind: OrgKind; status: 'active' | 'removed';
  admitted_height: number; admitted_by_proposal: number; removed_height?: number; removed_by_proposal?: number;
}
export interface Member {
  pubkey: string; org: string; roles: Role[]; status: 'active' | 'ended';
  added_height: number; added_by: string; ended_height?: number; ended_time?: number; ended_by?: string; end_reason?: EndReason;
}
export interface Patient { pubkey: string; registered_by: string; org: string; height: number }
export interface Proxy {
  patient: string; proxy: string; relationship: ProxyRelationship; until?: number; status: 'active' | 'revoked';
  granted_height: number; granted_time: number; revoked_height?: number; revoked_by?: string;
}
export interface RecordHead {
  id: string; patient: string; custodian: string; resource_type: ResourceType; version: number; created_height: number;
}
export interface RecordVersion {
  record_id: string; version: number; uri: string; sha256: string; by: string; tx: string; height: number; time: number;
  prev_sha256?: string; reason?: AmendReason;
}
export interface Consent {
  id: string; patient: string; grantor: string; grantor_is_proxy: boolean; grantee: Grantee; scope: Scope;
  purposes: string[]; period: Period; status: 'active' | 'revoked'; granted_height: number; granted_time: number;
  revoked_height?: number; revoked_time?: number; revoked_by?: string;
}
export interface Access {
  id: string; actor: string; org: string; actor_org: string; patient: string; records: string[]; purpose: string;
  action: AccessAction; consent_id?: string; break_glass?: { justification: string }; decision: Decision;
  reason?: DenyReason; review_deadline?: number; height: number; time: number;
  review?: { by: string; outcome: ReviewOutcome; note?: string; height: number; time: number; late: boolean };
}
export type ProposalStatus = 'voting' | 'passed' | 'rejected' | 'vetoed' | 'failed';
export interface Tally { eligible: number; voted: number; yes: number; no: number; abstain: number; veto: number }
export interface Proposal {
  id: number; proposer: string; title: string; summary: string; content: ProposalContent;
  submit_height: number; submit_time: number; voting_end_height: number; status: ProposalStatus;
  tally?: Tally; final_height?: number; reason?: string; policy_version?: number;
}
export type Votes = Record<string, { option: VoteOption; height: number }>;
export interface PolicyVersion { version: number; params: Policy; proposal_id: number; height: number }
export interface ValidatorEntry { pub_key: string; power: number }

/** Typed reads and writes over an overlay. */
export class StateView {
  constructor(readonly store: Overlay | Reader) {}

  get<T>(key: string): T | undefined {
    return this.store.get(key) as T | undefined;
  }

  put(key: string, value: object): void {
    (this.store as Overlay).set(key, value as Json);
  }

  meta(): Meta { return this.get<Meta>(K.meta)!; }
  account(pk: string): Account | undefined { return this.get<Account>(K.account(pk)); }
  org(id: string): Org | undefined { return this.get<Org>(K.org(id)); }
  member(pk: string): Member | undefined { return this.get<Member>(K.member(pk)); }
  patient(pk: string): Patient | undefined { return this.get<Patient>(K.patient(pk)); }
  proxy(patient: string, proxy: string): Proxy | undefined { return this.get<Proxy>(K.proxy(patient, proxy)); }
  record(id: string): RecordHead | undefined { return this.get<RecordHead>(K.record(id)); }
  consent(id: string): Consent | undefined { return this.get<Consent>(K.consent(id)); }
  access(id: string): Access | undefined { return this.get<Access>(K.access(id)); }
  proposal(id: number): Proposal | undefined { return this.get<Proposal>(K.proposal(id)); }
  votes(id: number): Votes { return this.get<Votes>(K.votes(id)) ?? {}; }
  board(): string[] { return this.get<{ members: string[] }>(K.board)?.members ?? []; }
  validators(): ValidatorEntry[] { return this.get<{ validators: ValidatorEntry[] }>(K.validators)?.validators ?? []; }
  govQueue(): [number, number][] { return this.get<{ queue: [number, number][] }>(K.govQueue)?.queue ?? []; }

  policyVersionNumber(): number { return this.get<{ version: number }>(K.policyCurrent)!.version; }
  policyVersion(n: number): PolicyVersion | undefined { return this.get<PolicyVersion>(K.policyVersion(n)); }
  policy(): Policy { return this.policyVersion(this.policyVersionNumber())!.params; }

  /** Creates a signer account (nonce 0) if the key has none (§2.8). */
  ensureAccount(pk: string): void {
    if (this.account(pk) === undefined) this.put(K.account(pk), { nonce: 0 });
  }

  /** A member whose membership and organisation are both active (§3.2). */
  activeMember(pk: string): Member | undefined {
    const m = this.member(pk);
    if (m === undefined || m.status !== 'active') return undefined;
    const org = this.org(m.org);
    return org !== undefined && org.status === 'active' ? m : undefined;
  }
}
