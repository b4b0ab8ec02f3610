// The verifier's per-height results, as the index keeps them for the explorer: a height is
// 'verified' when its verification reported no failure, 'failed' otherwise, and each failure
// keeps its check, expected and found (shared/cometbft/verdict.ts Failure). These rows are not
// derived from the store, so a rebuild keeps them (except for heights dropped and re-fetched);
// an index file that had to be discarded loses them until the verifier records them again.
// They live in the core; a block's status is read from here (query.ts), not copied into its shard.
import type { IndexDb } from './index-db';

export interface VerificationFailure {
  check: string;
  expected: string;
  found: string;
  detail?: string;
}

export interface HeightVerification {
  height: number | bigint;
  failures: readonly VerificationFailure[];
}

/** Records (or replaces) the verification result of each height; resolves to how many were recorded. */
export function recordVerification(ix: IndexDb, results: Iterable<HeightVerification>): Promise<number> {
  return ix.exclusive(() => record(ix, results));
}

function record(ix: IndexDb, results: Iterable<HeightVerification>): number {
  const sql = ix.sql();
  let n = 0;
  ix.db.exec('BEGIN');
  try {
    for (const r of results) {
      const h = Number(r.height);
      const status = r.failures.length === 0 ? 'verified' : 'failed';
      sql.run('INSERT OR REPLACE INTO verification (height, status, failures) VALUES (?, ?, ?)', [h, status, r.failures.length]);
      sql.run('DELETE FROM verification_failures WHERE height = ?', [h]);
      r.failures.forEach((f, i) => {
        sql.run('INSERT INTO verification_failures (height, seq, check_name, expected, found, detail) VALUES (?, ?, ?, ?, ?, ?)', [
          h, i, f.check, f.expected, f.found, f.detail ?? null,
        ]);
      });
      n++;
    }
    ix.db.exec('COMMIT');
  } catch (e) {
    ix.db.exec('ROLLBACK');
    throw e;
  }
  if (n > 0) ix.dirty = true;
  return n;
}
