// The failures of a verification run: the first `max` kept for the report, every one counted
// by height (a checkpoint records the count up to its height).
import type { FailureRecord } from './report';

/** Failures kept (the first `max`) and counted exactly, per height. */
export class FailureLog {
  readonly kept: FailureRecord[] = [];
  /** Failures from before this run (a checkpoint) that are not in `kept`. */
  private earlierOmitted = 0;
  private readonly heights: number[] = [];
  first: FailureRecord | null = null;
  constructor(private readonly max: number) {}
  add(f: FailureRecord): void {
    this.heights.push(f.height);
    this.first ??= f;
    if (this.kept.length < this.max) this.kept.push(f);
  }
  /** Restores the log a checkpoint carried. */
  restore(kept: FailureRecord[], total: number, first: FailureRecord | null): void {
    for (const f of kept) this.add(f);
    this.earlierOmitted = Math.max(0, total - kept.length);
    this.first = first ?? this.first;
  }
  get total(): number {
    return this.heights.length + this.earlierOmitted;
  }
  totalUpTo(height: number): number {
    return this.earlierOmitted + this.heights.filter((h) => h <= height).length;
  }
}
