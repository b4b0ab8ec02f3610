// One height of a full replica as the node served it: the /block, /commit, /validators and
// /block_results results, and their decoding into the typed model. Nothing here is trusted; a
// payload that does not decode is a 'decode' failure naming the JSON path.
import { DecodeError, asObject, int64Field, intStringField } from '../cometbft/decode-core';
import { decodeBlockResponse, decodeCommitResponse } from '../cometbft/decode-block';
import { decodeBlockResults, decodeValidatorSet } from '../cometbft/decode-state';
import type { BlockResponse, BlockResults, ExecTxResult, SignedHeader, ValidatorSet } from '../cometbft/types';
import { fail, type Failure } from '../cometbft/verdict';
import { decodeConsensusParamUpdates, type ConsensusParamUpdates } from './consensus-params';

/** Parsed JSON of the four results (JSON-RPC envelope or bare result). */
export interface RawHeight {
  height: bigint;
  block: unknown;
  commit: unknown;
  validators: unknown;
  results: unknown;
}

/** What the rules compare of a tx result: the fields types/results.go deterministicExecTxResult (LastResultsHash) keeps. */
export type TxResultFacts = Pick<ExecTxResult, 'code' | 'data' | 'gasWanted' | 'gasUsed'>;

/** /block_results as the rules use it (logs and events are not kept: no rule reads them). */
export interface DecodedResults extends Omit<BlockResults, 'txsResults'> {
  txsResults: TxResultFacts[];
  /** consensus_param_updates, null when the node printed none. */
  consensusParamUpdates: ConsensusParamUpdates | null;
}

/**
 * /validators as the replica keeps it: every page merged into one result (rpc/core/consensus.go
 * Validators is paginated). block_height and total are read when present.
 */
export interface NodeValidators {
  blockHeight: bigint | null;
  total: number | null;
  set: ValidatorSet;
}

/** Each payload decoded, or null when it did not decode (its failure is in `failures`). */
export interface DecodedHeight {
  height: bigint;
  block: BlockResponse | null;
  commit: SignedHeader | null;
  validators: NodeValidators | null;
  results: DecodedResults | null;
  failures: Failure[];
}

type Kind = 'block' | 'commit' | 'validators' | 'block_results';

function attempt<T>(height: bigint, kind: Kind, failures: Failure[], fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    const msg = e instanceof DecodeError ? e.message : `${(e as Error)?.message ?? String(e)}`;
    failures.push(fail(height, 'decode', `a well-formed /${kind} result`, msg, `/${kind} at height ${height}`));
    return null;
  }
}

/** The result object inside a JSON-RPC envelope, or the value itself. */
function resultOf(json: unknown): unknown {
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'result' in json) return (json as { result: unknown }).result;
  return json;
}

export function decodeHeight(raw: RawHeight): DecodedHeight {
  return decodeWith(raw.height, (k) => (k === 'block' ? raw.block : k === 'commit' ? raw.commit : k === 'validators' ? raw.validators : raw.results));
}

/** The four payloads as the replica stores them: UTF-8 JSON bytes of each result. */
export type HeightPayloads = Record<Kind, Uint8Array>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** decodeHeight from stored bytes; bytes that are not UTF-8 JSON are a 'decode' failure too. */
export function decodeHeightBytes(height: bigint, p: HeightPayloads): DecodedHeight {
  return decodeWith(height, (k) => {
    try {
      return JSON.parse(utf8.decode(p[k])) as unknown;
    } catch (e) {
      throw new DecodeError('result', `not UTF-8 JSON (${(e as Error).message})`);
    }
  });
}

function decodeWith(h: bigint, get: (k: Kind) => unknown): DecodedHeight {
  const failures: Failure[] = [];
  const block = attempt(h, 'block', failures, () => decodeBlockResponse(get('block')));
  const commit = attempt(h, 'commit', failures, () => decodeCommitResponse(get('commit')));
  const validators = attempt(h, 'validators', failures, (): NodeValidators => {
    const json = get('validators');
    const o = asObject(resultOf(json), 'result');
    return {
      blockHeight: o['block_height'] === undefined ? null : int64Field(o, 'block_height', 'result'),
      total: o['total'] === undefined ? null : intStringField(o, 'total', 'result'),
      set: decodeValidatorSet(json),
    };
  });
  const results = attempt(h, 'block_results', failures, (): DecodedResults => {
    const json = get('block_results');
    const r = decodeBlockResults(json);
    const o = resultOf(json) as Record<string, unknown>;
    return {
      height: r.height,
      txsResults: r.txsResults.map((t) => ({ code: t.code, data: t.data, gasWanted: t.gasWanted, gasUsed: t.gasUsed })),
      validatorUpdates: r.validatorUpdates,
      appHash: r.appHash,
      consensusParamUpdates: decodeConsensusParamUpdates(o['consensus_param_updates'], 'result.consensus_param_updates'),
    };
  });
  return { height: h, block, commit, validators, results, failures };
}
