// Who is who on a devnet made from the demo genesis (shared/ledger/genesis.ts): the genesis
// organisations and their staff, the board, and the patients enrolled at genesis, each with the
// key the demo genesis derives from the devnet seed. Read from the chain's own /genesis and
// checked against the derivation, so the workload never signs for a key the chain does not know.
import { buildDemoGenesis, type DemoGenesis } from '../../shared/ledger/genesis';
import type { GenesisOrg } from '../../shared/ledger/appstate';
import { keyFromSeed } from '../../shared/ledger/client/index';
import type { Role } from '../../shared/ledger/vocab';
import type { Signer } from './client';

export interface Member extends Signer {
  label: string;
  org: string;
  roles: Role[];
}

export interface Patient extends Signer {
  label: string;
  /** The organisation that enrolled the patient (their usual place of care). */
  org: string;
  genesis: boolean;
}

interface AppStateJson {
  organisations: GenesisOrg[];
  members: { pubkey: string; org: string; roles: Role[] }[];
  board: string[];
  patients?: { pubkey: string; org: string }[];
}

export class Population {
  readonly orgs: GenesisOrg[];
  readonly members: Member[];
  readonly board: Member[];
  readonly genesisPatients: Patient[];

  private constructor(readonly demo: DemoGenesis, genesisPatients: Patient[]) {
    this.orgs = demo.orgs;
    this.members = demo.members.map((m) => ({ label: m.label, org: m.org, roles: m.roles, seed: m.seed, pubkey: m.pubkey }));
    const byKey = new Map(this.members.map((m) => [m.pubkey, m]));
    this.board = demo.board.map((b) => byKey.get(b.pubkey)!);
    this.genesisPatients = genesisPatients;
  }

  /**
   * From a chain's genesis app_state and the devnet seed. Throws if the chain's organisations,
   * members or board are not those the demo genesis derives from this seed.
   */
  static fromGenesis(appState: unknown, devnetSeed: string): Population {
    const a = appState as AppStateJson;
    if (!a || !Array.isArray(a.members) || !Array.isArray(a.organisations)) throw new Error('genesis app_state has no organisations/members');
    const nPatients = Array.isArray(a.patients) ? a.patients.length : 0;
    const demo = buildDemoGenesis(devnetSeed, { patients: nPatients });
    const onChain = new Map(a.members.map((m) => [m.pubkey, m]));
    for (const m of demo.members) {
      const c = onChain.get(m.pubkey);
      if (!c || c.org !== m.org) {
        throw new Error(
          `the chain's genesis was not made from the demo genesis of seed ${JSON.stringify(devnetSeed)} ` +
            `(member ${m.label} missing); pass the devnet's seed (--devnet-seed)`,
        );
      }
    }
    const board = [...a.board].sort().join(',');
    if (board !== demo.board.map((b) => b.pubkey).sort().join(',')) throw new Error('the chain\'s genesis board differs from the demo genesis board');
    const patients: Patient[] = [];
    (a.patients ?? []).forEach((p, i) => {
      const d = demo.patients[i];
      // Only patients whose key we can derive (the demo genesis puts them first, in order).
      if (d && d.pubkey === p.pubkey) patients.push({ label: d.label, org: p.org, seed: d.seed, pubkey: d.pubkey, genesis: true });
    });
    return new Population(demo, patients);
  }

  org(id: string): GenesisOrg {
    const o = this.orgs.find((x) => x.id === id);
    if (!o) throw new Error(`no organisation ${id}`);
    return o;
  }

  orgsOfKind(...kinds: GenesisOrg['kind'][]): GenesisOrg[] {
    return this.orgs.filter((o) => kinds.includes(o.kind));
  }

  /** Genesis staff of an organisation holding any of the roles (board seats excluded). */
  staff(org: string, ...roles: Role[]): Member[] {
    return this.members.filter((m) => m.org === org && !m.label.includes('/board-') && m.roles.some((r) => roles.includes(r)));
  }

  /** The member whose label is `<org>/<role>-<n>`. */
  member(label: string): Member {
    const m = this.members.find((x) => x.label === label);
    if (!m) throw new Error(`no member ${label}`);
    return m;
  }

  /** A key that is not in genesis (new hires, patients registered later, proxies), from a label. */
  newIdentity(label: string): Signer & { label: string } {
    const seed = this.demo.seedFor(label);
    return { label, seed, pubkey: keyFromSeed(seed).pubkey };
  }
}
