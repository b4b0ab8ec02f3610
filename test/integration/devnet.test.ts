// A real 4-validator CometBFT devnet on loopback running the consent ledger: consensus under
// a workload of a few thousand transactions, agreement, losing a validator and catching up,
// a governance proposal that adds a fifth validator, and the chain's headers and commits
// verified with the CometBFT core of shared/cometbft. Run with `npm run test:integration`
// (builds the pinned CometBFT on first use). CUSTOS_KEEP_DEVNET=1 keeps the data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeBasePort, startDevnet } from '../../network/devnet';
import type { Devnet, DevnetNode } from '../../network/devnet';
import { ANOMALY_KINDS, LedgerClient, runWorkload, sha256Hex } from '../../network/workload';
import type { GroundTruth } from '../../network/workload';
import { buildDemoGenesis } from '../../shared/ledger/genesis';
import { decodeBlockResponse, decodeCommitResponse, decodeValidatorsPage } from '../../shared/cometbft/decode';
import { dataHash, headerHash, validatorSetHash } from '../../shared/cometbft/hash';
import { verifyCommit } from '../../shared/cometbft/commit';
import { headerMatchesBlockId, verifyLinked, type LinkedHeader } from '../../shared/cometbft/header-checks';
import { portableEd25519 } from '../../shared/cometbft/ed25519';
import { describeFailure, type Verdict } from '../../shared/cometbft/verdict';
import type { ValidatorSet } from '../../shared/cometbft/types';

interface BlockResult {
  block_id: { hash: string };
  block: { header: { height: string; app_hash: string; proposer_address: string } };
}
interface CommitResult {
  signed_header: { commit: { height: string; signatures: { block_id_flag: number; validator_address: string }[] } };
}
interface TxEvent {
  type: string;
  attributes: { key: string; value: string }[];
}

const VALIDATORS = 4;
const WORKLOAD_TXS = 3000;
let home: string;
let net: Devnet;
let truth: GroundTruth;
let fifth: DevnetNode;
let validatorSetChangedAt = 0n;

/** Block hash and app hash at height h, from every given node. */
async function headersAt(h: bigint, nodes: number[]) {
  await net.waitForHeight(h, { nodes, timeoutMs: 60_000 });
  return Promise.all(
    nodes.map(async (i) => {
      const b = await net.rpc(i).block<BlockResult>(h);
      return { node: i, hash: b.block_id.hash, appHash: b.block.header.app_hash };
    }),
  );
}

function expectAgreement(rows: { hash: string; appHash: string }[]) {
  expect(new Set(rows.map((r) => r.hash)).size).toBe(1);
  expect(new Set(rows.map((r) => r.appHash)).size).toBe(1);
}

function expectOk(v: Verdict) {
  if (!v.ok) expect.fail(describeFailure(v));
}

const hexToBase64 = (h: string) => Buffer.from(h, 'hex').toString('base64');
const base64ToHex = (b: string) => Buffer.from(b, 'base64').toString('hex');

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'custos-devnet-it-'));
  const basePort = await findFreeBasePort(VALIDATORS + 1);
  // Empty blocks every round (not every second) keep the governance voting period short.
  net = await startDevnet({ home, validators: VALIDATORS, basePort, emptyBlocksInterval: '0s', log: (l) => console.log(`[devnet] ${l}`) });
});

afterAll(async () => {
  await net?.stop();
  if (home && !process.env.CUSTOS_KEEP_DEVNET) rmSync(home, { recursive: true, force: true });
  else if (home) console.log(`devnet data kept in ${home}`);
});

