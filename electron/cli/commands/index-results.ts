// The verifier's per-height results into the derived index (electron/services/index), so the
// explorer shows each block's verification status: after custos verify, import and sync,
// the index is brought up to the replica (updateIndex), each height's result is recorded
// (recordVerification) and the index file is checkpointed.
//
// What is recorded, per height:
//   - every height this run verified (onHeights), with the failures reported with it;
//   - a height whose failure halted verification, or that the checksum pass found damaged:
//     failed, with those failures;
//   - heights verified by earlier runs (before the checkpoint this run resumed from) that the
//     index holds no result for (a new or discarded index file): from the report, which carries
//     the checkpoint's failures, unless some failures were left out of it (then nothing is
//     guessed and they stay unverified until `custos verify --full`).
// Heights that are not in the replica (replica.missing) and the genesis (height 0) have no
// block to mark. The index is derived data: a failure to update it is reported, but it does
// not change the verification's outcome.
import { indexPathFor, openIndex, recordVerification, updateIndex, type HeightVerification, type IndexDb } from '../../services/index';
import { openStore } from '../../services/store';
import type { FailureRecord, VerificationReport, VerifiedBatch } from '../../services/verify';

const UNRECORDED_CHECKS = new Set(['replica.missing']);

export interface IndexRecordResult {
  path: string;
  /** Heights whose result was written this time, and how many of them failed. */
  recorded: number;
  failed: number;
  /** The last height the index holds after the update. */
  lastHeight: number;
  /** Why the index update stopped early (a height it cannot read), if it did. */
  stopped: string | null;
}

/** Collects the verifier's onHeights batches: the contiguous range verified, and failures by height. */
export class HeightResults {
  private from: number | null = null;
  private to = 0;
  private readonly failures = new Map<number, FailureRecord[]>();

  /** The onHeights callback. */
  readonly add = (b: VerifiedBatch): void => {
    if (b.to >= b.from) {
      this.from ??= b.from;
      this.to = Math.max(this.to, b.to);
    }
    for (const f of b.failures) this.addFailure(f);
  };

  addFailure(f: FailureRecord): void {
    if (f.height <= 0 || UNRECORDED_CHECKS.has(f.check)) return;
    const list = this.failures.get(f.height) ?? [];
    if (list.some((x) => x.check === f.check && x.expected === f.expected && x.found === f.found)) return;
    list.push(f);
    this.failures.set(f.height, list);
  }

  /** The results to record, given the final report and the heights (of `earlier`) the index already has results for. */
  *results(report: VerificationReport, known: (from: number, to: number) => Set<number>): Generator<HeightVerification> {
    for (const f of report.failures) this.addFailure(f);
    if (report.haltedBy) this.addFailure(report.haltedBy);
    const done = new Set<number>();
    const emit = (h: number): HeightVerification => {
      done.add(h);
      return { height: h, failures: this.failures.get(h) ?? [] };
    };
    if (this.from !== null) for (let h = this.from; h <= this.to; h++) yield emit(h);
    // Heights verified before this run that the index has no result for.
    const v = report.heights;
    if (v.from !== null && v.to !== null && report.failuresOmitted === 0) {
      const to = Math.min(v.to, (this.from ?? v.to + 1) - 1);
      if (to >= v.from) {
        const have = known(v.from, to);
        for (let h = v.from; h <= to; h++) if (!have.has(h)) yield emit(h);
      }
    }
    for (const h of [...this.failures.keys()].sort((a, b) => a - b)) if (!done.has(h)) yield emit(h);
  }
}

/** Heights in from..to that have a verification result in the index. */
function knownHeights(ix: IndexDb, from: number, to: number): Set<number> {
  const sql = ix.sql();
  const n = Number(sql.value('SELECT count(*) FROM verification WHERE height BETWEEN ? AND ?', [from, to]) ?? 0);
  if (n === 0) return new Set();
  if (n === to - from + 1) return new Set(Array.from({ length: n }, (_, i) => from + i));
  return new Set(sql.all('SELECT height FROM verification WHERE height BETWEEN ? AND ?', [from, to]).map((r) => Number(r['height'])));
}

/**
 * Brings DIR/index.sqlite up to the replica, records the results and checkpoints the index.
 * `onProgress` gets a line while indexing; `log` the index's own notices (a discarded file).
 */
export async function recordInIndex(
  dir: string,
  report: VerificationReport,
  results: HeightResults,
  o: { signal?: AbortSignal; onProgress?: (line: string) => void; log?: (line: string) => void } = {},
): Promise<IndexRecordResult> {
  const path = indexPathFor(dir);
  const ix = await openIndex(path, { log: o.log ?? (() => undefined) });
  try {
    const store = await openStore(dir, { readOnly: true });
    let stopped: string | null = null;
    try {
      const u = await updateIndex(store, ix, {
        checkpoint: false,
        ...(o.signal ? { signal: o.signal } : {}),
        onProgress: (p) => o.onProgress?.(`index: height ${p.height}/${p.to}`),
      });
      if (u.stopped) stopped = `stopped before height ${u.stopped.height}: ${u.stopped.reason}`;
    } finally {
      await store.close();
    }
    let failed = 0;
    const rows = (function* (): Generator<HeightVerification> {
      for (const r of results.results(report, (a, b) => knownHeights(ix, a, b))) {
        if (r.failures.length) failed++;
        yield r;
      }
    })();
    const recorded = await recordVerification(ix, rows);
    return { path, recorded, failed, lastHeight: ix.lastHeight(), stopped };
  } finally {
    await ix.close(); // checkpoints
  }
}
