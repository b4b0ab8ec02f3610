// A small but real consent-ledger chain as a CometBFT 0.38 full node would serve it: a genesis
// document, and per height the /block, /commit, /validators and /block_results results (bare
// JSON), with real signed ledger transactions replayed through LedgerMachine, real Ed25519
// commits by known keys, BFT median times, and a validator added by governance. Hashing comes
// from shared/cometbft (tested against CometBFT vectors); the validator-set bookkeeping here is
// written independently of shared/verify so the two check each other.
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64, toHex, utf8 } from '../shared/cometbft/bytes';
import { decodeBlockResponse, decodeCommitResponse } from '../shared/cometbft/decode-block';
import { consensusParamsHash, dataHash, evidenceHash, headerHash, lastCommitHash, lastResultsHash, sortValidators, validatorAddress, validatorSetHash } from '../shared/cometbft/hash';
import { commitSigSignBytes } from '../shared/cometbft/sign-bytes';
import { formatTimestamp } from '../shared/cometbft/timestamp';
import { BlockIdFlag, type Block, type BlockId, type Commit, type ConsensusParams, type ExecTxResult, type Header, type Timestamp, type Validator } from '../shared/cometbft/types';
import { buildTx } from '../shared/ledger/client/build';
import { keyFromSeed } from '../shared/ledger/client/keys';
import { buildDemoGenesis, type DemoGenesis } from '../shared/ledger/genesis';
import { LedgerMachine } from '../shared/ledger/machine';
import type { TxBodies, TxKind } from '../shared/ledger/tx/types';
import { hex, nobleSigner, testValidator } from './cometbft-chain';
import { blockResultJson, blockResultsJson, commitResultJson, consensusParamsJson, PUBKEY_TYPE, validatorsResultJson } from './rpc-json';

type Json = Record<string, unknown>;

export interface ReplicaHeight {
  height: number;
  block: Json;
  commit: Json;
  validators: Json;
  block_results: Json;
}

export interface ReplicaChain {
  chainId: string;
  genesis: Json;
  heights: ReplicaHeight[];
  /** Secret keys by lower-case hex address, for re-signing after a deliberate change. */
  keys: Map<string, Uint8Array>;
  txCount: number;
  validatorChanges: number;
}

export interface Workload {
  /** Transactions for block `height` (may use `w` for signing and ids). */
  txs(height: number, w: WorkloadContext): Uint8Array[];
}

export interface WorkloadContext {
  g: DemoGenesis;
  chainId: string;
  tx<K extends TxKind>(kind: K, body: TxBodies[K], seed: Uint8Array): Uint8Array;
  /** Public key (lower-case hex) of a test validator by name, e.g. "v4". */
  validatorKey(name: string): string;
}

export interface BuildOptions {
  chainId?: string;
  heights: number;
  /** Voting powers of the genesis validators v0, v1, … (default four of 10). */
  powers?: bigint[];
  workload?: Workload;
  /** Heights at which the last validator of the set does not sign (/commit and the next LastCommit). */
  absentAt?: readonly number[];
  seed?: string;
}

export const GENESIS_TIME: Timestamp = { seconds: 1_700_000_000n, nanos: 123_456_789 };

export const DEFAULT_PARAMS: ConsensusParams = {
  block: { maxBytes: 22020096n, maxGas: -1n },
  evidence: { maxAgeNumBlocks: 100000n, maxAgeDurationNs: 172800000000000n, maxBytes: 1048576n },
  validator: { pubKeyTypes: ['ed25519'] },
  version: { app: 0n },
  abci: { voteExtensionsEnableHeight: 0n },
};

const ZERO_ID: BlockId = { hash: new Uint8Array(0), parts: { total: 0, hash: new Uint8Array(0) } };
const EMPTY_COMMIT: Commit = { height: 0n, round: 0, blockId: ZERO_ID, signatures: [] };

const addNs = (t: Timestamp, ns: bigint): Timestamp => {
  const total = t.seconds * 1_000_000_000n + BigInt(t.nanos) + ns;
  return { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) };
};

/** WeightedMedian, written plainly (types/time/time.go). */
function median(commit: Commit, vals: readonly Validator[]): Timestamp {
  const ts = commit.signatures.flatMap((s) => {
    if (s.blockIdFlag === BlockIdFlag.Absent) return [];
    const v = vals.find((x) => hex(x.address) === hex(s.validatorAddress))!;
    return [{ t: s.timestamp, w: v.votingPower, ns: s.timestamp.seconds * 1_000_000_000n + BigInt(s.timestamp.nanos) }];
  }).sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  let m = ts.reduce((a, x) => a + x.w, 0n) / 2n;
  for (const x of ts) {
    if (m <= x.w) return x.t;
    m -= x.w;
  }
  throw new Error('empty commit');
}

