// The genesis app_state (PROTOCOL.md §10): its schema, and the initial state it yields.
import type { Json } from './encoding/canonical';
import { parseJsonValue } from './encoding/canonical';
import { toHexLower } from './encoding/hex';
import { utf8Decode } from './encoding/utf8';
import { validatePolicy, type Policy } from './policy';
import { isValidKey } from './rules/context';
import { K, type Member, type Meta, type Org, type PolicyVersion, type ValidatorEntry } from './state';
import { DecodeError, int, obj, oneOf, pubkey, sortedSet, str, text } from './tx/fields';
import { CHAIN_ID_RE, ORG_ID_RE, ORG_KINDS, ROLES, type OrgKind, type Role } from './vocab';

export interface GenesisOrg { id: string; name: string; kind: OrgKind }
export interface GenesisMember { pubkey: string; org: string; roles: Role[] }
export interface GenesisPatient { pubkey: string; org: string }
export interface AppState {
  policy: Policy;
  organisations: GenesisOrg[];
  members: GenesisMember[];
  board: string[];
  patients?: GenesisPatient[];
  validators?: ValidatorEntry[];
}

/** Accepts app_state as parsed JSON, JSON text, or UTF-8 JSON bytes (InitChain's app_state_bytes). */
export function parseAppState(appState: unknown): AppState {
  let v: unknown = appState;
  if (v instanceof Uint8Array) v = utf8Decode(v);
  if (typeof v === 'string') v = parseJsonValue(v);
  // A private copy: the caller's object must not alias the machine's state.
  else if (typeof v === 'object' && v !== null) v = JSON.parse(JSON.stringify(v));
  const o = obj(v, 'app_state', ['policy', 'organisations', 'members', 'board'], ['patients', 'validators']);
  const policy = validatePolicy(o.policy, 'app_state.policy');
  const arr = (x: unknown, p: string): unknown[] => {
    if (!Array.isArray(x)) throw new DecodeError(p, 'must be an array');
    return x;
  };
  const orgIds = new Set<string>();
  const organisations = arr(o.organisations, 'app_state.organisations').map((x, i) => {
    const p = `app_state.organisations[${i}]`;
    const g = obj(x, p, ['id', 'name', 'kind']);
    const org: GenesisOrg = {
      id: str(g.id, `${p}.id`, ORG_ID_RE, 'an organisation id'), name: text(g.name, `${p}.name`, 120),
      kind: oneOf(g.kind, `${p}.kind`, ORG_KINDS),
    };
    if (orgIds.has(org.id)) throw new DecodeError(`${p}.id`, 'duplicate organisation id');
    orgIds.add(org.id);
    return org;
  });
  const keys = new Set<string>();
  const members = arr(o.members, 'app_state.members').map((x, i) => {
    const p = `app_state.members[${i}]`;
    const g = obj(x, p, ['pubkey', 'org', 'roles']);
    const m: GenesisMember = {
      pubkey: pubkey(g.pubkey, `${p}.pubkey`), org: str(g.org, `${p}.org`),
      roles: sortedSet(g.roles, `${p}.roles`, 1, ROLES.length, (r, q) => oneOf(r, q, ROLES)),
    };
    if (!orgIds.has(m.org)) throw new DecodeError(`${p}.org`, 'is not a genesis organisation');
    if (keys.has(m.pubkey)) throw new DecodeError(`${p}.pubkey`, 'duplicate member key');
    if (!isValidKey(m.pubkey)) throw new DecodeError(`${p}.pubkey`, 'not a valid Ed25519 public key');
    keys.add(m.pubkey);
    return m;
  });
  const board = sortedSet(o.board, 'app_state.board', 1, 64, pubkey);
  for (const [i, pk] of board.entries()) if (!keys.has(pk)) throw new DecodeError(`app_state.board[${i}]`, 'is not a genesis member');
  const out: AppState = { policy, organisations, members, board };
  if (o.patients !== undefined) {
    const seen = new Set<string>();
    out.patients = arr(o.patients, 'app_state.patients').map((x, i) => {
      const p = `app_state.patients[${i}]`;
      const g = obj(x, p, ['pubkey', 'org']);
      const pt: GenesisPatient = { pubkey: pubkey(g.pubkey, `${p}.pubkey`), org: str(g.org, `${p}.org`) };
      if (!orgIds.has(pt.org)) throw new DecodeError(`${p}.org`, 'is not a genesis organisation');
      if (seen.has(pt.pubkey)) throw new DecodeError(`${p}.pubkey`, 'duplicate patient key');
      if (!isValidKey(pt.pubkey)) throw new DecodeError(`${p}.pubkey`, 'not a valid Ed25519 public key');
      seen.add(pt.pubkey);
      return pt;
    });
  }
  if (o.validators !== undefined) out.validators = validatorList(o.validators, 'app_state.validators');
  return out;
}

function validatorList(v: unknown, path: string): ValidatorEntry[] {
  if (!Array.isArray(v) || v.length === 0) throw new DecodeError(path, 'must be a non-empty array');
  const out = v.map((x, i) => {
    const g = obj(x, `${path}[${i}]`, ['pub_key', 'power'], ['name']);
    return { pub_key: pubkey(g.pub_key, `${path}[${i}].pub_key`), power: int(g.power, `${path}[${i}].power`, 1, 1_000_000_000_000) };
  });
  out.sort((a, b) => (a.pub_key < b.pub_key ? -1 : a.pub_key > b.pub_key ? 1 : 0));
  for (let i = 1; i < out.length; i++) if (out[i - 1]!.pub_key === out[i]!.pub_key) throw new DecodeError(path, 'duplicate validator');
  return out;
}

/** §10.2: the state entries at genesis (before the first block). */
export function genesisEntries(
  chainId: string, app: AppState, initialHeight: number, genesisValidators: { pubKey: Uint8Array; power: bigint }[],
): { entries: Map<string, Json>; validators: ValidatorEntry[] } {
  if (!CHAIN_ID_RE.test(chainId)) throw new DecodeError('chain_id', 'must be 1..50 printable ASCII characters');
  const e = new Map<string, Json>();
  const put = (k: string, v: object) => e.set(k, v as Json);
  const meta: Meta = { chain_id: chainId, initial_height: initialHeight, height: 0, time: 0, next_proposal_id: 1 };
  put(K.meta, meta);
  const pv: PolicyVersion = { version: 1, params: app.policy, proposal_id: 0, height: 0 };
  put(K.policyVersion(1), pv);
  put(K.policyCurrent, { version: 1 });
  for (const o of app.organisations) {
    const org: Org = { ...o, status: 'active', admitted_height: 0, admitted_by_proposal: 0 };
    put(K.org(o.id), org);
  }
  for (const m of app.members) {
    const mem: Member = { ...m, status: 'active', added_height: 0, added_by: 'genesis' };
    put(K.member(m.pubkey), mem);
    put(K.account(m.pubkey), { nonce: 0 });
  }
  for (const p of app.patients ?? []) {
    put(K.patient(p.pubkey), { pubkey: p.pubkey, registered_by: 'genesis', org: p.org, height: 0 });
    put(K.account(p.pubkey), { nonce: 0 });
  }
  put(K.board, { members: app.board });
  let validators: ValidatorEntry[];
  if (app.validators) {
    validators = app.validators;
  } else {
    validators = validatorList(
      genesisValidators.map((v) => ({ pub_key: toHexLower(v.pubKey), power: Number(v.power) })), 'genesis.validators',
    );
  }
  put(K.validators, { validators });
  put(K.govQueue, { queue: [] });
  return { entries: e, validators };
}
