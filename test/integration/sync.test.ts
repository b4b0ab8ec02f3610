// The sync against a live 4-validator CometBFT devnet (with a workload when the workload
// generator runs), through all four endpoints and byzantine proxies in front of them.
// Run with `npx vitest run -c vitest.integration.config.ts test/integration/sync.test.ts`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { findFreeBasePort, startDevnet, type Devnet } from '../../network/devnet';
import { deriveKey } from '../../network/devnet/keys';
import { toBase64, toHex } from '../../shared/cometbft/bytes';
import { decodeCommitResponse, decodeHeader } from '../../shared/cometbft/decode';
import { headerHash } from '../../shared/cometbft/hash';
import { commitSigSignBytes } from '../../shared/cometbft/sign-bytes';
import { openStore, type ReplicaStore } from '../../electron/services/store';
import { FORKS_FILE, RpcClient, SyncError, sha256Hex, syncReplica, type SyncOptions } from '../../electron/services/sync';
import { startByzantineProxy, type ByzantineProxy, type ByzantineRule } from '../support/byzantine-proxy';

const VALIDATORS = 4;
let home: string;
let net: Devnet;
let rpcs: string[];
/** First height with transactions, when the workload ran. */
let txHeight: number | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

async function store(): Promise<ReplicaStore> {
  const s = await openStore(mkdtempSync(join(home, 'replica-')));
  cleanups.push(() => s.close().catch(() => undefined));
  return s;
}

async function proxy(upstream: string, rules: ByzantineRule[]): Promise<ByzantineProxy> {
  const p = await startByzantineProxy(upstream, rules);
  cleanups.push(() => p.close());
  return p;
}

function sync(s: ReplicaStore, endpoints: string[], o: Partial<SyncOptions> = {}) {
  return syncReplica({ store: s, endpoints, rpc: { timeoutMs: 5000 }, ...o });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'custos-sync-it-'));
  const basePort = await findFreeBasePort(VALIDATORS + 1);
  net = await startDevnet({ home, validators: VALIDATORS, basePort, emptyBlocksInterval: '0s', timeoutCommit: '100ms', log: (l) => console.log(`[devnet] ${l}`) });
  rpcs = net.nodes.map((n) => n.rpc);
  try {
    const { runWorkload } = await import('../../network/workload');
    await runWorkload({ rpc: rpcs, devnetSeed: net.seed, txs: 150, offchainDir: join(home, 'offchain') });
  } catch (e) {
    console.warn(`[sync-it] NOTE: no workload (${(e as Error).message}); blocks carry no transactions, the tx-byte case is skipped`);
  }
  await net.waitForHeight(45n, { timeoutMs: 180_000 });
  const c = new RpcClient(rpcs[0]!);
  for (let lo = 1; lo < 40 && txHeight === undefined; lo += 20) {
    const metas = ((await c.blockchain(lo, lo + 19)).value as { block_metas: { header: { height: string }; num_txs: string }[] }).block_metas;
    const withTxs = metas.filter((m) => m.num_txs !== '0').map((m) => Number(m.header.height)).sort((a, b) => a - b);
    txHeight = withTxs[0];
  }
});

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await net?.stop();
  if (home && !process.env.CUSTOS_KEEP_DEVNET) rmSync(home, { recursive: true, force: true });
});

