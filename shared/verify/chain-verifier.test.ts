import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../cometbft/bytes';
import { decodeGenesis } from '../cometbft/decode';
import { lastCommitHash } from '../cometbft/hash';
import { BlockIdFlag } from '../cometbft/types';
import { decodeBlockResults } from '../cometbft/decode-state';
import { describeFailure, type CheckName, type Failure } from '../cometbft/verdict';
import { isValidKey } from '../ledger/rules/context';
import { parseCanonical, type Json as LedgerJson } from '../ledger/encoding/canonical';
import { CommittedStateError, MapState } from '../ledger/state/committed';
import { buildReplicaChain, cloneChain, resignHeader, type ReplicaChain } from '../../test/replica-chain';
import {
  ChainVerifier, decodeTagged, encodeTagged, resultsHash, sequentialBatchVerifier, SignatureResults, type PreparedHeight, type RawHeight, type VerifierState,
} from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const raw = (r: ReplicaChain['heights'][number]): RawHeight => ({ height: BigInt(r.height), block: r.block, commit: r.commit, validators: r.validators, results: r.block_results });

async function verifyAll(c: ReplicaChain, from?: { state: VerifierState; machine: Uint8Array }): Promise<{ v: ChainVerifier; failures: Failure[]; halted: boolean }> {
  const v = from ? ChainVerifier.restore(from.state, from.machine) : ChainVerifier.fromGenesis(decodeGenesis(c.genesis));
  if ('ok' in v) return { v: null as unknown as ChainVerifier, failures: [v], halted: true };
  const batch = sequentialBatchVerifier();
  const failures: Failure[] = [];
  for (const r of c.heights) {
    if (BigInt(r.height) < v.nextHeight) continue;
    const o = await v.verifyHeight(raw(r), batch);
    failures.push(...o.failures);
    if (o.halted) return { v, failures, halted: true };
  }
  return { v, failures, halted: false };
}

/** The tampering is caught at `height` by `check`, and nothing is reported before it. */
function expectCaught(failures: Failure[], height: number, check: CheckName, detail?: RegExp): Failure {
  const first = failures[0];
  expect(first, 'a failure').toBeDefined();
  expect(Number(first!.height), `first failure: ${first && describeFailure(first)}`).toBe(height);
  const hit = failures.find((f) => f.height === BigInt(height) && f.check === check && (!detail || detail.test(f.detail ?? '')));
  expect(hit, `${check} at ${height} among:\n${failures.slice(0, 8).map(describeFailure).join('\n')}`).toBeDefined();
  return hit!;
}

let chain: ReplicaChain;
beforeAll(() => {
  chain = buildReplicaChain({ heights: 14, absentAt: [5] });
});

