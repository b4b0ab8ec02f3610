// Transaction kinds and their bodies (PROTOCOL.md §5). Field names are the JSON member names.
import type {
  AccessAction, AmendReason, EndReason, OrgKind, ProxyRelationship, ResourceType, ReviewOutcome, Role, VoteOption,
} from '../vocab';

export const TX_KINDS = [
  'access.record', 'breakglass.review', 'consent.grant', 'consent.revoke', 'gov.propose', 'gov.vote',
  'member.add', 'member.end', 'member.roles', 'patient.register', 'proxy.grant', 'proxy.revoke',
  'record.amend', 'record.anchor',
] as const;
export type TxKind = (typeof TX_KINDS)[number];

export interface MemberAddBody { pubkey: string; roles: Role[] }
export interface MemberRolesBody { pubkey: string; roles: Role[] }
export interface MemberEndBody { pubkey: string; reason: EndReason }
export interface PatientRegisterBody { patient: string }
export interface ProxyGrantBody { proxy: string; relationship: ProxyRelationship; until?: number }
export interface ProxyRevokeBody { patient: string; proxy: string }
export interface RecordAnchorBody { patient: string; resource_type: ResourceType; uri: string; sha256: string }
export interface RecordAmendBody { record_id: string; prior_version: number; uri: string; sha256: string; reason: AmendReason }

export type Grantee =
  | { kind: 'org'; org: string }
  | { kind: 'member'; member: string }
  | { kind: 'role'; role: Role; org?: string };
export type Scope =
  | { kind: 'all' }
  | { kind: 'records'; records: string[] }
  | { kind: 'resource_types'; resource_types: ResourceType[] };
export interface Period { start: number; end: number }
export interface ConsentGrantBody { patient: string; grantee: Grantee; scope: Scope; purposes: string[]; period: Period }
export interface ConsentRevokeBody { consent_id: string }

export interface AccessRecordBody {
  org: string;
  records: string[];
  purpose: string;
  action: AccessAction;
  consent_id?: string;
  break_glass?: { justification: string };
}
export interface BreakGlassReviewBody { access_id: string; outcome: ReviewOutcome; note?: string }

export interface OrgSpec { id: string; name: string; kind: OrgKind }
export interface ValidatorSpec { pub_key: string; power: number }
export type ProposalContent =
  | { type: 'policy_change'; changes: Record<string, unknown> }
  | { type: 'org_admit'; org: OrgSpec; admin: string }
  | { type: 'org_remove'; org_id: string }
  | { type: 'validator_update'; updates: ValidatorSpec[] }
  | { type: 'board_change'; add: string[]; remove: string[] };
export interface GovProposeBody { title: string; summary: string; content: ProposalContent }
export interface GovVoteBody { proposal_id: number; option: VoteOption }

export interface TxBodies {
  'member.add': MemberAddBody;
  'member.roles': MemberRolesBody;
  'member.end': MemberEndBody;
  'patient.register': PatientRegisterBody;
  'proxy.grant': ProxyGrantBody;
  'proxy.revoke': ProxyRevokeBody;
  'record.anchor': RecordAnchorBody;
  'record.amend': RecordAmendBody;
  'consent.grant': ConsentGrantBody;
  'consent.revoke': ConsentRevokeBody;
  'access.record': AccessRecordBody;
  'breakglass.review': BreakGlassReviewBody;
  'gov.propose': GovProposeBody;
  'gov.vote': GovVoteBody;
}

/** A decoded, schema-valid transaction (signature not yet checked). */
export interface Tx<K extends TxKind = TxKind> {
  v: 1;
  chain_id: string;
  kind: K;
  nonce: number;
  signer: string;
  body: TxBodies[K];
  sig: string;
}

export type AnyTx = { [K in TxKind]: Tx<K> }[TxKind];
