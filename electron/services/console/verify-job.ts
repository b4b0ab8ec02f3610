// The console's verification pipeline on the open replica, one step after the other:
//   indexing    bring the derived index (electron/services/index) up to the replica;
//   verifying   runVerification (electron/services/verify): worker threads, from the last
//               checkpoint, or from the genesis with `full`;
//   recording   each verified height's result into the index (the explorer's per-item status)
//               and the report next to the replica (console-report.json, the verifier's JSON).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerifyView } from '../../../shared/api';
import { recordVerification, updateIndex, type HeightVerification, type IndexDb } from '../index';
import { openStore } from '../store';
import { runVerification, type VerificationReport } from '../verify';
import { idleVerify } from './views';

export const REPORT_FILE = 'console-report.json';

export interface VerifyTarget {
  dir: string;
  index: IndexDb;
  pinnedGenesis: string | null;
  full: boolean;
  forkEvidence: unknown[];
  threads?: number;
}

/** Per-height results for the index: every height the report covers, failed where a failure names it. */
export function heightResults(r: VerificationReport): HeightVerification[] {
  const byHeight = new Map<number, VerificationReport['failures']>();
  const all = r.haltedBy ? [...r.failures, r.haltedBy] : r.failures;
  for (const f of all) {
    if (f.height <= 0) continue; // the genesis: no block to mark
    const list = byHeight.get(f.height) ?? [];
    if (!list.some((x) => x.check === f.check && x.expected === f.expected && x.found === f.found)) list.push(f);
    byHeight.set(f.height, list);
  }
  const out: HeightVerification[] = [];
  if (r.heights.from !== null && r.heights.to !== null) {
    for (let h = r.heights.from; h <= r.heights.to; h++) out.push({ height: h, failures: byHeight.get(h) ?? [] });
  }
  for (const [h, failures] of byHeight) if (r.heights.to === null || h > r.heights.to) out.push({ height: h, failures });
  return out;
}

export class VerifyJob {
  view: VerifyView = idleVerify();
  private abort: AbortController | null = null;
  private run: Promise<VerificationReport | null> | null = null;

  constructor(private readonly changed: (urgent?: boolean) => void, private readonly log: (line: string) => void) {}

  get active(): boolean {
    return this.run !== null;
  }

  reset(): void {
    this.view = idleVerify();
  }

  start(t: VerifyTarget): Promise<VerificationReport | null> {
    if (this.run) return this.run;
    const ac = new AbortController();
    this.abort = ac;
    this.view = { ...idleVerify(), state: 'running', step: 'indexing', startedAt: new Date().toISOString() };
    this.changed(true);
    this.run = this.execute(t, ac.signal)
      .catch((e: unknown) => {
        this.log(`verification failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        this.view.state = 'failed';
        this.view.error = `verification could not run: ${(e as Error).message}`.slice(0, 2000);
        return null;
      })
      .finally(() => {
        this.run = null;
        this.abort = null;
        this.view.step = null;
        this.view.etaSeconds = null;
        this.view.finishedAt = new Date().toISOString();
        this.changed(true);
      });
    return this.run;
  }

  cancel(): void {
    this.abort?.abort();
  }

  private async execute(t: VerifyTarget, signal: AbortSignal): Promise<VerificationReport | null> {
    const t0 = performance.now();
    const store = await openStore(t.dir, { readOnly: true });
    try {
      await updateIndex(store, t.index, {
        signal,
        onProgress: (p) => {
          const secs = (performance.now() - t0) / 1000;
          const rate = p.heights / Math.max(0.001, secs);
          Object.assign(this.view, { height: p.height, from: 0, to: p.to, done: p.heights, total: Math.max(p.heights, p.to - p.height + p.heights), blocksPerSecond: rate, etaSeconds: rate > 0 ? (p.to - p.height) / rate : null });
          this.changed();
        },
      });
    } finally {
      await store.close();
    }
    if (signal.aborted) {
      this.view.state = 'cancelled';
      return null;
    }
    this.view.step = 'verifying';
    this.changed(true);
    const report = await runVerification({
      dir: t.dir,
      genesisSha256: t.pinnedGenesis,
      fullReverify: t.full,
      forkEvidence: t.forkEvidence,
      signal,
      maxFailures: 10_000,
      ...(t.threads ? { threads: t.threads } : {}),
      onProgress: (p) => {
        Object.assign(this.view, {
          height: p.height, from: p.from, to: p.to, done: p.done, total: p.total, failures: p.failures,
          blocksPerSecond: Number.isFinite(p.blocksPerSecond) ? Math.max(0, p.blocksPerSecond) : 0,
          etaSeconds: p.etaSeconds !== null && Number.isFinite(p.etaSeconds) ? Math.max(0, p.etaSeconds) : null,
        });
        this.changed();
      },
    });
    this.view.step = 'recording';
    this.view.failures = report.failuresTotal;
    this.changed(true);
    recordVerification(t.index, heightResults(report));
    await t.index.checkpoint();
    await writeFile(join(t.dir, REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    this.view.state = report.cancelled ? 'cancelled' : 'done';
    this.view.height = report.heights.to ?? 0;
    return report;
  }
}
