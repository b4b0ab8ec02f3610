// The verification report: JSON for machines (custos verify --json, the UI) and a readable
// summary. Heights are numbers; every failure keeps its height, check, expected and found.
import { createRequire } from 'node:module';
import type { Failure } from '../../../shared/cometbft/verdict';
import type { Counters } from '../../../shared/verify';

export const REPORT_FORMAT = 'custos-verification-report/1';

export interface FailureRecord {
  height: number;
  check: string;
  expected: string;
  found: string;
  detail?: string;
}

export interface VerificationReport {
  format: typeof REPORT_FORMAT;
  tool: { name: string; version: string };
  /** True when every height of the replica verified, nothing failed, and the run was not cancelled. */
  ok: boolean;
  chainId: string | null;
  genesisSha256: string | null;
  /** The hash the user pinned (null: none given); a mismatch is a 'genesis' failure. */
  pinnedGenesisSha256: string | null;
  /** Heights verified so far, this run and earlier ones (from a checkpoint) together. */
  heights: { from: number | null; to: number | null };
  /** What this run did. */
  run: {
    from: number | null;
    to: number | null;
    blocks: number;
    resumedFromCheckpoint: number | null;
    checkpoint: 'none' | 'used' | 'ignored' | 'full-reverify';
    checkpointNote?: string;
    threads: number;
    signatureMisses: number;
  };
  /** The replica's extent when verification started. */
  replica: { lowest: number; highest: number; complete: number; source: string };
  counts: { blocks: number; txs: number; signatures: number; commitSignatures: number; txSignatures: number; validatorChanges: number };
  firstFailure: FailureRecord | null;
  failures: FailureRecord[];
  failuresTotal: number;
  /** Failures beyond the kept list (the count stays exact). */
  failuresOmitted: number;
  /** Verification could not continue past this (undecodable block, missing or damaged data, replay error). */
  haltedBy: FailureRecord | null;
  forkEvidence: unknown[];
  cancelled: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  throughput: { blocksPerSecond: number; signaturesPerSecond: number };
}

export function failureRecord(f: Failure): FailureRecord {
  const r: FailureRecord = { height: Number(f.height), check: f.check, expected: f.expected, found: f.found };
  if (f.detail !== undefined) r.detail = f.detail;
  return r;
}

let version: string | undefined;
/** The package version, read once (package.json at the project root). */
export function toolVersion(): string {
  if (version === undefined) {
    try {
      version = String((createRequire(import.meta.url)('../../../package.json') as { version?: unknown }).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export function countsOf(c: Counters): VerificationReport['counts'] {
  return { blocks: c.blocks, txs: c.txs, signatures: c.signatures, commitSignatures: c.commitSignatures, txSignatures: c.txSignatures, validatorChanges: c.validatorChanges };
}

const n = (x: number): string => x.toLocaleString('en-US');
const oneLine = (s: string, max = 160): string => {
  const t = s.replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

function failureLine(f: FailureRecord): string {
  return `  height ${f.height}  ${f.check}\n    expected ${oneLine(f.expected)}\n    found    ${oneLine(f.found)}${f.detail ? `\n    (${oneLine(f.detail)})` : ''}`;
}

/** A readable summary of the report (plain text, one fact per line). */
export function formatReport(r: VerificationReport): string {
  const L: string[] = [];
  const verdict = r.ok ? 'VERIFIED: every check passed'
    : r.cancelled ? `CANCELLED after height ${r.heights.to ?? '-'}${r.failuresTotal ? `, ${n(r.failuresTotal)} failure(s) so far` : ''}`
    : `FAILED: ${n(r.failuresTotal)} failure(s)${r.firstFailure ? `, first at height ${r.firstFailure.height} (${r.firstFailure.check})` : ''}`;
  L.push('Custos verification report');
  L.push(`  result        ${verdict}`);
  L.push(`  chain         ${r.chainId ?? '(unknown)'}`);
  const pin = r.pinnedGenesisSha256 === null ? 'not pinned' : r.pinnedGenesisSha256 === r.genesisSha256 ? 'matches the pinned hash' : `PINNED ${r.pinnedGenesisSha256}`;
  L.push(`  genesis       sha256 ${r.genesisSha256 ?? '(none)'} (${pin})`);
  const covered = r.heights.from === null ? 'none' : `${n(r.heights.from)} to ${n(r.heights.to!)}`;
  const thisRun = r.run.from === null ? 'nothing new' : `${n(r.run.from)} to ${n(r.run.to!)}`;
  const resumed = r.run.resumedFromCheckpoint !== null ? `, resumed after the checkpoint at ${n(r.run.resumedFromCheckpoint)}` : '';
  L.push(`  heights       ${covered} verified (this run: ${thisRun}${resumed}; replica holds ${n(r.replica.lowest)} to ${n(r.replica.highest)})`);
  if (r.run.checkpointNote) L.push(`  checkpoint    ${r.run.checkpoint}: ${r.run.checkpointNote}`);
  const c = r.counts;
  L.push(`  blocks        ${n(c.blocks)}`);
  L.push(`  transactions  ${n(c.txs)}`);
  L.push(`  signatures    ${n(c.signatures)} (${n(c.commitSignatures)} in commits, ${n(c.txSignatures)} on transactions)`);
  L.push(`  validator changes ${n(c.validatorChanges)}`);
  L.push(`  fork evidence ${r.forkEvidence.length === 0 ? 'none' : `${r.forkEvidence.length} item(s)`}`);
  if (r.haltedBy) L.push(`  halted at     height ${r.haltedBy.height} (${r.haltedBy.check}): nothing after it could be verified`);
  if (r.failures.length) {
    L.push(`  failures${r.failuresOmitted ? ` (first ${n(r.failures.length)} of ${n(r.failuresTotal)})` : ''}:`);
    for (const f of r.failures) L.push(failureLine(f));
  }
  L.push(`  time          ${r.startedAt} to ${r.finishedAt} (${(r.durationMs / 1000).toFixed(1)} s, ${r.throughput.blocksPerSecond.toFixed(1)} blocks/s, ` +
    `${Math.round(r.throughput.signaturesPerSecond)} signatures/s, ${r.run.threads} thread(s))`);
  L.push(`  tool          ${r.tool.name} ${r.tool.version}`);
  return L.join('\n') + '\n';
}
