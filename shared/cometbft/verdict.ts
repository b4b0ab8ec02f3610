// Every verification outcome is a value (after tendermint-rs light-client-verifier's Verdict):
// which height, which check, what was expected and what was found.

export type CheckName =
  | 'decode'
  | 'header.hash'
  | 'header.chain_id'
  | 'header.height'
  | 'header.time'
  | 'header.last_block_id'
  | 'header.data_hash'
  | 'header.last_commit_hash'
  | 'header.validators_hash'
  | 'header.next_validators_hash'
  | 'header.consensus_hash'
  | 'header.last_results_hash'
  | 'header.evidence_hash'
  | 'header.app_hash'
  | 'header.version'
  | 'header.proposer_address'
  | 'commit.height'
  | 'commit.block_id'
  | 'commit.size'
  | 'commit.signature'
  | 'commit.validator_address'
  | 'commit.voting_power'
  | 'commit.basic'
  | 'commit.double_vote'
  | 'validators.basic'
  | 'light.trust_level'
  | 'light.trusting_period'
  | 'light.header_from_future'
  | 'light.not_enough_trust'
  | 'tx.signature'
  | 'app.replay'
  // Full-replica verification (shared/verify):
  | 'genesis'
  | 'replica.missing'
  | 'replica.corrupt'
  | 'validators.set'
  | 'validators.update'
  | 'results.height'
  | 'results.tx_count'
  | 'results.tx'
  | 'results.validator_updates'
  | 'results.consensus_params'
  | 'results.app_hash';

export interface Failure {
  ok: false;
  height: bigint;
  check: CheckName;
  expected: string;
  found: string;
  detail?: string;
}

export interface Success {
  ok: true;
}

export type Verdict = Success | Failure;

export const OK: Success = Object.freeze({ ok: true }) as Success;

export function fail(height: bigint, check: CheckName, expected: string, found: string, detail?: string): Failure {
  return detail === undefined ? { ok: false, height, check, expected, found } : { ok: false, height, check, expected, found, detail };
}

export function describeFailure(f: Failure): string {
  return `height ${f.height}: ${f.check} failed: expected ${f.expected}, found ${f.found}${f.detail ? ` (${f.detail})` : ''}`;
}
