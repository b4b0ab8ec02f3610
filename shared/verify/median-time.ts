// BFT time (CometBFT 0.38): a block's time is the voting-power-weighted median of the
// timestamps in its LastCommit (state/state.go MedianTime, types/time/time.go WeightedMedian),
// and the block at the initial height carries the genesis time (state/validation.go validateBlock).
import { toHex } from '../cometbft/bytes';
import { timestampNs } from '../cometbft/header-checks';
import { BlockIdFlag, type Commit, type Timestamp, type ValidatorSet } from '../cometbft/types';

/**
 * state/state.go MedianTime: every non-absent signature weighs its validator's power (looked
 * up by address in the set that signed); WeightedMedian sorts by time and walks until half the
 * total power (integer division) is covered. A signer missing from the set is an error.
 */
export function medianTime(commit: Commit, vals: ValidatorSet): { time: Timestamp } | { error: string } {
  const power = new Map(vals.validators.map((v) => [toHex(v.address), v.votingPower]));
  const weighted: { time: Timestamp; ns: bigint; weight: bigint }[] = [];
  let total = 0n;
  for (const s of commit.signatures) {
    if (s.blockIdFlag === BlockIdFlag.Absent) continue;
    const p = power.get(toHex(s.validatorAddress));
    if (p === undefined) return { error: `commit validator not found in validator set: ${toHex(s.validatorAddress)}` };
    total += p;
    weighted.push({ time: s.timestamp, ns: timestampNs(s.timestamp), weight: p });
  }
  weighted.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  let median = total / 2n;
  for (const w of weighted) {
    if (median <= w.weight) return { time: w.time };
    median -= w.weight;
  }
  // Go returns the zero time.Time when nothing is weighed.
  return { time: { seconds: -62135596800n, nanos: 0 } };
}

export function sameTime(a: Timestamp, b: Timestamp): boolean {
  return a.seconds === b.seconds && a.nanos === b.nanos;
}
