// Running the verifier (electron/services/verify) for verify, import and sync: progress on
// stderr, the report on stdout (JSON or the readable summary), the per-height results into the
// derived index (index-results.ts), and the exit code.

import { indexPathFor } from '../../services/index';
import { FORKS_FILE } from '../../services/sync';
import { describeDamage, openStore, readProfile, StoreError, StoreLockedError, type DamageLocation } from '../../services/store';
import { formatReport, runVerification, type FailureRecord, type VerificationReport, type VerifyProgress } from '../../services/verify';
import { CommandFailure, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK } from '../errors';
import type { Ctx } from '../main';
import { lockedFailure, readForks } from '../replica';
import { fmtCount, fmtDuration, Progress } from '../term';
import { HeightResults, recordInIndex } from './index-results';

export interface VerifyRun {
  dir: string;
  /** Verify everything from genesis (ignore the checkpoint). */
  full: boolean;
  /** The genesis hash to hold the replica to (default: the one pinned in profile.json). */
  pin?: string;
  json: boolean;
  threads?: number;
  /** Printed before the summary ("verify", "import", ...). */
  label: string;
  /**
   * First check every stored record's checksum (a read-only scrub). An incremental run only
   * verifies heights after its checkpoint; this pass makes a changed byte anywhere in the
   * replica a failure too. Damage found is added to the report as replica.corrupt failures.
   */
  scrub?: boolean;
  /** Record the per-height results in DIR/index.sqlite (default true). */
  index?: boolean;
}

export async function verifyReplica(ctx: Ctx, o: VerifyRun): Promise<{ report: VerificationReport; code: number }> {
  let pin: string | null = o.pin ?? null;
  if (pin === null) {
    try {
      pin = (await readProfile(o.dir))?.genesisSha256 ?? null;
    } catch (e) {
      throw new CommandFailure(`cannot read the replica's profile: ${(e as Error).message}`);
    }
  }
  const forks = await readForks(o.dir, FORKS_FILE).catch(() => ({ evidence: [] as unknown[], unreadable: 0 }));
  const progress = new Progress(ctx.err);
  const line = (p: VerifyProgress): string => {
    const pct = p.total > 0 ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
    return `${o.label}: verified to ${fmtCount(p.height)} (${fmtCount(p.done)}/${fmtCount(p.total)}${pct})  ` +
      `${p.blocksPerSecond.toFixed(1)} blocks/s  ETA ${fmtDuration(p.etaSeconds)}  failures ${fmtCount(p.failures)}`;
  };
  let damage: DamageLocation[] = [];
  if (o.scrub) {
    try {
      damage = await checksumPass(o.dir, progress, o.label);
    } finally {
      progress.finish();
    }
  }
  let report: VerificationReport;
  const index = o.index ?? true;
  const results = index ? new HeightResults() : null;
  try {
    report = await runVerification({
      dir: o.dir,
      genesisSha256: pin,
      fullReverify: o.full,
      forkEvidence: forks.evidence,
      signal: ctx.signal,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      onProgress: (p) => progress.update(line(p)),
      ...(results ? { onHeights: results.add } : {}),
    });
  } catch (e) {
    if (e instanceof StoreLockedError) throw lockedFailure(o.dir, e);
    if (e instanceof StoreError) throw new CommandFailure(`cannot read the replica: ${e.message}`);
    throw e;
  } finally {
    progress.finish();
  }
  if (damage.length) addDamage(report, damage);
  if (results) await indexResults(ctx, o, report, results, progress);
  else ctx.err.write(`${o.label}: --no-index: the results are not recorded in the index (${indexPathFor(o.dir)})\n`);
  ctx.out.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  const code = report.cancelled ? EXIT_INTERRUPTED : report.ok ? EXIT_OK : EXIT_FAILED;
  return { report, code };
}

/** The results into DIR/index.sqlite (for the explorer); a failure here is noted, not fatal. */
async function indexResults(ctx: Ctx, o: VerifyRun, report: VerificationReport, results: HeightResults, progress: Progress): Promise<void> {
  try {
    const r = await recordInIndex(o.dir, report, results, {
      signal: ctx.signal,
      onProgress: (l) => progress.update(`${o.label}: ${l}`),
      log: (l) => progress.note(l),
    });
    progress.finish();
    const failed = r.failed ? `, ${fmtCount(r.failed)} failed` : '';
    const stopped = r.stopped ? `; indexing ${r.stopped}` : '';
    ctx.err.write(`${o.label}: index ${r.path} holds heights up to ${fmtCount(r.lastHeight)}; recorded the result of ${fmtCount(r.recorded)} height(s)${failed}${stopped}\n`);
  } catch (e) {
    progress.finish();
    ctx.err.write(`${o.label}: could not record the results in the index (custos index ${o.dir} rebuilds it): ${(e as Error).message}\n`);
  }
}

/** Every record against its checksum, read-only; the damage that no later valid copy supersedes. */
async function checksumPass(dir: string, progress: Progress, label: string): Promise<DamageLocation[]> {
  let store;
  try {
    store = await openStore(dir, { readOnly: true });
  } catch (e) {
    throw new CommandFailure(`cannot read the replica: ${(e as Error).message}`);
  }
  try {
    const r = await store.scrub((s) => progress.update(`${label}: checking checksums, ${s.segment} ${Math.floor((100 * s.bytesDone) / Math.max(1, s.bytesTotal))}%`));
    return r.damaged.filter((d) => !d.superseded);
  } finally {
    await store.close();
  }
}

/** Damage found by the checksum pass, as replica.corrupt failures of the report (in height order). */
function addDamage(report: VerificationReport, damage: readonly DamageLocation[]): void {
  const known = new Set(report.failures.filter((f) => f.check === 'replica.corrupt').map((f) => f.found));
  const added: FailureRecord[] = [];
  for (const d of damage) {
    const found = describeDamage(d);
    if (known.has(found)) continue;
    added.push({ height: d.height ?? 0, check: 'replica.corrupt', expected: 'stored records that pass their checksums', found, detail: 'found by the checksum pass over the whole replica; custos sync --scrub re-fetches it' });
  }
  if (added.length === 0) return;
  report.failures = [...report.failures, ...added].sort((a, b) => a.height - b.height);
  report.failuresTotal += added.length;
  if (report.firstFailure === null || added.some((f) => f.height < report.firstFailure!.height)) report.firstFailure = report.failures[0]!;
  report.ok = false;
}
