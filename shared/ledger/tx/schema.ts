// Body schemas, one per transaction kind (PROTOCOL.md §5). Stateless checks only: types,
// formats, sortedness, hard length limits. Checks against state and policy are in rules/.
import {
  ACCESS_ACTIONS, AMEND_REASONS, END_REASONS, ORG_ID_RE, ORG_KINDS, PROXY_RELATIONSHIPS, PURPOSE_RE, RESOURCE_TYPES,
  REVIEW_OUTCOMES, ROLES, URI_RE, VOTE_OPTIONS,
} from '../vocab';
import { MAX_TEXT_HARD, POLICY_PARAMS, validateParam } from '../policy';
import { DecodeError, int, isObj, obj, oneOf, pubkey, sha256Hex, sortedSet, str, text, txRef } from './fields';
import type {
  AccessRecordBody, BreakGlassReviewBody, ConsentGrantBody, ConsentRevokeBody, GovProposeBody, GovVoteBody, Grantee,
  MemberAddBody, MemberEndBody, PatientRegisterBody, ProposalContent, ProxyGrantBody, ProxyRevokeBody,
  RecordAmendBody, RecordAnchorBody, Scope, TxBodies, TxKind,
} from './types';

/** Times are Unix seconds (block time, §2.5); this bound keeps them far inside safe integers. */
export const MAX_TIME = 253_402_300_799; // 9999-12-31T23:59:59Z
const MAX_VALIDATOR_POWER = 1_000_000_000_000; // far below CometBFT's MaxTotalVotingPower

const role = (x: unknown, p: string) => oneOf(x, p, ROLES);
const purpose = (x: unknown, p: string) => str(x, p, PURPOSE_RE, 'an HL7 v3 ActReason code');
const orgId = (x: unknown, p: string) => str(x, p, ORG_ID_RE, 'an organisation id (lower-case slug, 2..48 chars)');

function memberAdd(b: unknown, p: string): MemberAddBody {
  const o = obj(b, p, ['pubkey', 'roles']);
  return { pubkey: pubkey(o.pubkey, `${p}.pubkey`), roles: sortedSet(o.roles, `${p}.roles`, 1, ROLES.length, role) };
}

function memberEnd(b: unknown, p: string): MemberEndBody {
  const o = obj(b, p, ['pubkey', 'reason']);
  return { pubkey: pubkey(o.pubkey, `${p}.pubkey`), reason: oneOf(o.reason, `${p}.reason`, END_REASONS) };
}

function patientRegister(b: unknown, p: string): PatientRegisterBody {
  const o = obj(b, p, ['patient']);
  return { patient: pubkey(o.patient, `${p}.patient`) };
}

function proxyGrant(b: unknown, p: string): ProxyGrantBody {
  const o = obj(b, p, ['proxy', 'relationship'], ['until']);
  const out: ProxyGrantBody = {
    proxy: pubkey(o.proxy, `${p}.proxy`),
    relationship: oneOf(o.relationship, `${p}.relationship`, PROXY_RELATIONSHIPS),
  };
  if (o.until !== undefined) out.until = int(o.until, `${p}.until`, 0, MAX_TIME);
  return out;
}

function proxyRevoke(b: unknown, p: string): ProxyRevokeBody {
  const o = obj(b, p, ['patient', 'proxy']);
  return { patient: pubkey(o.patient, `${p}.patient`), proxy: pubkey(o.proxy, `${p}.proxy`) };
}

function recordAnchor(b: unknown, p: string): RecordAnchorBody {
  const o = obj(b, p, ['patient', 'resource_type', 'uri', 'sha256']);
  return {
    patient: pubkey(o.patient, `${p}.patient`),
    resource_type: oneOf(o.resource_type, `${p}.resource_type`, RESOURCE_TYPES),
    uri: str(o.uri, `${p}.uri`, URI_RE, 'an opaque pointer of 1..512 printable ASCII characters without spaces'),
    sha256: sha256Hex(o.sha256, `${p}.sha256`),
  };
}

function recordAmend(b: unknown, p: string): RecordAmendBody {
  const o = obj(b, p, ['record_id', 'prior_version', 'uri', 'sha256', 'reason']);
  return {
    record_id: txRef(o.record_id, `${p}.record_id`),
    prior_version: int(o.prior_version, `${p}.prior_version`, 1, 1_000_000),
    uri: str(o.uri, `${p}.uri`, URI_RE, 'an opaque pointer of 1..512 printable ASCII characters without spaces'),
    sha256: sha256Hex(o.sha256, `${p}.sha256`),
    reason: oneOf(o.reason, `${p}.reason`, AMEND_REASONS),
  };
}

