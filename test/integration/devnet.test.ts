// A real 4-validator CometBFT devnet on loopback: consensus, agreement, losing a validator,
// catching up. Run with `npm run test:integration` (builds the pinned CometBFT on first use).
//
// Hooks for later issues are the `it.todo`s below: the workload (a few thousand
// transactions, agreement afterwards) and governance (promote net.addFullNode() to
// validator and see its signature in later commits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreeBasePort, startDevnet } from '../../network/devnet';
import type { Devnet } from '../../network/devnet';

interface BlockResult {
  block_id: { hash: string };
  block: { header: { height: string; app_hash: string; proposer_address: string } };
}
interface CommitResult {
  signed_header: { commit: { height: string; signatures: { block_id_flag: number; validator_address: string }[] } };
}

const VALIDATORS = 4;
let home: string;
let net: Devnet;

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

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'custos-devnet-it-'));
  const basePort = await findFreeBasePort(VALIDATORS + 1);
  net = await startDevnet({ home, validators: VALIDATORS, basePort, log: (l) => console.log(`[devnet] ${l}`) });
});

afterAll(async () => {
  await net?.stop();
  if (home && !process.env.CUSTOS_KEEP_DEVNET) rmSync(home, { recursive: true, force: true });
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

  // HOOK(workload): run `npm run workload`'s generator against net.nodes.map(n => n.rpc)
  // (a few thousand txs), then expectAgreement(await headersAt(latest, all)).
  it.todo('workload: a few thousand transactions are included and all nodes agree afterwards');

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

  // HOOK(governance): const extra = await net.addFullNode(); submit a proposal adding
  // extra.validatorPubKey with power > 0, vote it through, wait for the execution height + 2,
  // then see extra.validatorAddress in /validators and its signature in later commits.
  it.todo('governance: a proposal adds a fifth validator whose signature appears in later commits');
});
