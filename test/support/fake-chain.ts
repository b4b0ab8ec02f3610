// A small, fully consistent CometBFT 0.38 chain as JSON-RPC results, for sync tests: real
// header hashes, data hashes, last-commit and last-results hashes, validator-set hashes, and
// commits signed by deterministic Ed25519 validators. `forkAt` gives a chain identical below
// that height and different from it on, signed by the same validators (an equivocation);
// another `seed` gives the same chain id under other validators.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { toBase64, toHex } from '../../shared/cometbft/bytes';
import { decodeConsensusParams } from '../../shared/cometbft/decode';
import { consensusParamsHash, dataHash, evidenceHash, headerHash, lastCommitHash, lastResultsHash, sortValidators, validatorAddress, validatorSetHash } from '../../shared/cometbft/hash';
import { commitSigSignBytes } from '../../shared/cometbft/sign-bytes';
import { formatTimestamp } from '../../shared/cometbft/timestamp';
import { blockIdJson, commitJson, headerJson, PUBKEY_TYPE, validatorJson } from '../rpc-json';
import { BlockIdFlag, type BlockId, type Commit, type ExecTxResult, type Header, type Timestamp, type ValidatorSet } from '../../shared/cometbft/types';

export interface FakeChainOptions {
  chainId?: string;
  /** Heights 1..heights exist; the tip's commit is non-canonical, as on a real node. */
  heights: number;
  validators?: number;
  /** Validator keys derive from this (default "v"). */
  seed?: string;
  txsPerBlock?: number;
  /** From this height on, blocks differ (salt) from the chain built without it. */
  forkAt?: number;
  forkSalt?: string;
  /** From forkAt on, blocks are signed by validators derived from this seed instead. */
  forkSeed?: string;
}

export type Json = Record<string, unknown>;

export interface FakeChain {
  chainId: string;
  latest: number;
  vals: ValidatorSet;
  genesis: Json;
  status(latest?: number): Json;
  block(h: number): Json;
  commit(h: number, latest?: number): Json;
  validators(h: number, page?: number, perPage?: number): Json;
  blockResults(h: number): Json;
  blockchain(min: number, max: number, latest?: number): Json;
  blockId(h: number): BlockId;
}

const sha = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s).digest());
const hex = (b: Uint8Array): string => toHex(b);
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

function keyPair(seed: string): { pub: Uint8Array; sign: (m: Uint8Array) => Uint8Array } {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(sha(seed))]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return { pub: new Uint8Array(spki.subarray(spki.length - 32)), sign: (m) => new Uint8Array(sign(null, m, key)) };
}

function ts(t: Timestamp): string {
  return formatTimestamp(t);
}

const CONSENSUS_PARAMS = {
  block: { max_bytes: '22020096', max_gas: '-1' },
  evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
  validator: { pub_key_types: ['ed25519'] },
  version: { app: '0' },
  abci: { vote_extensions_enable_height: '0' },
};

