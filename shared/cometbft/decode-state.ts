// Decoders for chain state: /genesis, /validators (and the light-client validator-set shape),
// /consensus_params and /block_results.
import {
  DecodeError, addressField, arrayField, asObject, base64Field, describe, field, hexField, int64Field, intStringField,
  join, objectField, parseInt64, parseUint64, pubKeyField, stringField, uint32Field, unwrapResult,
} from './decode-core';
import { validatorAddress } from './hash';
import { decodeTimestamp } from './timestamp';
import type {
  BlockResults, ConsensusParams, ExecTxResult, GenesisDoc, GenesisValidator, Validator, ValidatorSet, ValidatorUpdate,
  ValidatorsPage,
} from './types';

/** types.Validator `{address, pub_key, voting_power, proposer_priority}`; proposer_priority may be absent (light vectors). */
function decodeValidator(json: unknown, path: string): Validator {
  const o = asObject(json, path);
  return {
    address: addressField(o, 'address', path),
    pubKey: pubKeyField(o, 'pub_key', path),
    pubKeyType: 'ed25519',
    votingPower: int64Field(o, 'voting_power', path),
    proposerPriority: o['proposer_priority'] === undefined ? 0n : int64Field(o, 'proposer_priority', path),
  };
}

/**
 * A validator set, in the order given. Accepts the /validators result `{block_height,
 * validators, count, total}` (one page: see decodeValidatorsPage) and the light-client shape
 * `{validators, proposer?, total_voting_power?}` (proposer and total are not needed to hash).
 */
export function decodeValidatorSet(json: unknown, path?: string): ValidatorSet {
  const r = unwrapResult(json, path ?? 'validator_set');
  const o = asObject(r.value, r.path);
  const vp = join(r.path, 'validators');
  return { validators: arrayField(o, 'validators', r.path).map((v, i) => decodeValidator(v, join(vp, i))) };
}

/** /validators with its paging fields (rpc/core/consensus.go Validators: count of total, per_page ≤ 100). */
export function decodeValidatorsPage(json: unknown): ValidatorsPage {
  const r = unwrapResult(json);
  const o = asObject(r.value, r.path);
  return {
    blockHeight: int64Field(o, 'block_height', r.path),
    validatorSet: decodeValidatorSet(o, r.path),
    count: intStringField(o, 'count', r.path),
    total: intStringField(o, 'total', r.path),
  };
}

/**
 * types.ConsensusParams (types/params.go JSON tags). Accepts the params object itself, or the
 * /consensus_params result `{block_height, consensus_params}`. `abci` may be absent (genesis
 * files from before 0.38; Go leaves it zero).
 */
export function decodeConsensusParams(json: unknown, path?: string): ConsensusParams {
  const r = unwrapResult(json, path ?? 'consensus_params');
  let o = asObject(r.value, r.path);
  let p = r.path;
  if ('consensus_params' in o) {
    p = join(p, 'consensus_params');
    o = asObject(o['consensus_params'], p);
  }
  const block = objectField(o, 'block', p);
  const evidence = objectField(o, 'evidence', p);
  const validator = objectField(o, 'validator', p);
  const version = objectField(o, 'version', p);
  const bp = join(p, 'block'), ep = join(p, 'evidence'), vp = join(p, 'validator'), vep = join(p, 'version');
  const abci = o['abci'] === undefined ? null : objectField(o, 'abci', p);
  const keyTypes = arrayField(validator, 'pub_key_types', vp).map((t, i) => {
    if (typeof t !== 'string') throw new DecodeError(join(join(vp, 'pub_key_types'), i), `expected a string, found ${describe(t)}`);
    return t;
  });
  return {
    block: { maxBytes: int64Field(block, 'max_bytes', bp), maxGas: int64Field(block, 'max_gas', bp) },
    evidence: {
      maxAgeNumBlocks: int64Field(evidence, 'max_age_num_blocks', ep),
      // time.Duration: libs/json prints it as an int64 string of nanoseconds.
      maxAgeDurationNs: int64Field(evidence, 'max_age_duration', ep),
      maxBytes: int64Field(evidence, 'max_bytes', ep),
    },
    validator: { pubKeyTypes: keyTypes },
    version: { app: parseUint64(field(version, 'app', vep), join(vep, 'app')) },
    abci: { voteExtensionsEnableHeight: abci === null ? 0n : int64Field(abci, 'vote_extensions_enable_height', join(p, 'abci')) },
  };
}