describe('sync from a live devnet', () => {
  it('syncs through all four endpoints and a byzantine proxy, cross-checking every height, then resumes', async () => {
    const liar = await proxy(rpcs[0]!, [{ kind: 'validator-power', height: 3, index: 1 }]);
    const s = await store();
    const t = performance.now();
    const r = await sync(s, [liar.url, ...rpcs]);
    const ms = performance.now() - t;
    console.log(`[sync-it] ${r.heightsWritten} heights in ${Math.round(ms)} ms (${r.blocksPerSecond} blocks/s), endpoints ${JSON.stringify(r.endpoints.map((e) => [e.state, e.blocksServed, e.latencyMs]))}`);
    expect(r.stopped).toBe('done');
    expect(r.completeHeight).toBe(r.target);
    expect(r.target).toBeGreaterThanOrEqual(40);
    expect(r.crossChecked).toBe(r.heightsWritten);
    expect(r.forks).toEqual([]);
    expect(r.endpoints[0]).toMatchObject({ state: 'set-aside', reason: { kind: 'bad-data', height: 3, check: 'header.validators_hash' } });
    expect(r.endpoints.slice(1).every((e) => e.state === 'ok')).toBe(true);
    // the pin is the hash of what genesis_chunked serves
    expect(r.genesisSha256).toBe(sha256Hex((await new RpcClient(rpcs[2]!).genesisChunked()).bytes));
    // what is stored is what an honest node serves
    const c = new RpcClient(rpcs[3]!);
    for (const h of [1, 3, txHeight ?? 10, r.target]) {
      expect(JSON.parse(new TextDecoder().decode(await s.get('block', h)))).toEqual((await c.block(h)).value);
      expect(JSON.parse(new TextDecoder().decode(await s.get('validators', h)))).toEqual((await c.validators(h)).value);
    }

    // more blocks, then only the new part
    await net.waitForHeight(BigInt(r.target + 15), { timeoutMs: 120_000 });
    const again = await sync(s, rpcs);
    expect(again.completeHeight).toBeGreaterThanOrEqual(r.target + 13);
    expect(again.heightsWritten).toBe(again.completeHeight - r.target);
  });

  // witness: the proxy is not the first endpoint, so it vouches for heights instead of serving them.
  const cases: { name: string; rule: (h: number) => ByzantineRule; height: () => number | undefined; checks: string[]; witness?: boolean }[] = [
    { name: 'a header field', rule: (h) => ({ kind: 'header-field', height: h, field: 'app_hash' }), height: () => 7, checks: ['header.hash'] },
    { name: 'a signature byte', rule: (h) => ({ kind: 'flip-signature', height: h, index: 1 }), height: () => 8, checks: ['commit.signature'] },
    { name: 'a validator power', rule: (h) => ({ kind: 'validator-power', height: h, index: 2 }), height: () => 9, checks: ['header.validators_hash'] },
    // 4 equal validators: one signature fewer may still be > 2/3 (then only the canonical commit tells)
    { name: 'a missing signature', rule: (h) => ({ kind: 'drop-signature', height: h }), height: () => 10, checks: ['commit.canonical', 'commit.voting_power'] },
    { name: 'a transaction byte', rule: (h) => ({ kind: 'tx-byte', height: h, byte: 5 }), height: () => txHeight, checks: ['header.data_hash'] },
    { name: 'a header in /blockchain only (a lying witness)', rule: (h) => ({ kind: 'header-field', height: h, field: 'time', in: ['blockchain'] }), height: () => 6, checks: ['header.hash'], witness: true },
  ];
  for (const c of cases) {
    it(`detects ${c.name} at the right height and check, and completes from the honest endpoints`, async (ctx) => {
      const h = c.height();
      if (h === undefined) return ctx.skip();
      const s = await store();
      // Heights below h from honest nodes first, so the proxy (first endpoint) serves the chunk holding h.
      if (h > 1) await sync(s, rpcs.slice(1), { to: h - 1 });
      const liar = await proxy(rpcs[0]!, [c.rule(h)]);
      const eps = c.witness ? [rpcs[1]!, liar.url, rpcs[2]!] : [liar.url, rpcs[1]!, rpcs[2]!];
      const r = await sync(s, eps, { to: h + 25 });
      expect(liar.fired(c.rule(h).kind)).toBeGreaterThan(0);
      const bad = r.endpoints.find((e) => e.endpoint === liar.url)!;
      expect(bad.state).toBe('set-aside');
      expect(bad.reason).toMatchObject({ kind: 'bad-data', height: h });
      expect(c.checks).toContain(bad.reason!.check);
      expect(r).toMatchObject({ stopped: 'done', completeHeight: h + 25, forks: [] });
    });
  }

  it('stops below a fork re-signed by the validators, keeping both certified headers as evidence', async () => {
    const H = 6;
    const keys = new Map(Array.from({ length: VALIDATORS }, (_, i) => deriveKey(net.seed, 'validator', i)).map((k) => [k.address, k.seed]));
    const forge = (header: Record<string, unknown>): { header: Record<string, unknown>; hash: string } => {
      const forged = { ...header, app_hash: 'F'.repeat(String(header.app_hash).length || 16) };
      return { header: forged, hash: toHex(headerHash(decodeHeader(forged))) };
    };
    type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const rewrite = (method: string, params: Record<string, string>, result: unknown): unknown => {
      const r = result as J;
      if (method === 'block' && Number(params.height) === H) {
        const f = forge(r.block.header);
        return { ...r, block_id: { ...r.block_id, hash: f.hash }, block: { ...r.block, header: f.header } };
      }
      if (method === 'blockchain') {
        return { ...r, block_metas: r.block_metas.map((m: J) => {
          if (Number(m.header.height) !== H) return m;
          const f = forge(m.header);
          return { ...m, header: f.header, block_id: { ...m.block_id, hash: f.hash } };
        }) };
      }
      if (method === 'commit' && Number(params.height) === H) {
        const f = forge(r.signed_header.header);
        const commit = { ...r.signed_header.commit, block_id: { ...r.signed_header.commit.block_id, hash: f.hash } };
        const typed = decodeCommitResponse({ signed_header: { header: f.header, commit }, canonical: true }).commit;
        commit.signatures = commit.signatures.map((sig: J, i: number) => {
          if (sig.block_id_flag !== 2) return sig;
          const sk = keys.get(String(sig.validator_address))!;
          return { ...sig, signature: toBase64(ed25519.sign(commitSigSignBytes(net.chainId, typed, i), sk)) };
        });
        return { ...r, signed_header: { header: f.header, commit } };
      }
      return result;
    };
    const forker = await proxy(rpcs[1]!, [{ kind: 'custom', rewrite }]);
    const s = await store();
    const err = await sync(s, [rpcs[0]!, forker.url, rpcs[2]!, rpcs[3]!], { to: 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    const e = err as SyncError;
    expect(e.kind).toBe('fork');
    expect(e.result?.completeHeight).toBe(H - 1);
    expect(s.stats().completeHeight).toBe(H - 1);
    const ev = e.result!.forks[0]!;
    expect(ev).toMatchObject({ height: H, resolution: 'unresolved' });
    expect(ev.sides.map((x) => x.certified)).toEqual([true, true]);
    expect(ev.sides.find((x) => x.endpoints.includes(forker.url))).toBeDefined();
    const lines = readFileSync(join(s.dir, FORKS_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
  });

  it('does not hang on an endpoint that hangs', async () => {
    const hang = await proxy(rpcs[0]!, [{ kind: 'hang', match: { methods: ['block', 'blockchain', 'commit'] } }]);
    const s = await store();
    const t = performance.now();
    const r = await sync(s, [hang.url, rpcs[1]!, rpcs[2]!], { to: 30, rpc: { timeoutMs: 1500 } });
    expect(performance.now() - t).toBeLessThan(20_000);
    expect(r).toMatchObject({ stopped: 'done', completeHeight: 30 });
    expect(r.endpoints[0]).toMatchObject({ state: 'set-aside', reason: { kind: 'timeout' } });
  });
});