function grantee(v: unknown, p: string): Grantee {
  if (!isObj(v)) throw new DecodeError(p, 'must be an object');
  const kind = oneOf(v.kind, `${p}.kind`, ['member', 'org', 'role'] as const);
  if (kind === 'org') {
    const o = obj(v, p, ['kind', 'org']);
    return { kind, org: orgId(o.org, `${p}.org`) };
  }
  if (kind === 'member') {
    const o = obj(v, p, ['kind', 'member']);
    return { kind, member: pubkey(o.member, `${p}.member`) };
  }
  const o = obj(v, p, ['kind', 'role'], ['org']);
  const g: Grantee = { kind, role: role(o.role, `${p}.role`) };
  if (o.org !== undefined) g.org = orgId(o.org, `${p}.org`);
  return g;
}

function scope(v: unknown, p: string): Scope {
  if (!isObj(v)) throw new DecodeError(p, 'must be an object');
  const kind = oneOf(v.kind, `${p}.kind`, ['all', 'records', 'resource_types'] as const);
  if (kind === 'all') {
    obj(v, p, ['kind']);
    return { kind };
  }
  if (kind === 'records') {
    const o = obj(v, p, ['kind', 'records']);
    return { kind, records: sortedSet(o.records, `${p}.records`, 1, 256, txRef) };
  }
  const o = obj(v, p, ['kind', 'resource_types']);
  return {
    kind,
    resource_types: sortedSet(o.resource_types, `${p}.resource_types`, 1, RESOURCE_TYPES.length,
      (x, q) => oneOf(x, q, RESOURCE_TYPES)),
  };
}

function consentGrant(b: unknown, p: string): ConsentGrantBody {
  const o = obj(b, p, ['patient', 'grantee', 'scope', 'purposes', 'period']);
  const per = obj(o.period, `${p}.period`, ['start', 'end']);
  const start = int(per.start, `${p}.period.start`, 0, MAX_TIME);
  const end = int(per.end, `${p}.period.end`, 0, MAX_TIME);
  if (end <= start) throw new DecodeError(`${p}.period.end`, 'must be after period.start');
  return {
    patient: pubkey(o.patient, `${p}.patient`),
    grantee: grantee(o.grantee, `${p}.grantee`),
    scope: scope(o.scope, `${p}.scope`),
    purposes: sortedSet(o.purposes, `${p}.purposes`, 1, 16, purpose),
    period: { start, end },
  };
}

function consentRevoke(b: unknown, p: string): ConsentRevokeBody {
  const o = obj(b, p, ['consent_id']);
  return { consent_id: txRef(o.consent_id, `${p}.consent_id`) };
}

function accessRecord(b: unknown, p: string): AccessRecordBody {
  const o = obj(b, p, ['org', 'records', 'purpose', 'action'], ['consent_id', 'break_glass']);
  const out: AccessRecordBody = {
    org: orgId(o.org, `${p}.org`),
    records: sortedSet(o.records, `${p}.records`, 1, 1000, txRef),
    purpose: purpose(o.purpose, `${p}.purpose`),
    action: oneOf(o.action, `${p}.action`, ACCESS_ACTIONS),
  };
  if (o.consent_id !== undefined && o.break_glass !== undefined) {
    throw new DecodeError(`${p}.break_glass`, 'must not be given together with consent_id');
  }
  if (o.consent_id !== undefined) out.consent_id = txRef(o.consent_id, `${p}.consent_id`);
  if (o.break_glass !== undefined) {
    const bg = obj(o.break_glass, `${p}.break_glass`, ['justification']);
    out.break_glass = { justification: text(bg.justification, `${p}.break_glass.justification`, MAX_TEXT_HARD) };
  }
  return out;
}

function breakGlassReview(b: unknown, p: string): BreakGlassReviewBody {
  const o = obj(b, p, ['access_id', 'outcome'], ['note']);
  const out: BreakGlassReviewBody = {
    access_id: txRef(o.access_id, `${p}.access_id`),
    outcome: oneOf(o.outcome, `${p}.outcome`, REVIEW_OUTCOMES),
  };
  if (o.note !== undefined) out.note = text(o.note, `${p}.note`, MAX_TEXT_HARD);
  return out;
}

