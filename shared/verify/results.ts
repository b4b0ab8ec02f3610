// The node's /block_results against the replay. The replayed FinalizeBlock response is the
// truth (the next header's LastResultsHash and AppHash are checked against it); a node that
// reports anything else about the fields consensus fixes is wrong, and each disagreement is a
// failure naming the transaction. Compared per tx: code, data, gas_wanted, gas_used — the
// fields types/results.go deterministicExecTxResult (and so LastResultsHash) commits to.
import { bytesEqual, toHex } from '../cometbft/bytes';
import { encodeDeterministicExecTxResult } from '../cometbft/encode';
import { merkleRoot } from '../cometbft/merkle';
import type { ExecTxResult } from '../cometbft/types';
import { fail, type Failure } from '../cometbft/verdict';
import { describeParamUpdates, sameParamUpdates, type ConsensusParamUpdates } from './consensus-params';
import type { DecodedResults } from './height-input';
import type { ValidatorChange } from './validator-updates';

/** What the replayed FinalizeBlock returned. */
export interface ReplayOutput {
  txResults: readonly Pick<ExecTxResult, 'code' | 'data' | 'gasWanted' | 'gasUsed'>[];
  validatorUpdates: readonly ValidatorChange[];
  appHash: Uint8Array;
  consensusParamUpdates?: ConsensusParamUpdates | null;
}

/** types/results.go ABCIResults.Hash: the Merkle root of each result's deterministic fields (LastResultsHash). */
export function resultsHash(txResults: readonly Pick<ExecTxResult, 'code' | 'data' | 'gasWanted' | 'gasUsed'>[]): Uint8Array {
  return merkleRoot(txResults.map(encodeDeterministicExecTxResult));
}

/** The node's tx results equal the replay's in every field resultsHash commits to (so both hash alike). */
export function sameTxResults(replay: ReplayOutput, node: DecodedResults | null): boolean {
  if (!node || node.txsResults.length !== replay.txResults.length) return false;
  for (let i = 0; i < node.txsResults.length; i++) {
    const r = replay.txResults[i]!, o = node.txsResults[i]!;
    if (r.code !== o.code || r.gasWanted !== o.gasWanted || r.gasUsed !== o.gasUsed || !bytesEqual(r.data, o.data)) return false;
  }
  return true;
}

const short = (b: Uint8Array): string => (b.length === 0 ? '(empty)' : b.length > 48 ? `${toHex(b.subarray(0, 48))}… (${b.length} bytes)` : toHex(b));

function describeUpdates(us: readonly ValidatorChange[]): string {
  return us.length === 0 ? 'none' : us.map((u) => `${toHex(u.pubKey)}:${u.power}`).join(', ');
}

export function compareResults(height: bigint, replay: ReplayOutput, node: DecodedResults | null): Failure[] {
  if (!node) return [];
  const out: Failure[] = [];
  if (node.height !== height) out.push(fail(height, 'results.height', String(height), String(node.height), '/block_results height'));
  if (node.txsResults.length !== replay.txResults.length) {
    out.push(fail(height, 'results.tx_count', `${replay.txResults.length} tx results (one per tx in the block)`, String(node.txsResults.length)));
  }
  const n = Math.min(node.txsResults.length, replay.txResults.length);
  for (let i = 0; i < n; i++) {
    const r = replay.txResults[i]!, o = node.txsResults[i]!;
    const exp: string[] = [], got: string[] = [];
    if (r.code !== o.code) { exp.push(`code ${r.code}`); got.push(`code ${o.code}`); }
    if (!bytesEqual(r.data, o.data)) { exp.push(`data ${short(r.data)}`); got.push(`data ${short(o.data)}`); }
    if (r.gasWanted !== o.gasWanted) { exp.push(`gas_wanted ${r.gasWanted}`); got.push(`gas_wanted ${o.gasWanted}`); }
    if (r.gasUsed !== o.gasUsed) { exp.push(`gas_used ${r.gasUsed}`); got.push(`gas_used ${o.gasUsed}`); }
    if (exp.length) out.push(fail(height, 'results.tx', exp.join(', '), got.join(', '), `tx #${i}: the replayed result differs from the node's /block_results`));
  }
  const vu = node.validatorUpdates;
  const same = vu.length === replay.validatorUpdates.length &&
    vu.every((u, i) => bytesEqual(u.pubKey, replay.validatorUpdates[i]!.pubKey) && u.power === replay.validatorUpdates[i]!.power);
  if (!same) out.push(fail(height, 'results.validator_updates', describeUpdates(replay.validatorUpdates), describeUpdates(vu)));
  // 0.38 prints app_hash; an empty one is "not reported" (nothing to compare).
  if (node.appHash.length > 0 && !bytesEqual(node.appHash, replay.appHash)) {
    out.push(fail(height, 'results.app_hash', toHex(replay.appHash), toHex(node.appHash), 'the app hash after replaying this block'));
  }
  if (!sameParamUpdates(replay.consensusParamUpdates, node.consensusParamUpdates)) {
    out.push(fail(height, 'results.consensus_params', describeParamUpdates(replay.consensusParamUpdates), describeParamUpdates(node.consensusParamUpdates)));
  }
  return out;
}