/** A set after updates: a map by key, power 0 removes, canonical order. */
function updated(vals: readonly Validator[], ups: readonly { pubKey: Uint8Array; power: bigint }[]): Validator[] {
  const m = new Map(vals.map((v) => [hex(v.pubKey), v]));
  for (const u of ups) {
    if (u.power === 0n) m.delete(hex(u.pubKey));
    else m.set(hex(u.pubKey), { address: validatorAddress(u.pubKey), pubKey: u.pubKey, pubKeyType: 'ed25519', votingPower: u.power, proposerPriority: 0n });
  }
  return sortValidators({ validators: [...m.values()] }).validators;
}

export function signCommitFor(chainId: string, header: Header, blockId: BlockId, vals: readonly Validator[], keys: Map<string, Uint8Array>, absentLast = false): Commit {
  const commit: Commit = {
    height: header.height, round: 0, blockId,
    signatures: vals.map((v, i) => (absentLast && i === vals.length - 1
      ? { blockIdFlag: BlockIdFlag.Absent, validatorAddress: new Uint8Array(0), timestamp: { seconds: -62135596800n, nanos: 0 }, signature: new Uint8Array(0) }
      : { blockIdFlag: BlockIdFlag.Commit, validatorAddress: v.address, timestamp: addNs(header.time, 1_000_000_000n + BigInt(i) * 7_000_000n), signature: new Uint8Array(0) })),
  };
  commit.signatures.forEach((s, i) => {
    if (s.blockIdFlag === BlockIdFlag.Absent) return;
    s.signature = nobleSigner(commitSigSignBytes(chainId, commit, i), keys.get(hex(s.validatorAddress))!);
  });
  return commit;
}

/** Patients, records, consents, accesses, a bad signature, and a governance vote adding validator v4. */
export const demoWorkload: Workload = {
  txs(h, w) {
    const M = (label: string) => w.g.members.find((m) => m.label === label)!.seed;
    const clin = M('st-mary-hospital/clinician-1'), nurse = M('st-mary-hospital/nurse-1');
    const patient = (i: number) => keyFromSeed(w.g.patientSeed(i)).pubkey;
    const sha = toHex(sha256(utf8(`record ${h}`))).toLowerCase();
    const txs: Uint8Array[] = [];
    switch (h) {
      case 1: break;
      case 2:
        for (let i = 0; i < 3; i++) txs.push(w.tx('patient.register', { patient: patient(i) }, clin));
        break;
      case 3: {
        txs.push(w.tx('gov.propose', {
          title: 'Admit validator v4', summary: 'A fifth consortium validator',
          content: { type: 'validator_update', updates: [{ pub_key: w.validatorKey('v4'), power: 10 }] },
        }, w.g.board[0]!.seed));
        const bad = w.tx('record.anchor', { patient: patient(0), resource_type: 'Observation', uri: 'u:bad', sha256: sha }, nurse);
        const s = new TextDecoder().decode(bad);
        const i = s.indexOf('"sig":"') + 7;
        txs.push(utf8(s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1))); // a signature that does not verify
        break;
      }
      case 4:
        for (const b of w.g.board.slice(0, 3)) txs.push(w.tx('gov.vote', { proposal_id: 1, option: 'yes' }, b.seed));
        break;
      default:
        txs.push(w.tx('record.anchor', { patient: patient(h % 3), resource_type: 'Observation', uri: `u:${h}`, sha256: sha }, nurse));
        txs.push(w.tx('consent.grant', {
          patient: patient(h % 3), grantee: { kind: 'org', org: 'st-mary-hospital' }, scope: { kind: 'all' }, purposes: ['TREAT'],
          period: { start: 1_700_000_000, end: 1_700_000_000 + 86400 },
        }, w.g.patientSeed(h % 3)));
    }
    return txs;
  },
};

