// A deterministic demo genesis app_state (PROTOCOL.md §10): one or more organisations of
// every kind, their staff, a board of five and the default policy, all keys derived from a
// seed. The seeds are returned for the workload generator and tests; they never go on chain.
import type { AppState, GenesisOrg } from './appstate';
import { deriveSeed, keyFromSeed } from './client/keys';
import { DEFAULT_POLICY, validatePolicy, type Policy } from './policy';
import type { ValidatorEntry } from './state';
import type { Role } from './vocab';

export interface DemoIdentity { label: string; org: string; roles: Role[]; seed: Uint8Array; pubkey: string }
export interface DemoPatient { label: string; org: string; seed: Uint8Array; pubkey: string }

export interface DemoGenesisOptions {
  /** Patients registered at genesis (default 0; the workload usually registers them by tx). */
  patients?: number;
  /** Validators to put in app_state (default none: the CometBFT genesis validators are used). */
  validators?: ValidatorEntry[];
  /** Overrides of the default policy. */
  policy?: Partial<Policy>;
}

export interface DemoGenesis {
  appState: AppState;
  orgs: GenesisOrg[];
  /** Every genesis member, board members included, in a fixed order. */
  members: DemoIdentity[];
  board: DemoIdentity[];
  patients: DemoPatient[];
  /** The seed of the i-th demo patient (0-based), for patients beyond those registered at genesis. */
  patientSeed(i: number): Uint8Array;
  /** The seed for any other label (proxies, later members, admins of orgs admitted later). */
  seedFor(label: string): Uint8Array;
}

export const DEMO_ORGS: GenesisOrg[] = [
  { id: 'st-mary-hospital', name: "St Mary's Hospital", kind: 'hospital' },
  { id: 'riverside-hospital', name: 'Riverside General Hospital', kind: 'hospital' },
  { id: 'northside-clinic', name: 'Northside Family Clinic', kind: 'clinic' },
  { id: 'central-lab', name: 'Central Pathology Laboratory', kind: 'lab' },
  { id: 'acme-health', name: 'Acme Health Insurance', kind: 'payer' },
  { id: 'health-research-institute', name: 'Institute for Health Research', kind: 'research' },
  { id: 'health-data-authority', name: 'Health Data Protection Authority', kind: 'regulator' },
];

/** Staff per organisation kind: [role, count]. */
const STAFF: Record<GenesisOrg['kind'], [Role, number][]> = {
  hospital: [['admin', 1], ['clinician', 4], ['nurse', 2], ['officer', 1], ['billing', 1]],
  clinic: [['admin', 1], ['clinician', 2], ['nurse', 1], ['officer', 1]],
  lab: [['admin', 1], ['technician', 2], ['officer', 1]],
  payer: [['admin', 1], ['billing', 2], ['officer', 1]],
  research: [['admin', 1], ['researcher', 3], ['officer', 1]],
  regulator: [['admin', 1], ['auditor', 2]],
};

/** Board seats: the org each of the five board members belongs to (they also hold role officer). */
const BOARD_ORGS = ['st-mary-hospital', 'riverside-hospital', 'northside-clinic', 'health-research-institute', 'health-data-authority'];

export function buildDemoGenesis(seed: Uint8Array | string, opts: DemoGenesisOptions = {}): DemoGenesis {
  const seedFor = (label: string) => deriveSeed(seed, label);
  const ident = (label: string, org: string, roles: Role[]): DemoIdentity => {
    const s = seedFor(`member/${label}`);
    return { label, org, roles, seed: s, pubkey: keyFromSeed(s).pubkey };
  };
  const members: DemoIdentity[] = [];
  for (const org of DEMO_ORGS) {
    for (const [role, count] of STAFF[org.kind]) {
      for (let i = 1; i <= count; i++) members.push(ident(`${org.id}/${role}-${i}`, org.id, [role]));
    }
  }
  const board = BOARD_ORGS.map((org, i) => ident(`${org}/board-${i + 1}`, org, ['officer']));
  members.push(...board);
  const patientSeed = (i: number) => seedFor(`patient/${i}`);
  const custodians = DEMO_ORGS.filter((o) => o.kind === 'hospital' || o.kind === 'clinic');
  const patients: DemoPatient[] = [];
  for (let i = 0; i < (opts.patients ?? 0); i++) {
    const s = patientSeed(i);
    patients.push({ label: `patient/${i}`, org: custodians[i % custodians.length]!.id, seed: s, pubkey: keyFromSeed(s).pubkey });
  }
  const policy = validatePolicy({ ...DEFAULT_POLICY, ...opts.policy });
  const appState: AppState = {
    policy,
    organisations: DEMO_ORGS,
    members: members.map((m) => ({ pubkey: m.pubkey, org: m.org, roles: m.roles })),
    board: board.map((b) => b.pubkey).sort(),
  };
  if (patients.length > 0) appState.patients = patients.map((p) => ({ pubkey: p.pubkey, org: p.org }));
  if (opts.validators) appState.validators = opts.validators;
  return { appState, orgs: DEMO_ORGS, members, board, patients, patientSeed, seedFor };
}

/** The first demo member of an organisation holding a role. */
export function demoMember(g: DemoGenesis, org: string, role: Role, n = 1): DemoIdentity {
  const m = g.members.find((x) => x.label === `${org}/${role}-${n}`);
  if (!m) throw new Error(`no demo member ${org}/${role}-${n}`);
  return m;
}
