// Query paths (PROTOCOL.md §12), answered from committed state as canonical JSON.
import { Code } from './codes';
import type { Json } from './encoding/canonical';
import { HEX32_LOWER, HEX32_UPPER } from './encoding/hex';
import { outcomeOf, tallyOf } from './rules/governance';
import { K, type PolicyVersion, type RecordVersion, type StateView } from './state';
import { ORG_ID_RE } from './vocab';

export interface QueryAnswer { code: number; value?: Json; log: string }

const ok = (value: unknown): QueryAnswer => ({ code: Code.OK, value: value as Json, log: '' });
const notFound = (what: string): QueryAnswer => ({ code: Code.NOT_FOUND, log: `${what} not found` });
const bad = (log: string): QueryAnswer => ({ code: Code.MALFORMED, log });
const found = (v: unknown, what: string) => (v === undefined ? notFound(what) : ok(v));

/** What the lists by key (orgs, members, proposals) read: every key and a key's value; a CommittedState is one, and so is a Map. */
export interface KeyedValues {
  keys(): Iterable<string>;
  get(key: string): Json | undefined;
}

function list(all: KeyedValues, re: RegExp): Json[] {
  const keys = [...all.keys()].filter((k) => re.test(k)).sort();
  return keys.map((k) => all.get(k)!);
}

export function runQuery(st: StateView, all: KeyedValues, path: string, _data: Uint8Array): QueryAnswer {
  const parts = path.split('/');
  if (parts[0] !== '' || parts.length < 2) return bad(`query path must start with /: ${path}`);
  const [, head, a, b] = parts;
  const n = parts.length;
  const pk = (x: string | undefined) => x !== undefined && HEX32_LOWER.test(x);
  const id = (x: string | undefined) => x !== undefined && HEX32_UPPER.test(x);
  const num = (x: string | undefined) => x !== undefined && /^[1-9][0-9]{0,15}$/.test(x);
  switch (head) {
    case 'meta': if (n === 2) return ok(st.meta()); break;
    case 'policy':
      if (n === 2) return ok(st.policyVersion(st.policyVersionNumber()));
      if (n === 3 && a === 'versions') {
        const out: PolicyVersion[] = [];
        for (let v = 1; v <= st.policyVersionNumber(); v++) out.push(st.policyVersion(v)!);
        return ok(out);
      }
      if (n === 4 && a === 'versions' && num(b)) return found(st.policyVersion(Number(b)), `policy version ${b}`);
      break;
    case 'orgs': if (n === 2) return ok(list(all, /^org\/[^/]+$/)); break;
    case 'org': if (n === 3 && ORG_ID_RE.test(a ?? '')) return found(st.org(a!), `organisation ${a}`); break;
    case 'members':
      if (n === 3 && ORG_ID_RE.test(a ?? '')) return ok(list(all, /^member\//).filter((m) => (m as { org: string }).org === a));
      break;
    case 'member': if (n === 3 && pk(a)) return found(st.member(a!), `member ${a}`); break;
    case 'patient': if (n === 3 && pk(a)) return found(st.patient(a!), `patient ${a}`); break;
    case 'proxy': if (n === 4 && pk(a) && pk(b)) return found(st.proxy(a!, b!), 'proxy'); break;
    case 'nonce':
      if (n === 3 && pk(a)) {
        const acc = st.account(a!);
        return acc ? ok({ pubkey: a, nonce: acc.nonce, next_nonce: acc.nonce + 1 }) : notFound(`account ${a}`);
      }
      break;
    case 'record':
      if (n === 3 && id(a)) {
        const head = st.record(a!);
        if (!head) return notFound(`record ${a}`);
        const versions: RecordVersion[] = [];
        for (let v = 1; v <= head.version; v++) versions.push(st.get<RecordVersion>(K.recordVersion(a!, v))!);
        return ok({ record: head, versions });
      }
      break;
    case 'consent': if (n === 3 && id(a)) return found(st.consent(a!), `consent ${a}`); break;
    case 'access': if (n === 3 && id(a)) return found(st.access(a!), `access ${a}`); break;
    case 'proposals': if (n === 2) return ok(list(all, /^proposal\/[0-9]+$/)); break;
    case 'proposal':
      if (n === 3 && num(a)) {
        const p = st.proposal(Number(a));
        return p ? ok({ proposal: p, votes: st.votes(p.id) }) : notFound(`proposal ${a}`);
      }
      break;
    case 'tally':
      if (n === 3 && num(a)) {
        const p = st.proposal(Number(a));
        if (!p) return notFound(`proposal ${a}`);
        if (p.tally) return ok({ proposal_id: p.id, final: true, status: p.status, reason: p.reason, tally: p.tally });
        const tally = tallyOf(st, p.id);
        const o = outcomeOf(st.policy(), tally);
        return ok({ proposal_id: p.id, final: false, status: p.status, tally, if_ended_now: o.status, reason: o.reason });
      }
      break;
    case 'validators': if (n === 2) return ok(st.validators()); break;
    case 'board': if (n === 2) return ok(st.board()); break;
  }
  return bad(`unknown query path ${path}`);
}