describe('ChainVerifier on a real signed replica', () => {
  it('verifies every height with zero failures and counts what it checked', async () => {
    const { v, failures, halted } = await verifyAll(chain);
    expect(failures.map(describeFailure)).toEqual([]);
    expect(halted).toBe(false);
    const c = v.state.counters;
    expect(c.blocks).toBe(14);
    expect(c.txs).toBe(chain.txCount);
    expect(c.validatorChanges).toBe(1);
    // 4 signers per commit (3 where v3 was absent), /commit and block.last_commit; each decodable tx once.
    expect(c.commitSignatures).toBeGreaterThan(14 * 4);
    expect(c.txSignatures).toBe(chain.txCount);
    expect(c.signatures).toBe(c.commitSignatures + c.txSignatures);
    // v4 was added by governance (proposal at 3, voting ends at 5, signs from 7): it is in the set for the last heights.
    expect(chain.heights.map((h) => (h.block_results as Json).validator_updates !== null).indexOf(true)).toBe(4);
    expect((chain.heights[6]!.validators as Json).validators).toHaveLength(5);
    expect((chain.heights[5]!.validators as Json).validators).toHaveLength(4);
    expect(v.state.validators.validators).toHaveLength(5);
    expect(v.nextHeight).toBe(15n);
  });

  it('resumes from a serialized state and machine snapshot to the same end state', async () => {
    const head = cloneChain(chain);
    head.heights = head.heights.slice(0, 6);
    const first = await verifyAll(head);
    const snap = first.v.snapshot();
    const state = decodeTagged<VerifierState>(encodeTagged(snap.state));
    const resumed = await verifyAll(chain, { state, machine: snap.machine });
    expect(resumed.failures).toEqual([]);
    expect(resumed.v.state.counters).toEqual((await verifyAll(chain)).v.state.counters);
    expect(encodeTagged(resumed.v.state)).toBe(encodeTagged((await verifyAll(chain)).v.state));
  });

  it('resumes over a committed state the host kept, refused unless it hashes to the state\'s app hash', async () => {
    const head = cloneChain(chain);
    head.heights = head.heights.slice(0, 6);
    const { v } = await verifyAll(head);
    const entries = (parseCanonical(v.snapshot().machine) as { state: Record<string, LedgerJson> }).state;
    const kept = new MapState(new Map(Object.entries(entries)));
    const resumed = ChainVerifier.restore(v.state, kept);
    const batch = sequentialBatchVerifier();
    for (const r of chain.heights.slice(6)) expect((await resumed.verifyHeight(raw(r), batch)).failures).toEqual([]);
    expect(encodeTagged(resumed.state)).toBe(encodeTagged((await verifyAll(chain)).v.state));
    const altered = new MapState(new Map(Object.entries(entries)));
    altered.map.set('meta', { ...(altered.map.get('meta') as Record<string, LedgerJson>), height: 99 });
    expect(() => ChainVerifier.restore(v.state, altered)).toThrow(/does not match its recorded app hash/);
  });

  it('lets a failure of the host\'s committed state through instead of reporting it as the block\'s', async () => {
    const { v } = await verifyAll({ ...chain, heights: chain.heights.slice(0, 3) });
    const entries = (parseCanonical(v.snapshot().machine) as { state: Record<string, LedgerJson> }).state;
    const broken = new MapState(new Map(Object.entries(entries)));
    const failing = Object.assign(broken, { apply: () => { throw new CommittedStateError('disk full'); } });
    const resumed = ChainVerifier.restore(v.state, failing);
    await expect(resumed.verifyHeight(raw(chain.heights[3]!), sequentialBatchVerifier())).rejects.toThrow(CommittedStateError);
  });
});

