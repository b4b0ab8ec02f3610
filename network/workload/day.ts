// One simulated day of a health network on the consent ledger, planned from a seed.
//
// The plan is made up front, from the population (genesis staff and patients), the seed and
// the requested size; only ids that the chain assigns (record, consent and access ids are
// transaction ids) are filled in as the day runs. It is played in five phases, each waiting
// for the previous one to be committed (CheckTx sees committed state only):
//
//   1 enrolment   new hires (member.add), patient registrations, proxies, a governance proposal
//   2 records     FHIR documents written off-chain and anchored; consents granted; first votes
//   3 care        accesses (treatment, payment, research), break-glass, amendments,
//                 record-scoped consents for second opinions; last votes
//   4 changes     revocations, break-glass reviews, memberships ending, more accesses/amendments
//   5 more care   accesses, reviews, and the late anomalies (after revocation, after leaving,
//                 the volume spike)
//
// Normal traffic is policy-clean: every access is permitted (or break-glass and later
// reviewed), no consent is used after its revocation, nobody reads in bursts. The anomalies
// are the only exceptions, each recorded in the ground truth with its transaction.
import type { Grantee, Scope, TxBodies, TxKind } from '../../shared/ledger/tx/types';
import type { AccessAction, Role } from '../../shared/ledger/vocab';
import { SkipTx, type Signer, type TxOutcome, type TxRequest } from './client';
import { AMEND_REASON, amend, diagnosticReport, imagingStudy, medicationRequest, observation, type FhirResource, type FhirResourceType } from './fhir';
import type { OffchainStore, StoredDocument } from './offchain';
import type { Member, Patient, Population } from './population';
import type { Rng } from './rng';
import type { ActorRef, AnomalyKind, InjectedAnomaly } from './truth';

const DAY = 86_400;
const YEAR = 365 * DAY;
const PAYER = 'acme-health';
const RESEARCH = 'health-research-institute';
const LAB = 'central-lab';
const REGULATOR = 'health-data-authority';

export interface DayOptions {
  /** Transactions to plan, approximately (default 3000). */
  txs: number;
  anomalies: AnomalyKind[];
  /** Instances per anomaly kind (default 2). */
  perKind: number;
  /** Unix seconds, 00:00 UTC of the simulated day. */
  epoch: number;
  /** Names the day's new keys (patients, hires, proxies), so days never collide. */
  seed: string;
}

export interface Op {
  req: TxRequest;
  /** What the outcome should be; anything else is reported as unexpected. */
  expect?: { decision?: string; reason?: string };
  done?: (o: TxOutcome) => void;
}

export interface Phase {
  name: string;
  /** Run before the phase's transactions are signed (e.g. altering anchored files). */
  before?: () => void;
  ops: Op[];
}

interface RecordPlan {
  n: number;
  patient: Patient;
  custodian: string;
  type: FhirResourceType;
  versions: { resource: FhirResource; doc: StoredDocument; by: Member; txId?: string }[];
  id?: string;
  height?: number;
  altered?: boolean;
}

type ConsentUse = 'treat' | 'member' | 'payer' | 'research' | 'second_opinion' | 'future' | 'revoke_then_use';

interface ConsentPlan {
  patient: Patient;
  grantor: Signer;
  use: ConsentUse;
  grantee: Grantee;
  purposes: string[];
  period: { start: number; end: number };
  scope: () => Scope;
  /** Accesses may cite it in these phases (revoked consents only before their revocation). */
  usableUntilPhase: number;
  records: RecordPlan[];
  id?: string;
}

interface Opportunity {
  actors: Member[];
  purpose: string;
  actions: AccessAction[];
  consent: ConsentPlan;
  records: RecordPlan[];
  fromPhase: number;
}

const ACTIONS: Record<string, AccessAction[]> = {
  TREAT: ['read', 'read', 'read', 'read', 'read', 'read', 'query', 'query', 'print'],
  HPAYMT: ['read', 'read', 'read', 'export', 'export'],
  HRESCH: ['query', 'query', 'query', 'export'],
};

const JUSTIFICATIONS = [
  'Patient unresponsive in the emergency department; medication history needed before sedation.',
  'Trauma admission; prior imaging required urgently to plan surgery.',
  'Suspected adverse drug interaction; patient unable to consent.',
  'Cardiac arrest on arrival; allergy and medication records needed.',
  'Transfer from another hospital overnight; referring records not received.',
];

const PROPOSALS: { title: string; summary: string; changes: Record<string, unknown> }[] = [
  {
    title: 'Shorten the break-glass review window to 48 hours',
    summary: 'Emergency accesses should be reviewed by an officer within two days instead of three.',
    changes: { break_glass_review_seconds: 48 * 3600 },
  },
  {
    title: 'Limit the records one access may cover to 32',
    summary: 'Smaller accesses make the accounting of disclosures easier to read.',
    changes: { max_records_per_access: 32 },
  },
  {
    title: 'Limit consent validity to three years',
    summary: 'Consents must be renewed at least every three years.',
    changes: { max_consent_seconds: 3 * YEAR },
  },
];

