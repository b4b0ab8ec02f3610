// Validator-set transitions, derived (never taken from a node): the genesis set, then each
// height's FinalizeBlock validator updates applied with CometBFT's rules. Updates returned at
// height H change NextValidators after H, so they first sign H+2 (state/execution.go
// updateState: "Change results from this height but only applies to the next next height").
// Proposer priorities are not modelled: ValidatorSet.Hash and VerifyCommit do not read them.
import { bytesEqual, toHex } from '../cometbft/bytes';
import { MAX_TOTAL_VOTING_POWER } from '../cometbft/commit';
import { sortValidators, validatorAddress } from '../cometbft/hash';
import type { ConsensusParams, Validator, ValidatorSet } from '../cometbft/types';
import { fail, type Failure } from '../cometbft/verdict';

/** An abci.ValidatorUpdate (power 0 removes). */
export interface ValidatorChange {
  pubKeyType: string;
  pubKey: Uint8Array;
  power: bigint;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * state/execution.go validateValidatorUpdates: no negative power, and every key that is added
 * or kept (power > 0) is of a type the consensus params admit (crypto/encoding PubKeyFromProto
 * accepts an Ed25519 key of 32 bytes only).
 */
export function validateValidatorUpdates(changes: readonly ValidatorChange[], params: ConsensusParams['validator'], height: bigint): Failure | null {
  for (const [i, c] of changes.entries()) {
    const at = `validator update #${i} (${toHex(c.pubKey)})`;
    if (c.power < 0n) return fail(height, 'validators.update', 'a non-negative voting power', String(c.power), at);
    if (c.power === 0n) continue;
    if (c.pubKeyType !== 'ed25519' || c.pubKey.length !== 32) {
      return fail(height, 'validators.update', 'a 32-byte ed25519 public key', `${c.pubKeyType} key of ${c.pubKey.length} bytes`, at);
    }
    if (!params.pubKeyTypes.includes('ed25519')) {
      return fail(height, 'validators.update', `a key type in consensus_params.validator.pub_key_types (${params.pubKeyTypes.join(', ')})`, 'ed25519', at);
    }
  }
  return null;
}

/**
 * types/validator_set.go updateWithChangeSet (UpdateWithChangeSet with allowDeletes, and
 * NewValidatorSet without): processChanges (no duplicate address, 0 <= power <=
 * MaxTotalVotingPower), the result may not be empty, verifyRemovals (a removed validator must
 * exist), verifyUpdates (total power stays <= MaxTotalVotingPower), then updates and removals
 * applied and the set sorted by ValidatorsByVotingPower. Returns a new set; `vals` is untouched.
 */
export function applyValidatorChanges(vals: ValidatorSet, changes: readonly ValidatorChange[], allowDeletes: boolean, height: bigint): ValidatorSet | Failure {
  if (changes.length === 0) return vals;
  const bad = (expected: string, found: string, detail?: string): Failure => fail(height, 'validators.update', expected, found, detail);
  // processChanges: sort by address, reject duplicates and out-of-range powers.
  const sorted = changes
    .map((c) => ({ address: validatorAddress(c.pubKey), change: c }))
    .sort((a, b) => compareBytes(a.address, b.address));
  const updates: Validator[] = [];
  const deletes: Uint8Array[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const { address, change } = sorted[i]!;
    const id = toHex(address);
    if (i > 0 && bytesEqual(sorted[i - 1]!.address, address)) return bad('at most one update per validator', `two updates for ${id}`);
    if (change.power < 0n) return bad('a non-negative voting power', String(change.power), `validator ${id}`);
    if (change.power > MAX_TOTAL_VOTING_POWER) return bad(`a voting power <= ${MAX_TOTAL_VOTING_POWER}`, String(change.power), `validator ${id}`);
    if (change.power === 0n) deletes.push(address);
    else updates.push({ address, pubKey: change.pubKey, pubKeyType: 'ed25519', votingPower: change.power, proposerPriority: 0n });
  }
  if (!allowDeletes && deletes.length > 0) return bad('validators with voting power > 0', `${deletes.length} with voting power 0`, `e.g. ${toHex(deletes[0]!)}`);

  const byAddress = new Map(vals.validators.map((v) => [toHex(v.address), v]));
  const numNew = updates.filter((u) => !byAddress.has(toHex(u.address))).length;
  if (numNew === 0 && vals.validators.length === deletes.length) return bad('a non-empty validator set after the changes', 'every validator removed');
  // verifyRemovals
  let removedPower = 0n;
  for (const d of deletes) {
    const v = byAddress.get(toHex(d));
    if (!v) return bad('removal of a validator in the set', `${toHex(d)} is not in the set`, 'failed to find validator to remove');
    removedPower += v.votingPower;
  }
  // verifyUpdates: apply the deltas in ascending order so no intermediate total overflows first.
  const total = vals.validators.reduce((a, v) => a + v.votingPower, 0n);
  const deltas = updates.map((u) => u.votingPower - (byAddress.get(toHex(u.address))?.votingPower ?? 0n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let tvp = total - removedPower;
  for (const d of deltas) {
    tvp += d;
    if (tvp > MAX_TOTAL_VOTING_POWER) return bad(`total voting power <= ${MAX_TOTAL_VOTING_POWER}`, `more than ${MAX_TOTAL_VOTING_POWER}`);
  }
  // applyUpdates, applyRemovals, sort.
  for (const u of updates) byAddress.set(toHex(u.address), u);
  for (const d of deletes) byAddress.delete(toHex(d));
  return sortValidators({ validators: [...byAddress.values()] });
}

/** types/validator_set.go NewValidatorSet: a set from a list of validators (no removals). */
export function newValidatorSet(changes: readonly ValidatorChange[], height: bigint): ValidatorSet | Failure {
  if (changes.length === 0) return { validators: [] };
  return applyValidatorChanges({ validators: [] }, changes, false, height);
}

function describeValidator(v: Validator): string {
  return `${toHex(v.address)} (power ${v.votingPower})`;
}

/**
 * The first difference between the derived set and a node's answer, compared in canonical
 * order on address, public key and voting power; null when they are the same set.
 */
export function validatorSetDifference(derived: ValidatorSet, node: ValidatorSet): { expected: string; found: string; detail: string } | null {
  const a = sortValidators(derived).validators;
  const b = sortValidators(node).validators;
  const nodeBy = new Map(b.map((v) => [toHex(v.address), v]));
  const derivedBy = new Map(a.map((v) => [toHex(v.address), v]));
  for (const v of a) {
    const w = nodeBy.get(toHex(v.address));
    if (!w) return { expected: `validator ${describeValidator(v)}`, found: 'no such validator', detail: 'the node omits a validator of the derived set' };
    if (w.votingPower !== v.votingPower) {
      return { expected: `voting power ${v.votingPower}`, found: String(w.votingPower), detail: `validator ${toHex(v.address)}` };
    }
    if (!bytesEqual(w.pubKey, v.pubKey)) return { expected: `public key ${toHex(v.pubKey)}`, found: toHex(w.pubKey), detail: `validator ${toHex(v.address)}` };
  }
  for (const w of b) {
    if (!derivedBy.has(toHex(w.address))) return { expected: 'no such validator', found: `validator ${describeValidator(w)}`, detail: 'the node adds a validator the derived set does not have' };
  }
  return null;
}