function proposalContent(v: unknown, p: string): ProposalContent {
  if (!isObj(v)) throw new DecodeError(p, 'must be an object');
  const type = oneOf(v.type, `${p}.type`, ['board_change', 'org_admit', 'org_remove', 'policy_change', 'validator_update'] as const);
  switch (type) {
    case 'policy_change': {
      const o = obj(v, p, ['type', 'changes']);
      if (!isObj(o.changes)) throw new DecodeError(`${p}.changes`, 'must be an object');
      const keys = Object.keys(o.changes);
      if (keys.length === 0) throw new DecodeError(`${p}.changes`, 'must change at least one parameter');
      for (const k of keys) {
        if (!(POLICY_PARAMS as readonly string[]).includes(k)) throw new DecodeError(`${p}.changes.${k}`, 'is not a policy parameter');
        validateParam(k, o.changes[k], `${p}.changes.${k}`);
      }
      return { type, changes: o.changes };
    }
    case 'org_admit': {
      const o = obj(v, p, ['type', 'org', 'admin']);
      const org = obj(o.org, `${p}.org`, ['id', 'name', 'kind']);
      return {
        type,
        org: {
          id: orgId(org.id, `${p}.org.id`),
          name: text(org.name, `${p}.org.name`, 120),
          kind: oneOf(org.kind, `${p}.org.kind`, ORG_KINDS),
        },
        admin: pubkey(o.admin, `${p}.admin`),
      };
    }
    case 'org_remove': {
      const o = obj(v, p, ['type', 'org_id']);
      return { type, org_id: orgId(o.org_id, `${p}.org_id`) };
    }
    case 'validator_update': {
      const o = obj(v, p, ['type', 'updates']);
      if (!Array.isArray(o.updates) || o.updates.length < 1 || o.updates.length > 16) {
        throw new DecodeError(`${p}.updates`, 'must be an array of 1..16 updates');
      }
      const updates = o.updates.map((u, i) => {
        const q = `${p}.updates[${i}]`;
        const uo = obj(u, q, ['pub_key', 'power']);
        return { pub_key: pubkey(uo.pub_key, `${q}.pub_key`), power: int(uo.power, `${q}.power`, 0, MAX_VALIDATOR_POWER) };
      });
      for (let i = 1; i < updates.length; i++) {
        if (!(updates[i - 1]!.pub_key < updates[i]!.pub_key)) {
          throw new DecodeError(`${p}.updates[${i}].pub_key`, 'updates must be sorted by pub_key without duplicates');
        }
      }
      return { type, updates };
    }
    case 'board_change': {
      const o = obj(v, p, ['type', 'add', 'remove']);
      const add = sortedSet(o.add, `${p}.add`, 0, 16, pubkey);
      const remove = sortedSet(o.remove, `${p}.remove`, 0, 16, pubkey);
      if (add.length + remove.length === 0) throw new DecodeError(`${p}.add`, 'add and remove must not both be empty');
      for (const k of add) if (remove.includes(k)) throw new DecodeError(`${p}.remove`, `${k} is both added and removed`);
      return { type, add, remove };
    }
  }
}

function govPropose(b: unknown, p: string): GovProposeBody {
  const o = obj(b, p, ['title', 'summary', 'content']);
  return {
    title: text(o.title, `${p}.title`, 120),
    summary: text(o.summary, `${p}.summary`, MAX_TEXT_HARD, 0),
    content: proposalContent(o.content, `${p}.content`),
  };
}

function govVote(b: unknown, p: string): GovVoteBody {
  const o = obj(b, p, ['proposal_id', 'option']);
  return {
    proposal_id: int(o.proposal_id, `${p}.proposal_id`, 1, Number.MAX_SAFE_INTEGER),
    option: oneOf(o.option, `${p}.option`, VOTE_OPTIONS),
  };
}

type BodyDecoders = { [K in TxKind]: (b: unknown, path: string) => TxBodies[K] };
export const BODY_DECODERS: BodyDecoders = {
  'member.add': memberAdd,
  'member.roles': memberAdd,
  'member.end': memberEnd,
  'patient.register': patientRegister,
  'proxy.grant': proxyGrant,
  'proxy.revoke': proxyRevoke,
  'record.anchor': recordAnchor,
  'record.amend': recordAmend,
  'consent.grant': consentGrant,
  'consent.revoke': consentRevoke,
  'access.record': accessRecord,
  'breakglass.review': breakGlassReview,
  'gov.propose': govPropose,
  'gov.vote': govVote,
};

/** Validates a body for its kind; throws DecodeError naming the field. */
export function decodeBody<K extends TxKind>(kind: K, body: unknown): TxBodies[K] {
  return BODY_DECODERS[kind](body, 'body');
}