/** types.GenesisValidator; an empty address is filled from the key as types/genesis.go ValidateAndComplete does. */
function decodeGenesisValidator(json: unknown, path: string): GenesisValidator {
  const o = asObject(json, path);
  const pubKey = pubKeyField(o, 'pub_key', path);
  const given = o['address'] === undefined ? new Uint8Array(0) : addressField(o, 'address', path);
  return {
    address: given.length === 0 ? validatorAddress(pubKey) : given,
    pubKey,
    pubKeyType: 'ed25519',
    power: int64Field(o, 'power', path),
    name: o['name'] === undefined ? '' : stringField(o, 'name', path),
  };
}

/** /genesis `{genesis: GenesisDoc}`, or a bare genesis document (a genesis.json file). */
export function decodeGenesis(json: unknown): GenesisDoc {
  const r = unwrapResult(json);
  let o = asObject(r.value, r.path);
  let p = r.path;
  if ('genesis' in o) {
    p = join(p, 'genesis');
    o = asObject(o['genesis'], p);
  }
  const vp = join(p, 'validators');
  const validators = o['validators'] === undefined ? [] : arrayField(o, 'validators', p);
  return {
    genesisTime: decodeTimestamp(field(o, 'genesis_time', p), join(p, 'genesis_time')),
    chainId: stringField(o, 'chain_id', p),
    initialHeight: int64Field(o, 'initial_height', p),
    consensusParams: decodeConsensusParams(field(o, 'consensus_params', p), join(p, 'consensus_params')),
    validators: validators.map((v, i) => decodeGenesisValidator(v, join(vp, i))),
    appHash: o['app_hash'] === undefined ? new Uint8Array(0) : hexField(o, 'app_hash', p),
    appState: o['app_state'] ?? null,
  };
}

/** abci.ExecTxResult; every field is proto `omitempty`, so absent means the zero value. */
function decodeExecTxResult(json: unknown, path: string): ExecTxResult {
  const o = asObject(json, path);
  const str = (k: string): string => (o[k] === undefined || o[k] === null ? '' : stringField(o, k, path));
  const i64 = (k: string): bigint => (o[k] === undefined ? 0n : parseInt64(o[k], join(path, k)));
  return {
    code: o['code'] === undefined ? 0 : uint32Field(o, 'code', path),
    data: o['data'] === undefined ? new Uint8Array(0) : base64Field(o, 'data', path),
    gasWanted: i64('gas_wanted'),
    gasUsed: i64('gas_used'),
    log: str('log'),
    codespace: str('codespace'),
    events: o['events'] === undefined ? [] : arrayField(o, 'events', path),
  };
}

/** abci.ValidatorUpdate `{pub_key, power}`; power is `omitempty`, and 0 means "remove". */
function decodeValidatorUpdate(json: unknown, path: string): ValidatorUpdate {
  const o = asObject(json, path);
  return {
    pubKeyType: 'ed25519',
    pubKey: pubKeyField(o, 'pub_key', path),
    power: o['power'] === undefined ? 0n : int64Field(o, 'power', path),
  };
}

/** /block_results (0.38 ResultBlockResults): nil slices and a nil app_hash print as null. */
export function decodeBlockResults(json: unknown): BlockResults {
  const r = unwrapResult(json);
  const o = asObject(r.value, r.path);
  const tp = join(r.path, 'txs_results');
  const up = join(r.path, 'validator_updates');
  const opt = (k: string): unknown[] => (o[k] === undefined ? [] : arrayField(o, k, r.path));
  return {
    height: int64Field(o, 'height', r.path),
    txsResults: opt('txs_results').map((t, i) => decodeExecTxResult(t, join(tp, i))),
    validatorUpdates: opt('validator_updates').map((u, i) => decodeValidatorUpdate(u, join(up, i))),
    appHash: o['app_hash'] === undefined ? new Uint8Array(0) : base64Field(o, 'app_hash', r.path),
  };
}