export function isoAt(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

/** The planned day: its phases, and what it injected (filled in as outcomes arrive). */
export class Day {
  readonly phases: Phase[] = [];
  readonly anomalies: InjectedAnomaly[] = [];
  readonly records: RecordPlan[] = [];
  readonly newPatients: Patient[] = [];
  readonly activePatients: Patient[] = [];
  governance?: {
    proposalId?: number;
    title: string;
    proposeTxId?: string;
    votingEndHeight?: number;
    votes: { voter: string; option: string; txId: string }[];
  };
  documents = 0;

  private readonly consents: ConsentPlan[] = [];
  private readonly hires: Member[] = [];
  private readonly proxies = new Map<string, Signer & { label: string }>();
  private readonly has: (k: AnomalyKind) => boolean;

  constructor(
    private readonly pop: Population,
    private readonly store: OffchainStore,
    private readonly rng: Rng,
    private readonly o: DayOptions,
  ) {
    const want = new Set(o.anomalies);
    this.has = (k) => want.has(k);
    for (let i = 0; i < 5; i++) this.phases.push({ name: ['enrolment', 'records', 'care', 'changes', 'more care'][i]!, ops: [] });
    this.plan();
  }

  /** Keys that have an account with nonce 0 once phase 1 is committed (saves nonce queries). */
  freshSigners(): string[] {
    return [...this.newPatients.map((p) => p.pubkey), ...[...this.proxies.values()].map((p) => p.pubkey)];
  }

  /** Planned transactions over all phases. */
  get size(): number {
    return this.phases.reduce((s, p) => s + p.ops.length, 0);
  }

  // ------------------------------------------------------------------------------------------
  // helpers

  private at(phase: number, op: Op): void {
    this.phases[phase - 1]!.ops.push(op);
  }

  private tx<K extends TxKind>(phase: number, signer: Signer, kind: K, body: TxBodies[K] | (() => TxBodies[K]), tag: string, extra: Omit<Op, 'req'> = {}): void {
    this.at(phase, { req: { signer, kind, body, tag } as TxRequest, ...extra });
  }

  private actor(m: Member): ActorRef {
    return { member: m.pubkey, label: m.label, org: m.org };
  }

  /** A time of day (Unix seconds) between 07:00 and 20:00 of the simulated day. */
  private when(r: Rng): number {
    return this.o.epoch + r.int(7 * 3600, 20 * 3600);
  }

  private careOrgs(): string[] {
    return this.pop.orgsOfKind('hospital', 'clinic').map((o) => o.id);
  }

  private hospitals(): string[] {
    return this.pop.orgsOfKind('hospital').map((o) => o.id);
  }

  /** Clinicians and nurses of an organisation, genesis staff and today's hires. */
  private carers(org: string, ...roles: Role[]): Member[] {
    const rs = roles.length ? roles : (['clinician', 'nurse'] as Role[]);
    return [...this.pop.staff(org, ...rs), ...this.hires.filter((h) => h.org === org && h.roles.some((r) => rs.includes(r)))];
  }

  private recordIds(recs: RecordPlan[]): string[] {
    const ids = recs.map((r) => r.id);
    if (ids.some((x) => x === undefined)) throw new SkipTx('a record it refers to was not anchored');
    return (ids as string[]).slice().sort();
  }

  private consentId(c: ConsentPlan): string {
    if (!c.id) throw new SkipTx('the consent it cites was not granted');
    return c.id;
  }

  // ------------------------------------------------------------------------------------------
  // the plan

  private plan(): void {
    const N = Math.max(50, Math.round(this.o.txs));
    const k = Math.max(1, Math.round(this.o.perKind));
    const r = this.rng;
    const pool = this.pop.genesisPatients;

    // Sizes (see the module comment); accesses take whatever the budget leaves.
    const registrations = Math.max(5, Math.round((pool.length > 0 ? 0.06 : 0.2) * N));
    const recordCount = Math.max(12, Math.round(0.24 * N));
    const amendCount = Math.max(2, Math.round(0.03 * N));
    const breakGlass = Math.max(2, Math.round(0.006 * N));
    const proxyCount = Math.max(1, Math.round(0.004 * N));

    // ---------------------------------------------------------------- phase 1: enrolment
    const admins = new Map(this.pop.orgs.map((o) => [o.id, this.pop.staff(o.id, 'admin')[0]!]));
    for (const org of this.careOrgs()) {
      const id = this.pop.newIdentity(`member/${org}/${this.o.seed}/clinician-new-1`);
      const m: Member = { ...id, org, roles: ['clinician'] };
      this.hires.push(m);
      this.tx(1, admins.get(org)!, 'member.add', { pubkey: m.pubkey, roles: m.roles }, 'member.add');
    }
    const locums: Member[] = [];
    if (this.has('after_membership_ended')) {
      for (let i = 0; i < k; i++) {
        const org = this.hospitals()[i % this.hospitals().length]!;
        const id = this.pop.newIdentity(`member/${org}/${this.o.seed}/locum-${i + 1}`);
        const m: Member = { ...id, org, roles: ['clinician'] };
        locums.push(m);
        this.tx(1, admins.get(org)!, 'member.add', { pubkey: m.pubkey, roles: m.roles }, 'member.add');
      }
    }

    const rReg = r.fork('register');
    const careWeights = this.careOrgs().map((id) => [id, this.pop.org(id).kind === 'hospital' ? 3 : 2] as const);
    for (let i = 0; i < registrations; i++) {
      const org = rReg.weighted(careWeights);
      const id = this.pop.newIdentity(`patient/${this.o.seed}/${i}`);
      const p: Patient = { ...id, org, genesis: false };
      this.newPatients.push(p);
      const registrar = rReg.weighted([
        [rReg.pick(this.pop.staff(org, 'nurse')), 6],
        [rReg.pick(this.pop.staff(org, 'clinician')), 3],
        [this.pop.staff(org, 'admin')[0]!, 1],
      ] as const);
      this.tx(1, registrar, 'patient.register', { patient: p.pubkey }, 'patient.register');
    }

    // Active today: everyone registered today and a sample of genesis patients.
    const activeCount = Math.max(this.newPatients.length, Math.ceil(recordCount / 1.6));
    const fromPool = r.fork('active').sample(pool, activeCount - this.newPatients.length);
    this.activePatients.push(...this.newPatients, ...fromPool);

    // Proxies: a parent or guardian acting for some genesis patients (who can sign today).
    const rProxy = r.fork('proxy');
    for (const p of rProxy.sample(fromPool, proxyCount)) {
      const proxy = this.pop.newIdentity(`proxy/${this.o.seed}/${p.label}`);
      this.proxies.set(p.pubkey, proxy);
      this.tx(1, p, 'proxy.grant', {
        proxy: proxy.pubkey, relationship: rProxy.pick(['guardian', 'parent', 'caregiver', 'attorney'] as const), until: this.o.epoch + 2 * YEAR,
      }, 'proxy.grant');
    }

    // Governance: a policy amendment from the first board seat, voted on first thing in phase 2
    // (the voting period is counted in blocks, so the votes must not wait for the bulk).
    const prop = r.fork('gov').pick(PROPOSALS);
    this.governance = { title: prop.title, votes: [] };
    const gov = this.governance;
    const board = this.pop.board;
    this.tx(1, board[0]!, 'gov.propose', { title: prop.title, summary: prop.summary, content: { type: 'policy_change', changes: prop.changes } }, 'gov.propose', {
      done: (o) => {
        const d = o.data as { proposal_id?: number; voting_end_height?: number } | undefined;
        gov.proposeTxId = o.id;
        gov.proposalId = d?.proposal_id;
        gov.votingEndHeight = d?.voting_end_height;
      },
    });
    const options = ['yes', 'yes', 'no', 'yes', 'abstain'] as const;
    board.forEach((b, i) => {
      this.tx(2, b, 'gov.vote', () => {
        if (gov.proposalId === undefined) throw new SkipTx('the proposal was not made');
        return { proposal_id: gov.proposalId, option: options[i % options.length]! };
      }, 'gov.vote', { done: (o) => o.status === 'ok' && gov.votes.push({ voter: b.pubkey, option: options[i % options.length]!, txId: o.id! }) });
    });

    // ---------------------------------------------------------------- phase 2: records, consents
    const grantorOf = (p: Patient): Signer => this.proxies.get(p.pubkey) ?? p;
    const rRec = r.fork('records');
    const perPatient = new Map<string, RecordPlan[]>();
    let n = 0;
    // 1–3 records for each active patient in turn, then top-ups while the budget lasts.
    for (let pass = 0; pass < 5 && n < recordCount; pass++) {
      for (const p of this.activePatients) {
        if (n >= recordCount) break;
        const have = perPatient.get(p.pubkey) ?? [];
        const count = pass === 0 ? rRec.weighted([[1, 55], [2, 30], [3, 15]] as const) : 1;
        for (let j = 0; j < count && n < recordCount; j++) {
          const rec = this.makeRecord(n++, p, rRec);
          have.push(rec);
          this.records.push(rec);
        }
        perPatient.set(p.pubkey, have);
      }
    }
    for (const rec of this.records) {
      const v = rec.versions[0]!;
      this.tx(2, v.by, 'record.anchor', { patient: rec.patient.pubkey, resource_type: rec.type, uri: v.doc.uri, sha256: v.doc.sha256 }, 'record.anchor', {
        done: (o) => {
          if (o.status !== 'ok') return;
          rec.id = o.id;
          rec.height = o.height;
          v.txId = o.id;
        },
      });
    }
    const recordsOf = (p: Patient) => perPatient.get(p.pubkey) ?? [];

    const rCon = r.fork('consents');
    const fullYear = { start: this.o.epoch, end: this.o.epoch + YEAR };
    const addConsent = (phase: number, c: Omit<ConsentPlan, 'usableUntilPhase'> & { usableUntilPhase?: number }, tag = 'consent.grant') => {
      const plan: ConsentPlan = { usableUntilPhase: 5, ...c };
      this.consents.push(plan);
      this.tx(phase, plan.grantor, 'consent.grant', () => ({
        patient: plan.patient.pubkey, grantee: plan.grantee, scope: plan.scope(), purposes: plan.purposes, period: plan.period,
      }), tag, { done: (o) => o.status === 'ok' && (plan.id = o.id) });
      return plan;
    };
    const treatConsentOf = new Map<string, ConsentPlan>();
    for (const p of this.activePatients) {
      const recs = recordsOf(p);
      const isHospital = this.pop.org(p.org).kind === 'hospital';
      if (rCon.chance(0.75)) {
        let c: ConsentPlan;
        if (rCon.chance(0.1)) {
          const gp = rCon.pick(this.pop.staff(p.org, 'clinician'));
          c = addConsent(2, { patient: p, grantor: grantorOf(p), use: 'member', grantee: { kind: 'member', member: gp.pubkey }, purposes: ['TREAT'], period: fullYear, scope: () => ({ kind: 'all' }), records: recs });
        } else {
          const purposes = isHospital && rCon.chance(0.5) ? ['HPAYMT', 'TREAT'] : ['TREAT'];
          c = addConsent(2, { patient: p, grantor: grantorOf(p), use: 'treat', grantee: { kind: 'org', org: p.org }, purposes, period: fullYear, scope: () => ({ kind: 'all' }), records: recs });
          treatConsentOf.set(p.pubkey, c);
        }
      }
      if (rCon.chance(0.3)) {
        addConsent(2, {
          patient: p, grantor: grantorOf(p), use: 'payer', grantee: { kind: 'org', org: PAYER }, purposes: ['HPAYMT'], period: fullYear,
          scope: () => ({ kind: 'resource_types', resource_types: ['DiagnosticReport', 'ImagingStudy', 'MedicationRequest'] }), records: recs,
        });
      }
      if (rCon.chance(0.15)) {
        addConsent(2, {
          patient: p, grantor: grantorOf(p), use: 'research', grantee: { kind: 'role', role: 'researcher', org: RESEARCH }, purposes: ['HRESCH'],
          period: { start: this.o.epoch, end: this.o.epoch + 2 * YEAR },
          scope: () => ({ kind: 'resource_types', resource_types: ['DiagnosticReport', 'ImagingStudy', 'Observation'] }), records: recs,
        });
      }
    }

    // ---------------------------------------------------------------- the anomalies' set-up
    const rAn = r.fork('anomalies');
    const hospitals = this.hospitals();
    /** Active hospital patients with records and no consent of their own yet, for dedicated scenarios. */
    const spare = rAn.shuffle(this.activePatients.filter((p) => recordsOf(p).length > 0 && this.pop.org(p.org).kind === 'hospital' && !treatConsentOf.has(p.pubkey) && !this.proxies.has(p.pubkey)));
    const takeSpare = (): Patient | undefined => spare.shift();
    const usedForAnomaly = new Set<string>();

    const revokeThenUse: ConsentPlan[] = [];
    if (this.has('after_revocation')) {
      for (let i = 0; i < k; i++) {
        const p = takeSpare();
        if (!p) break;
        usedForAnomaly.add(p.pubkey);
        revokeThenUse.push(addConsent(2, {
          patient: p, grantor: p, use: 'revoke_then_use', grantee: { kind: 'org', org: p.org }, purposes: ['TREAT'], period: fullYear,
          scope: () => ({ kind: 'all' }), records: recordsOf(p), usableUntilPhase: 0,
        }));
      }
    }
    const future: ConsentPlan[] = [];
    if (this.has('outside_period')) {
      for (let i = 0; i < k; i++) {
        const p = takeSpare();
        if (!p) break;
        usedForAnomaly.add(p.pubkey);
        // A consent for a planned procedure months away: not valid yet.
        future.push(addConsent(2, {
          patient: p, grantor: p, use: 'future', grantee: { kind: 'org', org: p.org }, purposes: ['TREAT'],
          period: { start: this.o.epoch + 120 * DAY, end: this.o.epoch + 485 * DAY }, scope: () => ({ kind: 'all' }), records: recordsOf(p), usableUntilPhase: 0,
        }));
      }
    }

    // ---------------------------------------------------------------- phase 3/4: amendments, second opinions
    const rAm = r.fork('amend');
    const amendable = rAm.sample(this.records, amendCount);
    const twice = new Set(rAm.sample(amendable, Math.round(amendCount * 0.2)));
    for (const rec of amendable) {
      this.planAmendment(3, rec, rAm);
      if (twice.has(rec)) this.planAmendment(4, rec, rAm);
    }
    const altered = new Set<RecordPlan>();
    if (this.has('offchain_altered')) {
      for (const rec of rAn.sample(this.records.filter((x) => !amendable.includes(x)), k)) altered.add(rec);
      this.phases[2]!.before = () => {
        for (const rec of altered) this.alterDocument(rec);
      };
    }

    const rSo = r.fork('second-opinion');
    const secondOpinions: ConsentPlan[] = [];
    for (const p of rSo.sample(this.activePatients.filter((x) => recordsOf(x).some((y) => y.type === 'ImagingStudy' || y.type === 'DiagnosticReport')), Math.max(1, Math.round(0.03 * this.activePatients.length)))) {
      const rec = recordsOf(p).find((y) => y.type === 'ImagingStudy' || y.type === 'DiagnosticReport')!;
      const other = rSo.pick(hospitals.filter((h) => h !== p.org));
      secondOpinions.push(addConsent(3, {
        patient: p, grantor: grantorOf(p), use: 'second_opinion', grantee: { kind: 'org', org: other }, purposes: ['TREAT'],
        period: { start: this.o.epoch, end: this.o.epoch + 30 * DAY }, scope: () => ({ kind: 'records', records: this.recordIds([rec]) }), records: [rec],
      }));
    }

    // ---------------------------------------------------------------- phase 4: revocations
    const rRev = r.fork('revoke');
    const revocable = this.consents.filter((c) => c.use === 'treat' || c.use === 'payer' || c.use === 'research');
    for (const c of rRev.sample(revocable, Math.max(1, Math.round(0.06 * revocable.length)))) {
      c.usableUntilPhase = 3;
      this.tx(4, c.grantor, 'consent.revoke', () => ({ consent_id: this.consentId(c) }), 'consent.revoke');
    }

    // ---------------------------------------------------------------- accesses
    const opportunities = this.opportunities();
    const byPurpose = (p: string) => opportunities.filter((x) => x.purpose === p);
    const treat = byPurpose('TREAT').filter((x) => x.consent.use !== 'second_opinion');
    const pay = byPurpose('HPAYMT');
    const research = byPurpose('HRESCH');
    const second = opportunities.filter((x) => x.consent.use === 'second_opinion');

    // Break-glass: a hospital's emergency staff and a patient who has no consent with that hospital.
    const rBg = r.fork('break-glass');
    const consentedTo = (p: Patient, org: string) => this.consents.some((c) => c.patient === p && (c.grantee.kind === 'org' ? c.grantee.org === org : false));
    const bgCandidates = (org: string) => this.activePatients.filter((p) => p.org !== org && recordsOf(p).length > 0 && !consentedTo(p, org) && !usedForAnomaly.has(p.pubkey));
    const planBreakGlass = (phase: number, reviewed: boolean) => {
      const org = rBg.pick(hospitals);
      const cands = bgCandidates(org);
      if (cands.length === 0) return undefined;
      const p = rBg.pick(cands);
      const actor = rBg.pick(this.carers(org));
      const recs = rBg.sample(recordsOf(p), rBg.int(1, Math.min(2, recordsOf(p).length)));
      const justification = rBg.pick(JUSTIFICATIONS);
      const access: { id?: string } = {};
      const op: Op = {
        req: { signer: actor, kind: 'access.record', tag: reviewed ? 'access.break_glass' : 'anomaly.breakglass_unreviewed',
          body: () => ({ org, records: this.recordIds(recs), purpose: 'ETREAT', action: 'read', break_glass: { justification } }) },
        expect: { decision: 'break_glass' },
        done: (o) => o.status === 'ok' && (access.id = o.id),
      };
      this.at(phase, op);
      if (reviewed) {
        const officers = this.pop.members.filter((m) => m.org === org && m.roles.includes('officer'));
        const reviewer = rBg.chance(0.8) ? rBg.pick(officers) : rBg.pick(this.pop.staff(REGULATOR, 'auditor'));
        const outcome = rBg.chance(0.9) ? 'justified' : 'unjustified';
        const note = outcome === 'justified' ? 'Emergency confirmed from the admission record.' : 'No emergency documented; referred to the privacy officer.';
        this.tx(phase + 1, reviewer, 'breakglass.review', () => {
          if (!access.id) throw new SkipTx('the break-glass access was not recorded');
          return { access_id: access.id, outcome, note };
        }, 'breakglass.review');
      }
      return { op, actor, patient: p, recs, org };
    };
    for (let i = 0; i < breakGlass; i++) planBreakGlass(i < breakGlass * 0.6 ? 3 : 4, true);

    // ---------------------------------------------------------------- anomalies
    if (this.has('no_consent')) {
      for (let i = 0; i < k; i++) {
        const org = hospitals[i % hospitals.length]!;
        const cands = bgCandidates(org);
        if (cands.length === 0) break;
        const p = rAn.pick(cands);
        const actor = rAn.pick(this.carers(org, 'clinician'));
        const recs = rAn.sample(recordsOf(p), 1);
        this.anomalyAccess(3, 'no_consent', actor, p, recs, { org, purpose: 'TREAT', action: 'read' }, undefined,
          { decision: 'deny', reason: 'no_consent' }, `${actor.label} read a record of a patient of ${p.org} citing no consent and no emergency`);
      }
    }
    for (const c of future) {
      const actor = rAn.pick(this.carers(c.patient.org));
      this.anomalyAccess(3, 'outside_period', actor, c.patient, c.records.slice(0, 1), { org: c.patient.org, purpose: 'TREAT', action: 'read' }, c,
        { decision: 'deny', reason: 'consent_outside_period' }, `access cites a consent whose period starts ${isoAt(c.period.start)}`);
    }
    if (this.has('purpose_mismatch')) {
      const cands = rAn.shuffle([...treatConsentOf.values()].filter((c) => c.purposes.join() === 'TREAT' && this.pop.org(c.patient.org).kind === 'hospital' && c.records.length > 0 && c.usableUntilPhase >= 3));
      for (const c of cands.slice(0, k)) {
        const billing = rAn.pick(this.pop.staff(c.patient.org, 'billing'));
        this.anomalyAccess(3, 'purpose_mismatch', billing, c.patient, c.records.slice(0, 1), { org: c.patient.org, purpose: 'HPAYMT', action: 'export' }, c,
          { decision: 'deny', reason: 'purpose_mismatch' }, 'billing export for payment under a consent given for treatment only');
      }
    }
    if (this.has('breakglass_unreviewed')) {
      for (let i = 0; i < k; i++) {
        const bg = planBreakGlass(3, false);
        if (!bg) break;
        const { op, actor, patient, recs } = bg;
        const prevDone = op.done;
        op.done = (o) => {
          prevDone?.(o);
          const d = o.data as { review_deadline?: number; decision?: string; reason?: string } | undefined;
          this.record(o, {
            kind: 'breakglass_unreviewed', description: `break-glass access by ${actor.label} that no officer reviews`,
            actor: this.actor(actor), patient: patient.pubkey, records: recs.map((x) => x.id!), expected: { decision: 'break_glass' },
            observed: { decision: d?.decision, reason: d?.reason }, reviewDeadline: d?.review_deadline,
          });
        };
      }
    }
    for (const c of revokeThenUse) {
      const actor = rAn.pick(this.carers(c.patient.org));
      // Permitted while the consent stands …
      this.at(3, {
        req: { signer: actor, kind: 'access.record', tag: 'access.treat', body: () => ({ org: c.patient.org, records: this.recordIds(c.records.slice(0, 1)), purpose: 'TREAT', action: 'read', consent_id: this.consentId(c) }) },
        expect: { decision: 'permit' },
      });
      // … withdrawn by the patient …
      const revoke: { id?: string; height?: number } = {};
      this.tx(4, c.grantor, 'consent.revoke', () => ({ consent_id: this.consentId(c) }), 'consent.revoke', { done: (o) => o.status === 'ok' && Object.assign(revoke, { id: o.id, height: o.height }) });
      // … and used again afterwards.
      this.anomalyAccess(5, 'after_revocation', actor, c.patient, c.records.slice(0, 1), { org: c.patient.org, purpose: 'TREAT', action: 'read' }, c,
        { decision: 'deny', reason: 'consent_revoked' }, 'access cites a consent the patient revoked earlier', revoke);
    }
    for (const locum of locums) {
      const consents = rAn.shuffle([...treatConsentOf.values()].filter((c) => c.patient.org === locum.org && c.records.length > 0 && c.usableUntilPhase >= 5 && !c.purposes.includes('HPAYMT')));
      for (const c of consents.slice(0, 2)) {
        this.at(3, {
          req: { signer: locum, kind: 'access.record', tag: 'access.treat', body: () => ({ org: locum.org, records: this.recordIds(c.records.slice(0, 1)), purpose: 'TREAT', action: 'read', consent_id: this.consentId(c) }) },
          expect: { decision: 'permit' },
        });
      }
      const ended: { id?: string; height?: number } = {};
      this.tx(4, admins.get(locum.org)!, 'member.end', { pubkey: locum.pubkey, reason: 'left' }, 'member.end', { done: (o) => o.status === 'ok' && Object.assign(ended, { id: o.id, height: o.height }) });
      const c = consents[2] ?? consents[0];
      if (c) {
        this.anomalyAccess(5, 'after_membership_ended', locum, c.patient, c.records.slice(0, 1), { org: locum.org, purpose: 'TREAT', action: 'read' }, c,
          { decision: 'deny', reason: 'member_inactive' }, `${locum.label} read a record after their membership ended`, ended);
      }
    }
    if (this.has('volume_spike')) {
      const size = Math.max(30, Math.round(0.03 * N));
      for (let i = 0; i < k; i++) {
        const org = hospitals[i % hospitals.length]!;
        const actor = this.pop.staff(org, 'nurse')[i % 2] ?? this.pop.staff(org, 'nurse')[0]!;
        const targets = rAn.sample([...treatConsentOf.values()].filter((c) => c.patient.org === org && c.records.length > 0 && c.usableUntilPhase >= 5), size);
        const burst: TxOutcome[] = [];
        targets.forEach((c, j) => {
          this.at(5, {
            req: { signer: actor, kind: 'access.record', tag: 'anomaly.volume_spike', body: () => ({ org, records: this.recordIds(c.records.slice(0, 1)), purpose: 'TREAT', action: 'read', consent_id: this.consentId(c) }) },
            expect: { decision: 'permit' },
            done: (o) => {
              if (o.status === 'ok') burst.push(o);
              if (j === targets.length - 1 && burst.length > 0) {
                const hs = burst.map((b) => b.height!);
                this.record(burst[0]!, {
                  kind: 'volume_spike', description: `${actor.label} read ${burst.length} different patients' records within ${Math.max(...hs) - Math.min(...hs) + 1} block(s)`,
                  actor: this.actor(actor), txIds: burst.map((b) => b.id!), heights: [Math.min(...hs), Math.max(...hs)], patients: new Set(targets.map((t) => t.patient.pubkey)).size,
                  expected: { decision: 'permit' },
                });
              }
            },
          });
        });
      }
    }

    // ---------------------------------------------------------------- normal accesses fill the budget
    const budget = Math.max(Math.round(0.1 * N), N - this.size);
    const rAcc = r.fork('access');
    const share = [0.35, 0.35, 0.3];
    const mix: [Opportunity[], number][] = [[treat, 0.65], [pay, 0.2], [research, 0.1], [second, 0.05]];
    for (let ph = 3; ph <= 5; ph++) {
      const m = Math.round(budget * share[ph - 3]!);
      for (let i = 0; i < m; i++) {
        const usable = mix.map(([xs, w]) => [xs.filter((x) => x.fromPhase <= ph && x.consent.usableUntilPhase >= ph), w] as [Opportunity[], number]).filter(([xs]) => xs.length > 0);
        if (usable.length === 0) break;
        const list = rAcc.weighted(usable.map(([xs, w]) => [xs, w] as const));
        const opp = rAcc.pick(list);
        const actor = rAcc.pick(opp.actors);
        const recs = rAcc.sample(opp.records, rAcc.weighted([[1, 70], [2, 25], [3, 5]] as const));
        const action = rAcc.pick(opp.actions);
        const org = actor.org;
        this.at(ph, {
          req: { signer: actor, kind: 'access.record', tag: `access.${opp.purpose.toLowerCase()}`, body: () => ({ org, records: this.recordIds(recs), purpose: opp.purpose, action, consent_id: this.consentId(opp.consent) }) },
          expect: { decision: 'permit' },
        });
      }
    }
  }

  /** Who may use a consent, for what, on which records (normal, permitted traffic only). */
  private opportunities(): Opportunity[] {
    const out: Opportunity[] = [];
    for (const c of this.consents) {
      const recs = c.records;
      if (recs.length === 0) continue;
      const fromPhase = c.use === 'second_opinion' ? 4 : 3;
      switch (c.use) {
        case 'treat': {
          out.push({ actors: this.carers(c.patient.org), purpose: 'TREAT', actions: ACTIONS.TREAT!, consent: c, records: recs, fromPhase });
          if (c.purposes.includes('HPAYMT')) out.push({ actors: this.pop.staff(c.patient.org, 'billing'), purpose: 'HPAYMT', actions: ACTIONS.HPAYMT!, consent: c, records: recs, fromPhase });
          break;
        }
        case 'member': {
          const g = c.grantee as { member: string };
          out.push({ actors: this.pop.members.filter((m) => m.pubkey === g.member), purpose: 'TREAT', actions: ACTIONS.TREAT!, consent: c, records: recs, fromPhase });
          break;
        }
        case 'payer': {
          const rs = recs.filter((r) => r.type !== 'Observation');
          if (rs.length) out.push({ actors: this.pop.staff(PAYER, 'billing'), purpose: 'HPAYMT', actions: ACTIONS.HPAYMT!, consent: c, records: rs, fromPhase });
          break;
        }
        case 'research': {
          const rs = recs.filter((r) => r.type !== 'MedicationRequest');
          if (rs.length) out.push({ actors: this.pop.staff(RESEARCH, 'researcher'), purpose: 'HRESCH', actions: ACTIONS.HRESCH!, consent: c, records: rs, fromPhase });
          break;
        }
        case 'second_opinion': {
          const g = c.grantee as { org: string };
          out.push({ actors: this.pop.staff(g.org, 'clinician'), purpose: 'TREAT', actions: ['read'], consent: c, records: recs, fromPhase });
          break;
        }
        default:
          break;
      }
    }
    return out.filter((o) => o.actors.length > 0);
  }

  private makeRecord(n: number, p: Patient, r: Rng): RecordPlan {
    const kind = this.pop.org(p.org).kind;
    const choice = r.weighted<'vital' | 'med' | 'img' | 'dr' | 'lab'>(
      kind === 'hospital'
        ? [['vital', 30], ['med', 20], ['img', 15], ['dr', 20], ['lab', 15]]
        : [['vital', 35], ['med', 30], ['dr', 20], ['lab', 15]],
    );
    const atLab = choice === 'dr' || choice === 'lab';
    const custodian = atLab ? LAB : p.org;
    const by = atLab
      ? r.pick(this.pop.staff(LAB, 'technician'))
      : r.pick(choice === 'vital' ? this.carers(p.org) : this.carers(p.org, 'clinician'));
    const id = r.hex(8);
    const ctx = { rng: r, id, patient: p.pubkey, author: by.pubkey, org: custodian, when: isoAt(this.when(r)) };
    const resource =
      choice === 'vital' ? observation(ctx, 'vital')
        : choice === 'lab' ? observation(ctx, 'lab')
          : choice === 'dr' ? diagnosticReport(ctx)
            : choice === 'img' ? imagingStudy(ctx)
              : medicationRequest(ctx);
    const doc = this.store.write(custodian, resource);
    this.documents++;
    return { n, patient: p, custodian, type: resource.resourceType, versions: [{ resource, doc, by }] };
  }

  private planAmendment(phase: number, rec: RecordPlan, r: Rng): void {
    const prev = rec.versions[rec.versions.length - 1]!;
    const next = amend(prev.resource, r, isoAt(this.when(r) + 3600));
    const doc = this.store.write(rec.custodian, next);
    this.documents++;
    const by = rec.custodian === LAB ? r.pick(this.pop.staff(LAB, 'technician')) : r.pick(this.carers(rec.custodian, 'clinician'));
    const v = { resource: next, doc, by } as RecordPlan['versions'][number];
    const priorVersion = rec.versions.length;
    rec.versions.push(v);
    this.tx(phase, by, 'record.amend', () => {
      if (!rec.id) throw new SkipTx('the record was not anchored');
      return { record_id: rec.id, prior_version: priorVersion, uri: doc.uri, sha256: doc.sha256, reason: AMEND_REASON[rec.type] };
    }, 'record.amend', { done: (o) => o.status === 'ok' && (v.txId = o.id) });
  }

  private alterDocument(rec: RecordPlan): void {
    if (!rec.id) return;
    const v = rec.versions[0]!;
    const a = this.store.alter(v.doc.uri);
    rec.altered = true;
    this.anomalies.push({
      kind: 'offchain_altered', txId: rec.id, height: rec.height!, description: `the ${rec.type} anchored by ${v.by.label} was edited on disk after anchoring`,
      actor: this.actor(v.by), patient: rec.patient.pubkey, records: [rec.id], uri: v.doc.uri, path: v.doc.path, version: 1,
      anchoredSha256: a.before, alteredSha256: a.after, change: a.change,
    });
  }

  private anomalyAccess(
    phase: number, kind: AnomalyKind, actor: Member, p: Patient, recs: RecordPlan[],
    a: { org: string; purpose: string; action: AccessAction }, consent: ConsentPlan | undefined,
    expected: { decision: string; reason?: string }, description: string, prior?: { id?: string; height?: number },
  ): void {
    this.at(phase, {
      req: {
        signer: actor, kind: 'access.record', tag: `anomaly.${kind}`,
        body: () => ({ org: a.org, records: this.recordIds(recs), purpose: a.purpose, action: a.action, ...(consent ? { consent_id: this.consentId(consent) } : {}) }),
      },
      expect: expected,
      done: (o) => {
        const d = o.data as { decision?: string; reason?: string } | undefined;
        this.record(o, {
          kind, description, actor: this.actor(actor), patient: p.pubkey, records: recs.map((x) => x.id!), consentId: consent?.id, expected,
          observed: { decision: d?.decision, reason: d?.reason }, priorTxId: prior?.id, priorHeight: prior?.height,
        });
      },
    });
  }

  private record(o: TxOutcome, a: Omit<InjectedAnomaly, 'txId' | 'height'>): void {
    if (o.status !== 'ok' || !o.id) return;
    const { kind, ...rest } = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as typeof a;
    this.anomalies.push({ kind, txId: o.id, height: o.height!, ...rest });
  }
}
