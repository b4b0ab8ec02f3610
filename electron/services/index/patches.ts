// The updates a later height makes to rows of an earlier one (PROTOCOL.md §5.8 consent.revoke,
// §5.12 breakglass.review). In the shard being written they run at once; for a sealed shard
// they are queued in the core (shard_patches), applied whenever the shard is loaded, and
// written into its file at the next checkpoint. Each sets fixed values by primary key, so
// applying one again, or to a shard without the row, changes nothing.

export const PATCH_SQL = {
  consent_revoke: 'UPDATE consents SET status = \'revoked\', revoked_height = ?, revoked_time = ?, revoked_by = ? WHERE id = ?',
  breakglass_review: 'UPDATE accesses SET reviewed_height = ?, reviewed_time = ?, reviewer = ?, review_outcome = ?, review_late = ? WHERE id = ?',
} as const;

export type PatchOp = keyof typeof PATCH_SQL;
export type PatchArgs = (string | number | null)[];

export function isPatchOp(op: string): op is PatchOp {
  return Object.hasOwn(PATCH_SQL, op);
}