export function buildReplicaChain(opts: BuildOptions): ReplicaChain {
  const chainId = opts.chainId ?? 'custos-replica-test';
  const powers = opts.powers ?? [10n, 10n, 10n, 10n];
  const g = buildDemoGenesis(opts.seed ?? 'replica-seed', { policy: { voting_period_blocks: 2 } });
  const keys = new Map<string, Uint8Array>();
  const named = (name: string) => {
    const v = testValidator(name, 0n);
    keys.set(hex(v.address), v.secretKey);
    return v;
  };
  const genesisVals = sortValidators({ validators: powers.map((p, i) => ({ ...named(`v${i}`), votingPower: p })).map(({ secretKey: _s, ...v }) => v) }).validators;
  for (let i = powers.length; i < powers.length + 4; i++) named(`v${i}`);

  const genesis: Json = {
    genesis_time: formatTimestamp(GENESIS_TIME), chain_id: chainId, initial_height: '1', consensus_params: consensusParamsJson(DEFAULT_PARAMS),
    validators: genesisVals.map((v, i) => ({ address: toHex(v.address), pub_key: { type: PUBKEY_TYPE, value: toBase64(v.pubKey) }, power: String(v.votingPower), name: `v${i}` })),
    app_hash: '', app_state: JSON.parse(JSON.stringify(g.appState)),
  };

  const init = LedgerMachine.fromGenesis(chainId, genesis['app_state'], 1n, genesisVals.map((v) => ({ pubKeyType: 'ed25519', pubKey: v.pubKey, power: v.votingPower })));
  const machine = init.machine;
  const nonces = new Map<string, number>();
  const w: WorkloadContext = {
    g, chainId,
    tx(kind, body, seed) {
      const pk = keyFromSeed(seed).pubkey;
      const n = (nonces.get(pk) ?? 0) + 1;
      nonces.set(pk, n);
      return buildTx(kind, body, seed, n, chainId);
    },
    validatorKey: (name) => toHex(testValidator(name, 0n).pubKey).toLowerCase(),
  };
  const workload = opts.workload ?? demoWorkload;

  let vals = genesisVals, next = genesisVals, lastVals: Validator[] = [];
  let lastId = ZERO_ID, lastCommit = EMPTY_COMMIT, time = GENESIS_TIME;
  let appHash = init.appHash, resultsHash = lastResultsHash([]);
  const heights: ReplicaHeight[] = [];
  let txCount = 0, validatorChanges = 0;
  for (let h = 1; h <= opts.heights; h++) {
    const H = BigInt(h);
    const txs = workload.txs(h, w);
    txCount += txs.length;
    const header: Header = {
      version: { block: 11n, app: 1n }, chainId, height: H, time, lastBlockId: lastId,
      lastCommitHash: lastCommitHash(lastCommit), dataHash: dataHash(txs),
      validatorsHash: validatorSetHash({ validators: vals }), nextValidatorsHash: validatorSetHash({ validators: next }),
      consensusHash: consensusParamsHash(DEFAULT_PARAMS), appHash, lastResultsHash: resultsHash, evidenceHash: evidenceHash([]),
      proposerAddress: vals[h % vals.length]!.address,
    };
    const blockId: BlockId = { hash: headerHash(header), parts: { total: 1, hash: sha256(utf8(`parts ${h}`)) } };
    const out = machine.finalizeBlock({ height: H, time, txs, proposerAddress: header.proposerAddress });
    machine.commit();
    const commit = signCommitFor(chainId, header, blockId, vals, keys, opts.absentAt?.includes(h));
    heights.push({
      height: h,
      block: blockResultJson(blockId, header, txs, lastCommit),
      commit: commitResultJson(header, commit),
      validators: validatorsResultJson(H, vals),
      block_results: blockResultsJson(H, out.txResults, out.validatorUpdates, out.appHash),
    });
    validatorChanges += out.validatorUpdates.length;
    const nn = updated(next, out.validatorUpdates);
    lastVals = vals;
    vals = next;
    next = nn;
    lastId = blockId;
    lastCommit = commit;
    time = median(commit, lastVals);
    appHash = out.appHash;
    resultsHash = lastResultsHash(out.txResults as unknown as ExecTxResult[]);
  }
  return { chainId, genesis, heights, keys, txCount, validatorChanges };
}

/** Deep copy of a chain (payloads are plain JSON). */
export function cloneChain(c: ReplicaChain): ReplicaChain {
  return { ...c, genesis: structuredClone(c.genesis), heights: structuredClone(c.heights) };
}

/**
 * Changes /block(h)'s and /commit(h)'s header with `mutate`, re-hashes it into both BlockIDs
 * and re-signs /commit(h) with the validators' keys: a header that a signing majority really
 * committed (a byzantine majority), so only the state rules can catch it.
 */
export function resignHeader(c: ReplicaChain, height: number, mutate: (h: Header, b: Block) => void): void {
  const rec = c.heights[height - 1]!;
  const br = decodeBlockResponse(rec.block);
  const sh = decodeCommitResponse(rec.commit);
  mutate(br.block.header, br.block);
  const blockId: BlockId = { ...br.blockId, hash: headerHash(br.block.header) };
  const vals = sh.commit.signatures.map((s) => s.validatorAddress);
  const commit: Commit = { ...sh.commit, blockId, signatures: sh.commit.signatures.map((s) => ({ ...s })) };
  commit.signatures.forEach((s, i) => {
    if (s.blockIdFlag === BlockIdFlag.Absent) return;
    s.signature = nobleSigner(commitSigSignBytes(c.chainId, commit, i), c.keys.get(hex(vals[i]!))!);
  });
  rec.block = blockResultJson(blockId, br.block.header, br.block.txs, br.block.lastCommit!);
  rec.commit = commitResultJson(br.block.header, commit);
}
