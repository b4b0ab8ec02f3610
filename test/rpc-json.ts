// The typed CometBFT model back to the JSON a 0.38 node prints on /block, /commit, /validators,
// /block_results and /genesis (bare results, no envelope): int64 as strings, hashes and
// addresses as upper-case hex, bytes as base64, times as RFC 3339 with nanoseconds. For tests
// that build replicas; shared/cometbft/decode*.ts reads it back.
import { toBase64, toHex } from '../shared/cometbft/bytes';
import { formatTimestamp } from '../shared/cometbft/timestamp';
import type { BlockId, Commit, ConsensusParams, ExecTxResult, Header, Validator } from '../shared/cometbft/types';

export const PUBKEY_TYPE = 'tendermint/PubKeyEd25519';

export function blockIdJson(b: BlockId) {
  return { hash: toHex(b.hash), parts: { total: b.parts.total, hash: toHex(b.parts.hash) } };
}

export function headerJson(h: Header) {
  return {
    version: { block: String(h.version.block), app: String(h.version.app) },
    chain_id: h.chainId,
    height: String(h.height),
    time: formatTimestamp(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: toHex(h.lastCommitHash),
    data_hash: toHex(h.dataHash),
    validators_hash: toHex(h.validatorsHash),
    next_validators_hash: toHex(h.nextValidatorsHash),
    consensus_hash: toHex(h.consensusHash),
    app_hash: toHex(h.appHash),
    last_results_hash: toHex(h.lastResultsHash),
    evidence_hash: toHex(h.evidenceHash),
    proposer_address: toHex(h.proposerAddress),
  };
}

export function commitJson(c: Commit) {
  return {
    height: String(c.height),
    round: c.round,
    block_id: blockIdJson(c.blockId),
    signatures: c.signatures.map((s) => ({
      block_id_flag: s.blockIdFlag,
      validator_address: toHex(s.validatorAddress),
      timestamp: formatTimestamp(s.timestamp),
      signature: s.signature.length ? toBase64(s.signature) : null,
    })),
  };
}

export function blockResultJson(blockId: BlockId, header: Header, txs: readonly Uint8Array[], lastCommit: Commit) {
  return {
    block_id: blockIdJson(blockId),
    block: {
      header: headerJson(header),
      data: { txs: txs.map(toBase64) },
      evidence: { evidence: [] },
      last_commit: commitJson(lastCommit),
    },
  };
}

export function commitResultJson(header: Header, commit: Commit) {
  return { signed_header: { header: headerJson(header), commit: commitJson(commit) }, canonical: true };
}

/** One entry of a /validators answer. */
export function validatorJson(v: Validator) {
  return {
    address: toHex(v.address),
    pub_key: { type: PUBKEY_TYPE, value: toBase64(v.pubKey) },
    voting_power: String(v.votingPower),
    proposer_priority: String(v.proposerPriority),
  };
}

export function validatorsResultJson(height: bigint, vals: readonly Validator[]) {
  return {
    block_height: String(height),
    validators: vals.map(validatorJson),
    count: String(vals.length),
    total: String(vals.length),
  };
}

export function blockResultsJson(
  height: bigint, results: readonly (Pick<ExecTxResult, 'code' | 'data' | 'gasWanted' | 'gasUsed' | 'log' | 'codespace'> & { events: unknown[] })[],
  updates: readonly { pubKey: Uint8Array; power: bigint }[], appHash: Uint8Array,
) {
  return {
    height: String(height),
    txs_results: results.length === 0 ? null : results.map((r) => ({
      code: r.code,
      data: r.data.length ? toBase64(r.data) : null,
      log: r.log,
      info: '',
      gas_wanted: String(r.gasWanted),
      gas_used: String(r.gasUsed),
      events: r.events,
      codespace: r.codespace,
    })),
    finalize_block_events: [],
    validator_updates: updates.length === 0 ? null : updates.map((u) => ({
      pub_key: { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: toBase64(u.pubKey) } } },
      power: String(u.power),
    })),
    consensus_param_updates: null,
    app_hash: toBase64(appHash),
  };
}

export function consensusParamsJson(p: ConsensusParams) {
  return {
    block: { max_bytes: String(p.block.maxBytes), max_gas: String(p.block.maxGas) },
    evidence: {
      max_age_num_blocks: String(p.evidence.maxAgeNumBlocks),
      max_age_duration: String(p.evidence.maxAgeDurationNs),
      max_bytes: String(p.evidence.maxBytes),
    },
    validator: { pub_key_types: [...p.validator.pubKeyTypes] },
    version: { app: String(p.version.app) },
    abci: { vote_extensions_enable_height: String(p.abci.voteExtensionsEnableHeight) },
  };
}
