// The verification report as it crosses to the renderer (the verifier's report,
// electron/services/verify/report.ts, minus raw fork payloads), and the validator
// participation matrix behind the heatmap.
import * as s from '../schema';
import type { Infer } from '../schema';
import { count, hex, height, rate, sha256, text, time } from './common';
import { forkView } from './console';

export const failureRecord = s.object({
  height,
  check: s.string({ max: 80 }),
  expected: text(1000),
  found: text(1000),
  detail: s.optional(text(1000)),
});
export type FailureRecordView = Infer<typeof failureRecord>;

/** Failures listed in the view (the PDF and JSON exports list them all, up to the verifier's own limit). */
export const VIEW_MAX_FAILURES = 300;

const range = s.object({ from: s.nullable(height), to: s.nullable(height) });

export const reportView = s.object({
  format: s.literal('custos-verification-report/1'),
  tool: s.object({ name: s.string({ max: 80 }), version: s.string({ max: 40 }) }),
  ok: s.boolean(),
  chainId: s.nullable(s.string({ max: 50 })),
  genesisSha256: s.nullable(sha256),
  pinnedGenesisSha256: s.nullable(sha256),
  heights: range,
  run: s.object({
    from: s.nullable(height),
    to: s.nullable(height),
    blocks: count,
    resumedFromCheckpoint: s.nullable(height),
    checkpoint: s.literal('none', 'used', 'ignored', 'full-reverify'),
    checkpointNote: s.optional(text(1000)),
    threads: count,
    signatureMisses: count,
  }),
  replica: s.object({ lowest: height, highest: height, complete: height, source: s.string({ max: 1024 }) }),
  counts: s.object({ blocks: count, txs: count, signatures: count, commitSignatures: count, txSignatures: count, validatorChanges: count }),
  firstFailure: s.nullable(failureRecord),
  failures: s.array(failureRecord, { max: VIEW_MAX_FAILURES }),
  failuresTotal: count,
  failuresOmitted: count,
  haltedBy: s.nullable(failureRecord),
  forkEvidence: s.array(forkView, { max: 100 }),
  cancelled: s.boolean(),
  startedAt: time,
  finishedAt: time,
  durationMs: rate,
  throughput: s.object({ blocksPerSecond: rate, signaturesPerSecond: rate }),
});
export type ReportView = Infer<typeof reportView>;

/**
 * Who signed each commit. Rows are validators (every key that was ever in the set), columns
 * are height buckets (one height each for small replicas). A cell is the share of the
 * bucket's commits the validator signed (0..1), or -1 when it was not in the set there.
 */
export const participation = s.object({
  from: height,
  to: height,
  bucketSize: s.integer({ min: 1 }),
  validators: s.array(s.object({ address: hex(40), pubKey: s.string({ max: 100 }), power: count, firstHeight: height, lastHeight: height, absent: count }), { max: 200 }),
  buckets: s.array(s.object({ from: height, to: height }), { max: 600 }),
  cells: s.array(s.array(s.number({ min: -1, max: 1 }), { max: 600 }), { max: 200 }),
  /** Heights whose validator set differs from the height before. */
  changes: s.array(s.object({ height, added: s.array(hex(40), { max: 200 }), removed: s.array(hex(40), { max: 200 }), powerChanged: s.array(hex(40), { max: 200 }) }), { max: 600 }),
});
export type ParticipationView = Infer<typeof participation>;

export const exportResult = s.object({ path: s.nullable(s.string({ max: 1024 })), bytes: count, cancelled: s.boolean() });
export type ExportResultView = Infer<typeof exportResult>;
