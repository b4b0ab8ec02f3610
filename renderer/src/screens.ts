// The seven screens of the console, in navigation order (Alt+1 … Alt+7).
// Sync, verification and the explorer are built; until a later issue builds one of the
// others, its empty state says plainly what it will do and what comes first, and it is marked
// "Not yet available" rather than pretending.
export type ScreenId = 'sync' | 'verify' | 'explorer' | 'provenance' | 'findings' | 'governance' | 'reports';

export interface Screen {
  id: ScreenId;
  label: string;
  /** One line under the title. */
  purpose: string;
  /** What the screen will let the user do. */
  will: string[];
  /** What the user should do next, today. */
  next: string;
  /** What must exist before this screen has anything to show. */
  needs: ScreenId | null;
  available: boolean;
}

export const screens: Screen[] = [
  {
    id: 'sync',
    label: 'Networks',
    purpose: 'Keep a full replica of the consent ledger on this machine.',
    will: [
      'Pin the genesis document by its hash: the only thing Custos trusts.',
      'Fetch every block, commit and validator set from several consortium nodes at once.',
      'Report disagreement between nodes as fork evidence.',
      'Import a replica bundle handed over on removable media, for air-gapped audits.',
    ],
    next: 'This build has no sync service yet. When it arrives, start here: pin the genesis, then add one or more node addresses or import a bundle.',
    needs: null,
    available: true,
  },
  {
    id: 'verify',
    label: 'Verification',
    purpose: 'Re-verify every byte of the replica from the genesis alone.',
    will: [
      'Header hashes and the chain of LastBlockID links.',
      'DataHash, LastCommitHash, ValidatorsHash and NextValidatorsHash.',
      'The ≥ 2/3 voting-power commit certificate of every height.',
      'Each transaction’s own signature, and the application state by replay against AppHash.',
    ],
    next: 'Verification needs a synced replica. Sync comes first.',
    needs: 'sync',
    available: true,
  },
  {
    id: 'explorer',
    label: 'Explorer',
    purpose: 'Browse the verified ledger offline.',
    will: [
      'Blocks and transactions, with hashes shortened in the middle and copyable in full.',
      'Organisations, members and their keys; patients as pseudonymous keys.',
      'Record anchors, consents and access events with the decision the ledger reached.',
    ],
    next: 'The explorer reads a verified replica. Sync, then verify.',
    needs: 'verify',
    available: true,
  },
  {
    id: 'provenance',
    label: 'Provenance',
    purpose: 'Follow one patient’s or one record’s history.',
    will: [
      'A time-ordered graph, left to right: anchors, amendments, consents, revocations.',
      'Every access that relied on a consent, or on a break-glass justification.',
    ],
    next: 'Provenance needs a verified replica; you will open a patient key or a record from the explorer.',
    needs: 'verify',
    available: false,
  },
  {
    id: 'findings',
    label: 'Findings',
    purpose: 'Accesses that break policy, ranked.',
    will: [
      'Access without consent, after revocation, or outside the consent period.',
      'Purpose mismatch, break-glass without review, volume spikes, access after a member left.',
      'Open a case, attach evidence, close it with a disposition.',
    ],
    next: 'Findings are computed from a verified replica. Sync, then verify.',
    needs: 'verify',
    available: false,
  },
  {
    id: 'governance',
    label: 'Governance',
    purpose: 'Policy amendments and the board’s votes.',
    will: [
      'Read a proposal and the exact policy diff.',
      'Sign a vote with your own key, submit it and watch it land.',
      'Check the recorded tally by replay; see every earlier policy version and the proposal that made it.',
    ],
    next: 'Governance reads a synced replica; voting will also need your board member key.',
    needs: 'sync',
    available: false,
  },
  {
    id: 'reports',
    label: 'Reports',
    purpose: 'Documents to hand over.',
    will: [
      'A signed-off verification report of the replica.',
      'An accounting of disclosures for one patient.',
    ],
    next: 'Reports are built from a verified replica and its findings.',
    needs: 'verify',
    available: false,
  },
];

export function screenById(id: string): Screen | undefined {
  return screens.find((s) => s.id === id);
}
