// Policy parameters (PROTOCOL.md §4): the values governance can change, validated as a whole
// after every change, and kept as numbered versions (policy/v/<n>) with the proposal that made each.
import type { Json } from './encoding/canonical';
import { DecodeError, int, isObj, obj, oneOf, sortedSet, str } from './tx/fields';
import { ORG_KINDS, PURPOSE_RE, ROLES, type OrgKind, type Role } from './vocab';

export interface Policy {
  voting_period_blocks: number;
  quorum_bps: number;
  threshold_bps: number;
  veto_bps: number;
  break_glass_review_seconds: number;
  break_glass_purposes: string[];
  break_glass_roles: Role[];
  /** purpose code → parent code ('' for a root), the HL7 v3 ActReason hierarchy in use. */
  purposes: Record<string, string>;
  /** purpose code → roles that may declare it. */
  purpose_roles: Record<string, Role[]>;
  custodian_kinds: OrgKind[];
  anchor_roles: Role[];
  register_roles: Role[];
  review_roles: Role[];
  max_consent_seconds: number;
  max_records_per_access: number;
  max_text_len: number;
}

export const POLICY_PARAMS = [
  'anchor_roles', 'break_glass_purposes', 'break_glass_review_seconds', 'break_glass_roles', 'custodian_kinds',
  'max_consent_seconds', 'max_records_per_access', 'max_text_len', 'purpose_roles', 'purposes', 'quorum_bps',
  'register_roles', 'review_roles', 'threshold_bps', 'veto_bps', 'voting_period_blocks',
] as const;

/** Hard bounds that no policy may exceed (§4). */
export const MAX_TEXT_HARD = 2048;

export const DEFAULT_POLICY: Policy = {
  voting_period_blocks: 20,
  quorum_bps: 5000,
  threshold_bps: 5000,
  veto_bps: 3334,
  break_glass_review_seconds: 72 * 3600,
  break_glass_purposes: ['ETREAT'],
  break_glass_roles: ['clinician', 'nurse'],
  purposes: {
    CLINTRCH: 'HRESCH', ETREAT: 'TREAT', HOPERAT: '', HPAYMT: '', HRESCH: '', PATRQT: '', PUBHLTH: '', TREAT: '',
  },
  purpose_roles: {
    CLINTRCH: ['clinician', 'researcher'],
    ETREAT: ['clinician', 'nurse'],
    HOPERAT: ['admin', 'officer'],
    HPAYMT: ['billing'],
    HRESCH: ['researcher'],
    PATRQT: ['admin', 'clinician'],
    PUBHLTH: ['auditor'],
    TREAT: ['clinician', 'nurse', 'technician'],
  },
  custodian_kinds: ['clinic', 'hospital', 'lab'],
  anchor_roles: ['clinician', 'nurse', 'technician'],
  register_roles: ['admin', 'clinician', 'nurse'],
  review_roles: ['auditor', 'officer'],
  max_consent_seconds: 5 * 365 * 86400,
  max_records_per_access: 64,
  max_text_len: 512,
};

const role = (x: unknown, p: string) => oneOf(x, p, ROLES);
const kind = (x: unknown, p: string) => oneOf(x, p, ORG_KINDS);
const code = (x: unknown, p: string) => str(x, p, PURPOSE_RE, 'an HL7 v3 ActReason code (A-Z, 0-9)');

/** Validates one parameter's value (§4 table). */
export function validateParam(name: string, v: unknown, path: string): Json {
  switch (name) {
    case 'voting_period_blocks': return int(v, path, 1, 1_000_000);
    case 'quorum_bps': case 'threshold_bps': case 'veto_bps': return int(v, path, 1, 10_000);
    case 'break_glass_review_seconds': return int(v, path, 60, 31_536_000);
    case 'max_consent_seconds': return int(v, path, 60, 3_153_600_000);
    case 'max_records_per_access': return int(v, path, 1, 1000);
    case 'max_text_len': return int(v, path, 16, MAX_TEXT_HARD);
    case 'break_glass_purposes': return sortedSet(v, path, 0, 64, code);
    case 'break_glass_roles': case 'anchor_roles': case 'register_roles': case 'review_roles':
      return sortedSet(v, path, 0, ROLES.length, role);
    case 'custodian_kinds': return sortedSet(v, path, 0, ORG_KINDS.length, kind);
    case 'purposes': {
      if (!isObj(v)) throw new DecodeError(path, 'must be an object');
      const keys = Object.keys(v);
      if (keys.length < 1 || keys.length > 64) throw new DecodeError(path, 'must have 1..64 codes');
      for (const k of keys) {
        code(k, `${path}.${k}`);
        const parent = v[k];
        if (parent !== '') code(parent, `${path}.${k}`);
      }
      return v;
    }
    case 'purpose_roles': {
      if (!isObj(v)) throw new DecodeError(path, 'must be an object');
      for (const k of Object.keys(v)) {
        code(k, `${path}.${k}`);
        sortedSet(v[k], `${path}.${k}`, 0, ROLES.length, role);
      }
      return v;
    }
    default:
      throw new DecodeError(path, 'is not a policy parameter');
  }
}

/** Validates a complete policy, including the cross-parameter rules of §4. */
export function validatePolicy(v: unknown, path = 'policy'): Policy {
  const o = obj(v, path, POLICY_PARAMS);
  for (const k of POLICY_PARAMS) validateParam(k, o[k], `${path}.${k}`);
  const p = o as unknown as Policy;
  // Every parent is itself a code, and parent chains end at a root (no cycles).
  for (const c of Object.keys(p.purposes)) {
    let cur = c;
    for (let steps = 0; p.purposes[cur] !== ''; steps++) {
      const parent = p.purposes[cur]!;
      if (!(parent in p.purposes)) throw new DecodeError(`${path}.purposes.${cur}`, `parent ${parent} is not a listed purpose`);
      if (steps > 64) throw new DecodeError(`${path}.purposes.${c}`, 'parent chain has a cycle');
      cur = parent;
    }
  }
  for (const c of Object.keys(p.purpose_roles)) {
    if (!(c in p.purposes)) throw new DecodeError(`${path}.purpose_roles.${c}`, 'is not a listed purpose');
  }
  for (const [i, c] of p.break_glass_purposes.entries()) {
    if (!(c in p.purposes)) throw new DecodeError(`${path}.break_glass_purposes[${i}]`, 'is not a listed purpose');
  }
  return p;
}

/** True when `declared` equals `granted` or descends from it in the purpose hierarchy (§5.11). */
export function purposeCovers(policy: Policy, granted: string, declared: string): boolean {
  let cur: string | undefined = declared;
  for (let steps = 0; cur !== undefined && cur !== '' && steps <= 64; steps++) {
    if (cur === granted) return true;
    cur = policy.purposes[cur];
  }
  return false;
}
