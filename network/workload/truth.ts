// The ground-truth file the workload writes: what it injected, where, by whom, so tests (and
// anyone evaluating the auditor's findings) can compare. People appear only as keys: members
// by public key (plus their role label, e.g. "st-mary-hospital/clinician-2"), patients by
// their pseudonymous public key.

/** The anomalies a privacy officer hunts (GUIDE.md, "Privacy officer"). */
export const ANOMALY_KINDS = [
  'no_consent',
  'after_revocation',
  'outside_period',
  'purpose_mismatch',
  'breakglass_unreviewed',
  'volume_spike',
  'after_membership_ended',
  'offchain_altered',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Accepts `all`, or a comma list of kinds written with `_` or `-` (e.g. no-consent,volume-spike). */
export function parseAnomalyList(spec: string): AnomalyKind[] {
  const s = spec.trim();
  if (s === '' || s === 'all') return [...ANOMALY_KINDS];
  if (s === 'none') return [];
  const out = new Set<AnomalyKind>();
  for (const part of s.split(',')) {
    const k = part.trim().toLowerCase().replace(/-/g, '_');
    if (!(ANOMALY_KINDS as readonly string[]).includes(k)) {
      throw new Error(`unknown anomaly ${JSON.stringify(part)}; known: all, ${ANOMALY_KINDS.map((x) => x.replace(/_/g, '-')).join(', ')}`);
    }
    out.add(k as AnomalyKind);
  }
  return ANOMALY_KINDS.filter((k) => out.has(k));
}

export interface ActorRef {
  /** Member public key (lower-case hex): the on-chain member id. */
  member: string;
  label: string;
  org: string;
}

export interface InjectedAnomaly {
  kind: AnomalyKind;
  /** The transaction that is the anomaly (for a volume spike, the first of the burst). */
  txId: string;
  height: number;
  description: string;
  actor?: ActorRef;
  /** Patient public key (pseudonym). */
  patient?: string;
  /** Record ids (anchor transaction ids). */
  records?: string[];
  consentId?: string;
  /** What the ledger's access rules decided, and what the workload expected them to. */
  expected?: { decision: string; reason?: string };
  observed?: { decision?: string; reason?: string };
  /** after_revocation: the revocation; after_membership_ended: the member.end. */
  priorTxId?: string;
  priorHeight?: number;
  /** breakglass_unreviewed. */
  reviewDeadline?: number;
  /** volume_spike: every access of the burst, its heights and distinct patients. */
  txIds?: string[];
  heights?: [number, number];
  patients?: number;
  /** offchain_altered. */
  uri?: string;
  path?: string;
  version?: number;
  anchoredSha256?: string;
  alteredSha256?: string;
  change?: string;
}

export interface GroundTruth {
  format: 'custos-workload-truth/1';
  chainId: string;
  devnetSeed: string;
  seed: string;
  /** Unix seconds: the simulated day starts here (consent periods and FHIR times derive from it). */
  epoch: number;
  offchainDir: string;
  requested: { txs: number; anomalies: AnomalyKind[]; perKind: number };
  counts: {
    planned: number;
    ok: number;
    failed: number;
    refused: number;
    skipped: number;
    lost: number;
    byKind: Record<string, number>;
    patients: { genesis: number; registered: number; active: number };
    records: number;
    documents: number;
  };
  heights: { first: number; last: number };
  governance?: {
    proposalId: number;
    title: string;
    proposeTxId: string;
    votingEndHeight: number;
    votes: { voter: string; option: string; txId: string }[];
    status?: string;
  };
  anomalies: InjectedAnomaly[];
  /** Transactions whose outcome differed from the plan (should be empty). */
  unexpected: { tag: string; kind: string; txId?: string; status: string; code?: number; log?: string; detail?: string }[];
  timing: { startedAt: string; finishedAt: string; seconds: number; includedPerSecond: number };
}
