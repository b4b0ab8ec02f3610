// Consensus-parameter updates returned by FinalizeBlock (abci ResponseFinalizeBlock
// consensus_param_updates, a tendermint.types.ConsensusParams whose nil members mean "keep").
// They take effect at the next height: state/execution.go updateState applies
// ConsensusParams.Update (types/params.go) and the next header's ConsensusHash commits to it.
import { DecodeError, arrayField, asObject, describe, int64Field, join, parseUint64 } from '../cometbft/decode-core';
import type { ConsensusParams } from '../cometbft/types';

/** Each member present replaces the whole corresponding group (types/params.go Update). */
export interface ConsensusParamUpdates {
  block?: ConsensusParams['block'];
  evidence?: ConsensusParams['evidence'];
  validator?: ConsensusParams['validator'];
  version?: ConsensusParams['version'];
  abci?: ConsensusParams['abci'];
}

/** /block_results consensus_param_updates: null (none) or the proto JSON of ConsensusParams. */
export function decodeConsensusParamUpdates(json: unknown, path: string): ConsensusParamUpdates | null {
  if (json === null || json === undefined) return null;
  const o = asObject(json, path);
  const group = (k: string): Record<string, unknown> | null => (o[k] === undefined || o[k] === null ? null : asObject(o[k], join(path, k)));
  const out: ConsensusParamUpdates = {};
  const b = group('block');
  if (b) out.block = { maxBytes: int64Field(b, 'max_bytes', join(path, 'block')), maxGas: int64Field(b, 'max_gas', join(path, 'block')) };
  const e = group('evidence');
  if (e) {
    const ep = join(path, 'evidence');
    out.evidence = { maxAgeNumBlocks: int64Field(e, 'max_age_num_blocks', ep), maxAgeDurationNs: int64Field(e, 'max_age_duration', ep), maxBytes: int64Field(e, 'max_bytes', ep) };
  }
  const v = group('validator');
  if (v) {
    const vp = join(path, 'validator');
    out.validator = {
      pubKeyTypes: arrayField(v, 'pub_key_types', vp).map((t, i) => {
        if (typeof t !== 'string') throw new DecodeError(join(join(vp, 'pub_key_types'), i), `expected a string, found ${describe(t)}`);
        return t;
      }),
    };
  }
  const ver = group('version');
  if (ver) out.version = { app: ver['app'] === undefined ? 0n : parseUint64(ver['app'], join(join(path, 'version'), 'app')) };
  const a = group('abci');
  if (a) out.abci = { voteExtensionsEnableHeight: int64Field(a, 'vote_extensions_enable_height', join(path, 'abci')) };
  return out;
}

/** types/params.go ConsensusParams.Update: a copy with every present group replaced. */
export function applyConsensusParamUpdates(params: ConsensusParams, u: ConsensusParamUpdates | null | undefined): ConsensusParams {
  if (!u) return params;
  return {
    block: u.block ? { ...u.block } : params.block,
    evidence: u.evidence ? { ...u.evidence } : params.evidence,
    validator: u.validator ? { pubKeyTypes: [...u.validator.pubKeyTypes] } : params.validator,
    version: u.version ? { ...u.version } : params.version,
    abci: u.abci ? { ...u.abci } : params.abci,
  };
}

/** Two update sets are the same change (both absent, or the same groups with the same values). */
export function sameParamUpdates(a: ConsensusParamUpdates | null | undefined, b: ConsensusParamUpdates | null | undefined): boolean {
  return describeParamUpdates(a) === describeParamUpdates(b);
}

/** A canonical text of an update set (groups and fields in a fixed order), for comparison and reports. */
export function describeParamUpdates(u: ConsensusParamUpdates | null | undefined): string {
  if (!u) return 'none';
  const parts: string[] = [];
  if (u.block) parts.push(`block{max_bytes=${u.block.maxBytes} max_gas=${u.block.maxGas}}`);
  if (u.evidence) parts.push(`evidence{max_age_num_blocks=${u.evidence.maxAgeNumBlocks} max_age_duration=${u.evidence.maxAgeDurationNs} max_bytes=${u.evidence.maxBytes}}`);
  if (u.validator) parts.push(`validator{pub_key_types=${u.validator.pubKeyTypes.join(',')}}`);
  if (u.version) parts.push(`version{app=${u.version.app}}`);
  if (u.abci) parts.push(`abci{vote_extensions_enable_height=${u.abci.voteExtensionsEnableHeight}}`);
  return parts.length ? parts.join(' ') : 'an empty update';
}
