// What runVerification (run.ts) takes, and what it reports while it runs.
import type { FailureRecord } from './report';
import type { ReplicaSource } from './source';

export interface VerifyProgress {
  /** Last verified height. */
  height: number;
  /** This run's range and how much of it is done. */
  from: number;
  to: number;
  done: number;
  total: number;
  blocksPerSecond: number;
  etaSeconds: number | null;
  failures: number;
}

export interface VerifiedBatch {
  from: number;
  to: number;
  failures: FailureRecord[];
}

export interface VerifyOptions {
  /** The replica store directory (or give `source`). */
  dir?: string;
  source?: ReplicaSource;
  /** The genesis SHA-256 the user pinned (hex); a different stored genesis is a failure and nothing is verified. */
  genesisSha256?: string | null;
  /** Prepare workers (default os.availableParallelism()); the chain worker is one more thread. */
  threads?: number;
  /** Verify from the genesis even when a checkpoint exists (the checkpoint is rewritten). */
  fullReverify?: boolean;
  /** Checkpoint file (default <dir>/verify-checkpoint.bin; null: no checkpoint). */
  checkpointPath?: string | null;
  /**
   * Time between checkpoints (default 60 s), at least 20 times what the last one took (a
   * snapshot costs time in proportion to the ledger state), so they stay under 5% of the run.
   * One is always written at the end, interrupted or not.
   */
  checkpointIntervalMs?: number;
  /** Last height to verify (default: the replica's highest). */
  toHeight?: number;
  /** Fork evidence found by the sync, passed through to the report. */
  forkEvidence?: unknown[];
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
  /**
   * Per-height results as they come (for the index): heights `from`..`to` are now verified, and
   * `failures` are the failures reported with them, each with its height (a height that halted
   * verification, `to` + 1, can be among them).
   */
  onHeights?: (batch: VerifiedBatch) => void;
  /** Failures kept in the report (the total stays exact). */
  maxFailures?: number;
  /** Heights read but not yet verified, at most (default max(24, 8 × threads)). */
  window?: number;
  /**
   * Stored bytes of the heights read but not yet verified, at most (default 24 MiB; one height
   * always goes): what bounds the memory held between reading and applying, whatever the block size.
   */
  maxBytesInFlight?: number;
}