describe('tampering is caught at the right height and check', () => {
  const cases: [string, (c: ReplicaChain) => void, number, CheckName, RegExp?][] = [
    ['a /block header field', (c) => { (c.heights[5]!.block as Json).block.header.proposer_address = (c.heights[4]!.block as Json).block.header.proposer_address; }, 6, 'header.hash'],
    ['a /commit signed-header field', (c) => { (c.heights[5]!.commit as Json).signed_header.header.chain_id = 'other-chain'; }, 6, 'header.hash', /commit/],
    ['a tx byte', (c) => {
      const txs = (c.heights[4]!.block as Json).block.data.txs as string[];
      const b = fromBase64(txs[0]!);
      b[b.length - 20] = b[b.length - 20]! ^ 1;
      txs[0] = toBase64(b);
    }, 5, 'header.data_hash'],
    ['a signature byte in /commit', (c) => {
      const s = (c.heights[6]!.commit as Json).signed_header.commit.signatures[1];
      const b = fromBase64(s.signature);
      b[10] = b[10]! ^ 0x40;
      s.signature = toBase64(b);
    }, 7, 'commit.signature'],
    ['a voting power in /validators', (c) => { (c.heights[5]!.validators as Json).validators[2].voting_power = '11'; }, 6, 'validators.set'],
    ['a validator missing from /validators', (c) => { (c.heights[5]!.validators as Json).validators.pop(); }, 6, 'validators.set'],
    ['a missing signature (entry removed)', (c) => { (c.heights[7]!.commit as Json).signed_header.commit.signatures.splice(2, 1); }, 8, 'commit.size'],
    ['signatures missing below 2/3', (c) => {
      const sigs = (c.heights[8]!.commit as Json).signed_header.commit.signatures as Json[];
      for (const s of sigs.slice(0, 2)) Object.assign(s, { block_id_flag: BlockIdFlag.Absent, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null });
    }, 9, 'commit.voting_power'],
    ['a /block_results code', (c) => { (c.heights[1]!.block_results as Json).txs_results[1].code = 7; }, 2, 'results.tx', /tx #1/],
    ['a /block_results validator update', (c) => { (c.heights[4]!.block_results as Json).validator_updates = null; }, 5, 'results.validator_updates'],
    ['an app hash signed by a byzantine majority', (c) => resignHeader(c, 6, (h) => { h.appHash = new Uint8Array(32).fill(7); }), 6, 'header.app_hash'],
    ['a last-results hash signed by a byzantine majority', (c) => resignHeader(c, 4, (h) => { h.lastResultsHash = new Uint8Array(32).fill(1); }), 4, 'header.last_results_hash'],
    ['a next-validators hash (validator update) signed by a byzantine majority', (c) => resignHeader(c, 6, (h) => { h.nextValidatorsHash = h.validatorsHash; }), 6, 'header.next_validators_hash'],
    ['a block time off the median, signed', (c) => resignHeader(c, 9, (h) => { h.time = { ...h.time, nanos: (h.time.nanos + 1) % 1e9 }; }), 9, 'header.time'],
    ['a last_commit with a bad signature, hashed and signed', (c) => resignHeader(c, 8, (h, b) => {
      const sig = b.lastCommit!.signatures[0]!.signature;
      sig[5] = sig[5]! ^ 1;
      h.lastCommitHash = lastCommitHash(b.lastCommit!);
    }), 8, 'commit.signature', /last_commit/],
    ['a proposer outside the set, signed', (c) => resignHeader(c, 3, (h) => { h.proposerAddress = new Uint8Array(20).fill(9); }), 3, 'header.proposer_address'],
    ['the genesis app_state', (c) => { (c.genesis as Json).app_state.policy.quorum_bps = 5100; }, 1, 'header.app_hash'],
    ['the genesis validator power', (c) => { (c.genesis as Json).validators[0].power = '11'; }, 1, 'header.validators_hash'],
  ];

  for (const [name, mutate, height, check, detail] of cases) {
    it(name, async () => {
      const c = cloneChain(chain);
      mutate(c);
      const { failures } = await verifyAll(c);
      expectCaught(failures, height, check, detail);
    });
  }

  it('/block_results and the next last-results hash changed together, signed: the hash is the replay\'s', async () => {
    const c = cloneChain(chain);
    (c.heights[1]!.block_results as Json).txs_results[1].code = 7;
    const node = decodeBlockResults(c.heights[1]!.block_results).txsResults;
    resignHeader(c, 3, (h) => { h.lastResultsHash = resultsHash(node); });
    const { failures } = await verifyAll(c);
    expectCaught(failures, 2, 'results.tx');
    expect(failures.some((f) => f.height === 3n && f.check === 'header.last_results_hash')).toBe(true);
  });

  it('an undecodable /block halts verification at its height', async () => {
    const c = cloneChain(chain);
    (c.heights[3]!.block as Json).block.data.txs = 'not an array';
    const { failures, halted } = await verifyAll(c);
    expect(halted).toBe(true);
    expectCaught(failures, 4, 'decode', /\/block/);
    expect(failures.every((f) => f.height === 4n)).toBe(true);
  });
});

describe('verdicts reached off the sequential path', () => {
  /** Prepares each height, lets `edit` change what the prepare step found, then applies it. */
  async function run(c: ReplicaChain, edit: (p: PreparedHeight) => void): Promise<Failure[]> {
    const v = ChainVerifier.fromGenesis(decodeGenesis(c.genesis));
    if ('ok' in v) return [v];
    const batch = sequentialBatchVerifier();
    const failures: Failure[] = [];
    for (const r of c.heights) {
      const p = v.prepare(raw(r));
      edit(p);
      const o = v.apply(p, new SignatureResults().addTasks(p.tasks, await batch.verifyBatch(p.tasks)));
      failures.push(...o.failures);
      if (o.halted) break;
    }
    return failures;
  }

  it('lists the keys the ledger rules check (patients at 2, the validator key proposed at 3), and uses their verdicts', async () => {
    const listed = new Map<number, string[]>();
    const ok = await run(chain, (p) => {
      if (p.keys.length) listed.set(Number(p.height), p.keys);
      p.keyVerdicts = p.keys.map((k) => [k, isValidKey(k)]);
    });
    expect(ok.map(describeFailure)).toEqual([]);
    expect(listed.get(2)).toHaveLength(3);
    expect(listed.get(3)).toHaveLength(1);
    // A verdict that a patient's key is invalid changes the replay: the node's results disagree.
    const bad = await run(chain, (p) => { if (p.height === 2n) p.keyVerdicts = [[p.keys[0]!, false]]; });
    expectCaught(bad, 2, 'results.tx', /tx #0/);
  });
});