describe('4-validator devnet', () => {
  const all = [0, 1, 2, 3];

  it('all four nodes advance and agree on block hash and app hash', async () => {
    const h0 = await net.rpc(0).height();
    const target = h0 + 3n;
    expectAgreement(await headersAt(target, all));
    const v = await net.rpc(0).validators<{ total: string; validators: { address: string }[] }>(target);
    expect(Number(v.total)).toBe(VALIDATORS);
    expect(v.validators.map((x) => x.address).sort()).toEqual(net.nodes.slice(0, 4).map((n) => n.validatorAddress).sort());
  });

  it(`includes a workload of ${WORKLOAD_TXS} transactions with every anomaly, and all nodes agree afterwards`, async () => {
    const t0 = Date.now();
    const r = await runWorkload({
      rpc: net.nodes.map((n) => n.rpc),
      chainId: net.chainId,
      devnetSeed: net.seed,
      txs: WORKLOAD_TXS,
      seed: 'it-day',
      anomalies: [...ANOMALY_KINDS],
      perKind: 2,
      offchainDir: join(home, 'offchain'),
      truthFile: join(home, 'truth.json'),
      log: (l) => console.log(`[workload] ${l}`),
    });
    truth = r.truth;
    const c = truth.counts;
    console.log(`[workload] ${c.ok} ok in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${truth.timing.includedPerSecond.toFixed(0)} tx/s, heights ${truth.heights.first}-${truth.heights.last}`);
    expect(truth.unexpected).toEqual([]);
    expect(c.ok).toBeGreaterThanOrEqual(WORKLOAD_TXS - 10);
    expect(c.ok).toBe(c.planned);
    expect(existsSync(r.truthFile)).toBe(true);
    for (const kind of ['patient.register', 'record.anchor', 'record.amend', 'consent.grant', 'consent.revoke', 'access.record', 'breakglass.review', 'gov.propose', 'gov.vote', 'member.add', 'member.end', 'proxy.grant']) {
      expect(c.byKind[kind], kind).toBeGreaterThan(0);
    }
    const h = (await net.rpc(0).height()) + 1n;
    expectAgreement(await headersAt(h, all));
  });

  it('the ground truth lists every requested anomaly with a transaction that is on chain', async () => {
    expect(truth).toBeDefined();
    const kinds = new Set(truth.anomalies.map((a) => a.kind));
    for (const k of ANOMALY_KINDS) expect(kinds.has(k), k).toBe(true);
    const rpc = net.rpc(1);
    for (const a of truth.anomalies) {
      for (const id of a.txIds ?? [a.txId]) {
        const tx = await rpc.tx(id);
        expect(tx, `${a.kind} ${id}`).toBeDefined();
        expect(tx!.tx_result.code).toBe(0);
        if (id === a.txId) expect(Number(tx!.height)).toBe(a.height);
        if (a.expected) {
          // The ledger's own decision, from the transaction's access_record event.
          const ev = (tx!.tx_result.events as TxEvent[]).find((e) => e.type === 'access_record');
          const attr = (k: string) => ev?.attributes.find((x) => x.key === k)?.value;
          expect(attr('decision'), `${a.kind} ${id}`).toBe(a.expected.decision);
          if (a.expected.reason) expect(attr('reason'), `${a.kind} ${id}`).toBe(a.expected.reason);
        }
      }
      if (a.kind === 'offchain_altered') {
        const client = await LedgerClient.connect({ rpc: [net.nodes[1]!.rpc], chainId: net.chainId });
        const rec = await client.query<{ versions: { sha256: string; uri: string }[] }>(`/record/${a.txId}`);
        await client.close();
        expect(rec!.versions[0]!.sha256).toBe(a.anchoredSha256);
        expect(rec!.versions[0]!.uri).toBe(a.uri);
        const now = sha256Hex(readFileSync(a.path!));
        expect(now).toBe(a.alteredSha256);
        expect(now).not.toBe(a.anchoredSha256);
      }
    }
    const spike = truth.anomalies.find((a) => a.kind === 'volume_spike')!;
    expect(spike.txIds!.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps going with three validators when one stops', async () => {
    await net.stopNode(3);
    const h0 = await net.rpc(0).height();
    const rows = await headersAt(h0 + 5n, [0, 1, 2]);
    expectAgreement(rows);
    // The commit for a height reached while node3 was down carries no signature of node3's key.
    const c = await net.rpc(0).commit<CommitResult>(h0 + 4n);
    const signed = c.signed_header.commit.signatures.filter((s) => s.block_id_flag === 2).map((s) => s.validator_address);
    expect(signed.length).toBeGreaterThanOrEqual(3);
    expect(signed).not.toContain(net.nodes[3]!.validatorAddress);
  });

  it('the restarted validator catches up and agrees', async () => {
    await net.startNode(3);
    const h = (await net.rpc(0).height()) + 2n;
    expectAgreement(await headersAt(h, all));
    const st = await net.rpc(3).status();
    expect(BigInt(st.sync_info.latest_block_height)).toBeGreaterThanOrEqual(h);
    // node3 signs again once it is back in consensus.
    const later = (await net.rpc(0).height()) + 3n;
    await net.waitForHeight(later + 1n, { timeoutMs: 60_000 });
    let seen = false;
    for (let x = later - 2n; x <= later && !seen; x++) {
      const c = await net.rpc(0).commit<CommitResult>(x);
      seen = c.signed_header.commit.signatures.some((s) => s.block_id_flag === 2 && s.validator_address === net.nodes[3]!.validatorAddress);
    }
    expect(seen).toBe(true);
  });

  it('a governance proposal adds a fifth validator whose signature appears in later commits', async () => {
    fifth = await net.addFullNode();
    const board = buildDemoGenesis(net.seed).board;
    const client = await LedgerClient.connect({ rpc: net.nodes.slice(0, 4).map((n) => n.rpc), chainId: net.chainId });
    try {
      const pubKey = base64ToHex(fifth.validatorPubKey);
      const prop = await client.submitOne({
        signer: board[0]!,
        kind: 'gov.propose',
        body: {
          title: `Admit ${fifth.name} as a validator`,
          summary: 'Adds a fifth consensus node, operated by the regulator, with the same voting power as the others.',
          content: { type: 'validator_update', updates: [{ pub_key: pubKey, power: 10 }] },
        },
      });
      const { proposal_id: id, voting_end_height: end } = prop.data as { proposal_id: number; voting_end_height: number };
      const votes = await client.submit(board.map((b) => ({ signer: b, kind: 'gov.vote' as const, body: { proposal_id: id, option: 'yes' as const } })));
      expect(votes.map((v) => v.status)).toEqual(board.map(() => 'ok'));
      // Executed in FinalizeBlock at the end height; CometBFT applies the update at end + 2.
      await net.waitForHeight(BigInt(end) + 1n, { nodes: [0], timeoutMs: 120_000 });
      const tally = await client.query<{ status: string; final: boolean }>(`/tally/${id}`);
      expect(tally).toMatchObject({ status: 'passed', final: true });
      const active = BigInt(end) + 2n;
      await net.waitForHeight(active + 4n, { nodes: [0, 1, 2, 3, 4], timeoutMs: 60_000 });
      const before = await net.rpc(0).validators<{ total: string }>(active - 1n);
      const after = await net.rpc(0).validators<{ total: string; validators: { address: string; pub_key: { value: string } }[] }>(active);
      expect(Number(before.total)).toBe(4);
      expect(Number(after.total)).toBe(5);
      expect(after.validators.map((v) => v.address)).toContain(fifth.validatorAddress);
      expect(after.validators.find((v) => v.address === fifth.validatorAddress)!.pub_key.value).toBe(hexToBase64(pubKey));
      validatorSetChangedAt = active;
      let signedBy5th = 0;
      for (let x = active; x < active + 4n; x++) {
        const c = await net.rpc(0).commit<CommitResult>(x);
        if (c.signed_header.commit.signatures.some((s) => s.block_id_flag === 2 && s.validator_address === fifth.validatorAddress)) signedBy5th++;
      }
      expect(signedBy5th).toBeGreaterThanOrEqual(2);
      expectAgreement(await headersAt(active + 4n, [0, 1, 2, 3, 4]));
    } finally {
      await client.close();
    }
  });

  it('every header, commit and validator set verifies with the CometBFT core, across the validator-set change', async () => {
    expect(validatorSetChangedAt).toBeGreaterThan(0n);
    const rpc = net.rpc(2);
    const top = (await rpc.height()) - 1n;
    const heights = Array.from({ length: Number(top) }, (_, i) => BigInt(i + 1));
    const valsAt = new Map<bigint, ValidatorSet>();
    const fetch = async (h: bigint) => {
      const [b, c, v] = await Promise.all([rpc.block(h), rpc.commit(h), rpc.validators(h)]);
      return { h, block: decodeBlockResponse(b), commit: decodeCommitResponse(c), vals: decodeValidatorsPage(v) };
    };
    let prev: LinkedHeader | undefined;
    let prevHeader: ReturnType<typeof decodeBlockResponse>['block']['header'] | undefined;
    let txs = 0;
    for (let i = 0; i < heights.length; i += 16) {
      const batch = await Promise.all(heights.slice(i, i + 16).map(fetch));
      for (const { h, block, commit, vals } of batch) {
        const header = block.block.header;
        expect(vals.total).toBe(vals.validatorSet.validators.length);
        valsAt.set(h, vals.validatorSet);
        // headerHash == block_id.hash (types/block.go Header.Hash), and /commit signs that header.
        expectOk(headerMatchesBlockId(header, block.blockId));
        expect(Buffer.from(headerHash(commit.header))).toEqual(Buffer.from(block.blockId.hash));
        // DataHash over the block's transactions; ValidatorsHash over /validators at h.
        expect(Buffer.from(dataHash(block.block.txs))).toEqual(Buffer.from(header.dataHash));
        expect(Buffer.from(validatorSetHash(vals.validatorSet))).toEqual(Buffer.from(header.validatorsHash));
        // > 2/3 of the validators at h signed this block (types/validation.go VerifyCommit).
        expectOk(verifyCommit(net.chainId, vals.validatorSet, block.blockId, h, commit.commit, portableEd25519));
        if (prev && prevHeader) {
          expectOk(verifyLinked(prev, header));
          // NextValidatorsHash of h-1 reproduces from the set at h.
          expect(Buffer.from(validatorSetHash(vals.validatorSet))).toEqual(Buffer.from(prevHeader.nextValidatorsHash));
        }
        prev = { header, blockId: block.blockId };
        prevHeader = header;
        txs += block.block.txs.length;
      }
    }
    expect(txs).toBeGreaterThanOrEqual(truth.counts.ok);
    expect(valsAt.get(validatorSetChangedAt - 1n)!.validators.length).toBe(4);
    expect(valsAt.get(validatorSetChangedAt)!.validators.length).toBe(5);
    console.log(`[verify] heights 1-${top}: ${txs} txs, header hashes, data hashes, commits, links and validator hashes all verify`);
  });
});