export function buildFakeChain(o: FakeChainOptions): FakeChain {
  const chainId = o.chainId ?? 'custos-fake';
  const seed = o.seed ?? 'v';
  const n = o.validators ?? 4;
  const byAddr = new Map<string, ReturnType<typeof keyPair>>();
  const setOf = (sd: string): ValidatorSet => {
    const keys = Array.from({ length: n }, (_, i) => keyPair(`custos fake validator ${sd}${i}`));
    for (const k of keys) byAddr.set(hex(validatorAddress(k.pub)), k);
    return sortValidators({
      validators: keys.map((k) => ({ address: validatorAddress(k.pub), pubKey: k.pub, pubKeyType: 'ed25519' as const, votingPower: 10n, proposerPriority: 0n })),
    });
  };
  const vals = setOf(seed);
  const forkVals = o.forkSeed !== undefined ? setOf(o.forkSeed) : vals;
  const valsAt = (h: number): ValidatorSet => (o.forkAt !== undefined && h >= o.forkAt ? forkVals : vals);
  const consensusHash = consensusParamsHash(decodeConsensusParams(CONSENSUS_PARAMS));
  const t0 = 1_700_000_000n;
  const salt = (h: number): string => (o.forkAt !== undefined && h >= o.forkAt ? `|${o.forkSalt ?? 'fork'}` : '');

  const headers: Header[] = [];
  const ids: BlockId[] = [];
  const commits: Commit[] = [];
  const txs: Uint8Array[][] = [];
  const results: ExecTxResult[][] = [];
  for (let h = 1; h <= o.heights; h++) {
    const t = Array.from({ length: o.txsPerBlock ?? 2 }, (_, i) => new TextEncoder().encode(`tx ${h}.${i}${salt(h)}`));
    const r: ExecTxResult[] = t.map((_, i) => ({ code: 0, data: new Uint8Array(0), gasWanted: 1n, gasUsed: BigInt(i + 1), log: '', codespace: '', events: [] }));
    const hd: Header = {
      version: { block: 11n, app: 1n },
      chainId,
      height: BigInt(h),
      time: { seconds: t0 + BigInt(h), nanos: 0 },
      lastBlockId: h === 1 ? { hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } } : ids[h - 2]!,
      lastCommitHash: h === 1 ? lastCommitHash({ height: 0n, round: 0, blockId: { hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } }, signatures: [] }) : lastCommitHash(commits[h - 2]!),
      dataHash: dataHash(t),
      validatorsHash: validatorSetHash(valsAt(h)),
      nextValidatorsHash: validatorSetHash(valsAt(h)),
      consensusHash,
      appHash: sha(`app ${h - 1}${salt(h)}`).slice(0, 8),
      lastResultsHash: lastResultsHash(h === 1 ? [] : results[h - 2]!),
      evidenceHash: evidenceHash([]),
      proposerAddress: valsAt(h).validators[h % n]!.address,
    };
    const id: BlockId = { hash: headerHash(hd), parts: { total: 1, hash: sha(`parts ${h}${salt(h)}`) } };
    const commit: Commit = {
      height: BigInt(h),
      round: 0,
      blockId: id,
      signatures: valsAt(h).validators.map((v, i) => ({ blockIdFlag: BlockIdFlag.Commit, validatorAddress: v.address, timestamp: { seconds: t0 + BigInt(h), nanos: 500_000_000 + i }, signature: new Uint8Array(0) })),
    };
    commit.signatures.forEach((s, i) => {
      s.signature = byAddr.get(hex(s.validatorAddress))!.sign(commitSigSignBytes(chainId, commit, i));
    });
    headers.push(hd);
    ids.push(id);
    commits.push(commit);
    txs.push(t);
    results.push(r);
  }

  const at = (h: number): number => {
    if (!Number.isSafeInteger(h) || h < 1 || h > o.heights) throw new Error(`height ${h} must be less than or equal to the current blockchain height ${o.heights}`);
    return h - 1;
  };
  const genesis: Json = {
    genesis_time: ts({ seconds: t0, nanos: 0 }),
    chain_id: chainId,
    initial_height: '1',
    consensus_params: CONSENSUS_PARAMS,
    validators: vals.validators.map((v, i) => ({ address: hex(v.address), pub_key: { type: PUBKEY_TYPE, value: toBase64(v.pubKey) }, power: String(v.votingPower), name: `val${i}` })),
    app_hash: '',
    app_state: { note: 'fake <chain> & "state"' },
  };

  return {
    chainId,
    latest: o.heights,
    vals,
    genesis,
    blockId: (h) => ids[at(h)]!,
    status: (latest = o.heights) => ({
      node_info: { network: chainId, moniker: 'fake', version: '0.38.26' },
      sync_info: {
        latest_block_hash: hex(ids[latest - 1]!.hash),
        latest_block_height: String(latest),
        earliest_block_height: '1',
        catching_up: false,
      },
      validator_info: {},
    }),
    block: (h) => {
      const i = at(h);
      return {
        block_id: blockIdJson(ids[i]!),
        block: {
          header: headerJson(headers[i]!),
          data: { txs: txs[i]!.map(toBase64) },
          evidence: { evidence: [] },
          last_commit: i === 0 ? { height: '0', round: 0, block_id: { hash: '', parts: { total: 0, hash: '' } }, signatures: [] } : commitJson(commits[i - 1]!),
        },
      };
    },
    commit: (h, latest = o.heights) => {
      const i = at(h);
      if (h > latest) throw new Error(`height ${h} must be less than or equal to the current blockchain height ${latest}`);
      return { signed_header: { header: headerJson(headers[i]!), commit: commitJson(commits[i]!) }, canonical: h < latest };
    },
    validators: (h, page = 1, perPage = 100) => {
      at(h);
      const all = valsAt(h).validators;
      const list = all.slice((page - 1) * perPage, page * perPage);
      return { block_height: String(h), validators: list.map(validatorJson), count: String(list.length), total: String(all.length) };
    },
    blockResults: (h) => {
      const i = at(h);
      return {
        height: String(h),
        txs_results: results[i]!.map((r) => ({ code: r.code, data: null, log: r.log, info: '', gas_wanted: String(r.gasWanted), gas_used: String(r.gasUsed), events: [], codespace: '' })),
        finalize_block_events: [],
        validator_updates: null,
        consensus_param_updates: null,
        app_hash: toBase64(sha(`app ${h}${salt(h)}`).slice(0, 8)),
      };
    },
    blockchain: (min, max, latest = o.heights) => {
      const hi = Math.min(max || latest, latest);
      const lo = Math.max(min || 1, hi - 19, 1);
      const metas = [];
      for (let h = hi; h >= lo; h--) {
        const i = at(h);
        metas.push({ block_id: blockIdJson(ids[i]!), block_size: '1000', header: headerJson(headers[i]!), num_txs: String(txs[i]!.length) });
      }
      return { last_height: String(latest), block_metas: metas };
    },
  };
}
