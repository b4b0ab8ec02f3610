// The checks a regulator signs off, as the console shows them (screen and PDF alike): each
// group names the verifier's check ids (shared/cometbft/verdict.ts CheckName) it covers, so a
// failure of any of them fails its group.

export interface CheckGroup {
  id: string;
  title: string;
  /** What was checked, in one sentence, with the CometBFT rule it implements. */
  rule: string;
  checks: readonly string[];
}

export const CHECK_GROUPS: readonly CheckGroup[] = [
  { id: 'genesis', title: 'Genesis pinned', rule: 'The stored genesis document hashes to the SHA-256 the user pinned; it is the only trust anchor.', checks: ['genesis'] },
  { id: 'replica', title: 'Replica complete and intact', rule: 'Every height from the initial height is present, decodes, and matches its checksum.', checks: ['replica.missing', 'replica.corrupt', 'decode'] },
  {
    id: 'headers', title: 'Header chain', rule: 'Each header hashes to its BlockID and links to the previous one (LastBlockID), with the right chain id, height, time and version.',
    checks: ['header.hash', 'header.last_block_id', 'header.chain_id', 'header.height', 'header.time', 'header.version', 'header.proposer_address'],
  },
  { id: 'data', title: 'Block contents', rule: 'DataHash is the Merkle root of the transactions; EvidenceHash covers the evidence.', checks: ['header.data_hash', 'header.evidence_hash'] },
  { id: 'last-commit', title: 'Last commit hash', rule: 'LastCommitHash is the hash of the previous height’s commit carried in the block.', checks: ['header.last_commit_hash'] },
  {
    id: 'validators', title: 'Validator sets and transitions', rule: 'ValidatorsHash and NextValidatorsHash match the sets derived from genesis and every validator update.',
    checks: ['header.validators_hash', 'header.next_validators_hash', 'validators.basic', 'validators.set', 'validators.update', 'results.validator_updates'],
  },
  {
    id: 'certificates', title: 'Commit certificates', rule: 'More than 2/3 of the voting power signed each block (VerifyCommit), each signature valid and by a known validator.',
    checks: ['commit.height', 'commit.block_id', 'commit.size', 'commit.signature', 'commit.validator_address', 'commit.voting_power', 'commit.basic', 'commit.double_vote',
      'light.trust_level', 'light.trusting_period', 'light.header_from_future', 'light.not_enough_trust'],
  },
  { id: 'tx-signatures', title: 'Transaction signatures', rule: 'Every transaction carries a valid Ed25519 signature of its signer over its signing bytes.', checks: ['tx.signature'] },
  {
    id: 'replay', title: 'Application state replay', rule: 'Replaying every transaction gives the results and the AppHash that the next header commits to.',
    checks: ['app.replay', 'header.app_hash', 'header.last_results_hash', 'header.consensus_hash', 'results.height', 'results.tx_count', 'results.tx', 'results.consensus_params', 'results.app_hash'],
  },
];

/** The group a check id belongs to (unknown ids fall in 'replica', the catch-all). */
export function groupOfCheck(check: string): CheckGroup {
  return CHECK_GROUPS.find((g) => g.checks.includes(check)) ?? CHECK_GROUPS[1]!;
}

export type GroupStatus = 'passed' | 'failed' | 'not-run';

/** Each group's status given the report's failures and whether anything was verified at all. */
export function groupStatuses(failures: readonly { check: string }[], verifiedAnything: boolean): Map<string, { status: GroupStatus; failures: number }> {
  const out = new Map<string, { status: GroupStatus; failures: number }>();
  for (const g of CHECK_GROUPS) out.set(g.id, { status: verifiedAnything ? 'passed' : 'not-run', failures: 0 });
  for (const f of failures) {
    const e = out.get(groupOfCheck(f.check).id)!;
    e.status = 'failed';
    e.failures++;
  }
  return out;
}
