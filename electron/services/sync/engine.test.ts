// The sync engine against fake nodes serving a consistent chain, and byzantine proxies that lie.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startByzantineProxy, type ByzantineProxy, type ByzantineRule } from '../../../test/support/byzantine-proxy';
import { buildFakeChain, type FakeChain } from '../../../test/support/fake-chain';
import { chainHandler, startFakeNode, type FakeNode, type FakeNodeOptions } from '../../../test/support/fake-node';
import { openStore, readProfile, type ReplicaStore } from '../store';
import { FORKS_FILE, type ForkEvidence } from './fork-evidence';
import { sha256Hex } from './genesis';
import { SYNC_STATUS_FILE, syncReplica } from './engine';
import { SyncError, type SyncEvent, type SyncOptions, type SyncProgress } from './types';

const HEIGHTS = 41; // target = 40
const chain = buildFakeChain({ heights: HEIGHTS });
const dec = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function node(c: FakeChain = chain, o: FakeNodeOptions = {}, latest?: () => number): Promise<FakeNode> {
  const n = await startFakeNode(chainHandler(c, latest), o);
  cleanups.push(() => n.close());
  return n;
}

async function proxy(upstream: string, rules: ByzantineRule[]): Promise<ByzantineProxy> {
  const p = await startByzantineProxy(upstream, rules);
  cleanups.push(() => p.close());
  return p;
}

async function store(): Promise<ReplicaStore> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-sync-'));
  const s = await openStore(dir);
  cleanups.push(async () => {
    await s.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  return s;
}

async function sync(s: ReplicaStore, endpoints: string[], extra: Partial<SyncOptions> = {}) {
  const events: SyncEvent[] = [];
  const progress: SyncProgress[] = [];
  const result = await syncReplica({
    store: s, endpoints, chunkSize: 5, rpc: { timeoutMs: 5000 }, progressIntervalMs: 0,
    onEvent: (e) => events.push(e), onProgress: (p) => progress.push(p), ...extra,
  });
  return { result, events, progress };
}

/** Every stored payload equals what an honest node serves. */
async function expectHonestReplica(s: ReplicaStore, to: number): Promise<void> {
  expect(s.stats().completeHeight).toBe(to);
  for (const h of [1, 2, Math.floor(to / 2), to]) {
    expect(JSON.parse(dec(await s.get('block', h)))).toEqual(chain.block(h));
    expect(JSON.parse(dec(await s.get('commit', h)))).toEqual(chain.commit(h));
    expect(JSON.parse(dec(await s.get('validators', h)))).toEqual(chain.validators(h, 1, 100));
    expect(JSON.parse(dec(await s.get('block_results', h)))).toEqual(chain.blockResults(h));
  }
}

describe('sync from honest endpoints', () => {
  it('fills the store, cross-checks every height, pins the genesis, writes profile and status', async () => {
    const nodes = await Promise.all([node(), node(), node()]);
    const s = await store();
    const { result, events, progress } = await sync(s, nodes.map((n) => n.url));
    expect(result).toMatchObject({ stopped: 'done', completeHeight: HEIGHTS - 1, target: HEIGHTS - 1, heightsWritten: HEIGHTS - 1, crossChecked: HEIGHTS - 1, singleSource: 0, forks: [] });
    await expectHonestReplica(s, HEIGHTS - 1);
    // bytes as served (the fake node writes compact JSON)
    expect(dec(await s.get('block', 7))).toBe(JSON.stringify(chain.block(7)));
    const sha = sha256Hex(new TextEncoder().encode(JSON.stringify(chain.genesis)));
    expect(result.genesisSha256).toBe(sha);
    expect(s.genesisSha256).toBe(sha);
    expect(events.find((e) => e.type === 'genesis')).toMatchObject({ sha256: sha, stored: true, chainId: chain.chainId });
    expect(await readProfile(s.dir)).toEqual({ chainId: chain.chainId, endpoints: nodes.map((n) => n.url), genesisSha256: sha });
    expect(JSON.parse(await readFile(join(s.dir, SYNC_STATUS_FILE), 'utf8'))).toMatchObject({ stopped: 'done', completeHeight: HEIGHTS - 1 });
    // work spread over endpoints, headers fetched from a second one
    for (const n of nodes) expect(n.calls.some((c) => c.method === 'block')).toBe(true);
    expect(nodes.flatMap((n) => n.calls).filter((c) => c.method === 'blockchain').length).toBeGreaterThanOrEqual(8);
    expect(result.endpoints.every((e) => e.state === 'ok' && e.blocksServed > 0)).toBe(true);
    const last = progress[progress.length - 1]!;
    expect(last).toMatchObject({ phase: 'done', height: HEIGHTS - 1, durableHeight: HEIGHTS - 1, target: HEIGHTS - 1 });
  });

  it('resumes from what the store has, and stops at `to`', async () => {
    const n1 = await node();
    const n2 = await node();
    const s = await store();
    expect((await sync(s, [n1.url, n2.url], { to: 17 })).result.completeHeight).toBe(17);
    const before = [n1.calls.length, n2.calls.length];
    const { result } = await sync(s, [n1.url, n2.url]);
    expect(result).toMatchObject({ completeHeight: HEIGHTS - 1, heightsWritten: HEIGHTS - 1 - 17 });
    const blocks = [...n1.calls.slice(before[0]), ...n2.calls.slice(before[1])].filter((c) => c.method === 'block').map((c) => Number(c.params.height));
    expect(Math.min(...blocks)).toBe(18);
    await expectHonestReplica(s, HEIGHTS - 1);
  });

  it('refuses a genesis that differs from the pin, storing nothing', async () => {
    const n1 = await node();
    const s = await store();
    const err = await syncReplica({ store: s, endpoints: [n1.url], genesisSha256: 'ab'.repeat(32) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('genesis-mismatch');
    expect(s.genesisSha256).toBeNull();
    expect(s.stats().records).toBe(0);
  });

  it('syncs from one endpoint (single source), and through single GETs when batches are refused', async () => {
    const n1 = await node(chain, { batch: false });
    const s = await store();
    const { result, events } = await sync(s, [n1.url]);
    expect(result).toMatchObject({ completeHeight: HEIGHTS - 1, crossChecked: 0, singleSource: HEIGHTS - 1 });
    expect(n1.calls.some((c) => c.via === 'BATCH')).toBe(false);
    expect(events.some((e) => e.type === 'single-source')).toBe(false); // nobody else to ask
  });

  it('follows the head as new blocks arrive, until cancelled', async () => {
    let tip = 10;
    const n1 = await node(chain, {}, () => tip);
    const n2 = await node(chain, {}, () => tip);
    const s = await store();
    const ac = new AbortController();
    const seen: SyncProgress[] = [];
    const run = syncReplica({
      store: s, endpoints: [n1.url, n2.url], follow: true, pollIntervalMs: 50, progressIntervalMs: 0, signal: ac.signal, chunkSize: 5,
      onProgress: (p) => {
        seen.push(p);
        if (p.phase === 'following' && p.height === 9) tip = 25;
        if (p.height === 24) ac.abort();
      },
    });
    const result = await run;
    expect(result.stopped).toBe('aborted');
    expect(result.completeHeight).toBe(24);
    expect(seen.some((p) => p.phase === 'following' && p.height === 9)).toBe(true);
  });

  it('cancels promptly, keeping what was written', async () => {
    const n1 = await node(chain, { delayMs: 30 });
    const n2 = await node(chain, { delayMs: 30 });
    const s = await store();
    const ac = new AbortController();
    const t = performance.now();
    const r = await syncReplica({
      store: s, endpoints: [n1.url, n2.url], chunkSize: 5, windowPerEndpoint: 1, signal: ac.signal, progressIntervalMs: 0,
      onProgress: (p) => { if (p.height >= 5) ac.abort(); },
    });
    expect(r.stopped).toBe('aborted');
    expect(performance.now() - t).toBeLessThan(3000);
    expect(r.completeHeight).toBeGreaterThanOrEqual(5);
    expect(r.completeHeight).toBeLessThan(HEIGHTS - 1);
    expect(s.stats().completeHeight).toBe(r.completeHeight);
  });
});

describe('memory bounded by bytes', () => {
  it('cuts work units to a share of the memory budget when blocks are large, and writes the same replica', async () => {
    const big = buildFakeChain({ heights: HEIGHTS, txsPerBlock: 300 }); // about 35 KB a height
    const n1 = await node(big);
    const s = await store();
    const budget = 300 * 1024;
    const result = await syncReplica({ store: s, endpoints: [n1.url], rpc: { timeoutMs: 5000 }, progressIntervalMs: 0, memoryBudgetBytes: budget });
    expect(result).toMatchObject({ stopped: 'done', completeHeight: HEIGHTS - 1 });
    // heights per POST batch: whole units of at most budget/8 after the first (sizes unknown until it is answered)
    const nextHeaders = n1.calls.filter((c) => c.method === 'blockchain' && c.params.minHeight === c.params.maxHeight).map((c) => Number(c.params.minHeight));
    const units = [...new Set(nextHeaders)].sort((a, b) => a - b);
    expect(units.length).toBeGreaterThanOrEqual(10);
    for (let i = 2; i < units.length; i++) expect((units[i]! - units[i - 1]!) * 35 * 1024).toBeLessThanOrEqual(budget / 8 + 40 * 1024);
    for (const h of [1, 20, 21, HEIGHTS - 1]) {
      expect(JSON.parse(dec(await s.get('block', h)))).toEqual(big.block(h));
      expect(JSON.parse(dec(await s.get('block_results', h)))).toEqual(big.blockResults(h));
    }
  });
});

describe('byzantine endpoints: bad data is set aside at the right height and check', () => {
  // The first chunk (1..5) goes to the first endpoint, so the proxy serves heights 1..5.
  const cases: { name: string; rule: ByzantineRule; height: number; check: string }[] = [
    { name: 'a changed header field', rule: { kind: 'header-field', height: 3, field: 'app_hash' }, height: 3, check: 'header.hash' },
    { name: 'a flipped signature byte', rule: { kind: 'flip-signature', height: 4, index: 2 }, height: 4, check: 'commit.signature' },
    { name: 'a changed tx byte', rule: { kind: 'tx-byte', height: 2, tx: 1, byte: 3 }, height: 2, check: 'header.data_hash' },
    { name: 'a changed validator power', rule: { kind: 'validator-power', height: 3, index: 1 }, height: 3, check: 'header.validators_hash' },
    { name: 'a dropped signature (commit still > 2/3)', rule: { kind: 'drop-signature', height: 2, index: 1 }, height: 2, check: 'commit.canonical' },
    { name: 'a dropped signature at a chunk boundary', rule: { kind: 'drop-signature', height: 5, index: 0 }, height: 5, check: 'commit.canonical' },
    { name: 'a dropped signature in /commit and in the next block', rule: { kind: 'drop-signature', height: 3, index: 0, alsoBlock: true }, height: 4, check: 'header.last_commit_hash' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const honest1 = await node();
      const honest2 = await node();
      const liar = await proxy(honest1.url, [c.rule]);
      const s = await store();
      const { result, events } = await sync(s, [liar.url, honest1.url, honest2.url]);
      expect(liar.fired(c.rule.kind)).toBeGreaterThan(0);
      const bad = result.endpoints.find((e) => e.endpoint === liar.url)!;
      expect(bad.state).toBe('set-aside');
      expect(bad.reason).toMatchObject({ kind: 'bad-data', height: c.height, check: c.check });
      expect(events.some((e) => e.type === 'endpoint' && e.endpoint === liar.url && e.state === 'set-aside')).toBe(true);
      expect(result).toMatchObject({ stopped: 'done', completeHeight: HEIGHTS - 1, forks: [] });
      await expectHonestReplica(s, HEIGHTS - 1);
    });
  }
});

describe('forks', () => {
  it('keeps fork evidence, prefers the header the known validators certified, and completes', async () => {
    const other = buildFakeChain({ heights: HEIGHTS, forkAt: 12, forkSeed: 'w', forkSalt: 'other validators' });
    const honest1 = await node();
    const honest2 = await node();
    const otherNode = await node(other);
    const liar = await proxy(honest1.url, [{ kind: 'replace', upstream: otherNode.url, height: 12, andAbove: true }]);
    const s = await store();
    const { result, events } = await sync(s, [honest1.url, honest2.url, liar.url]);
    expect(result).toMatchObject({ stopped: 'done', completeHeight: HEIGHTS - 1 });
    await expectHonestReplica(s, HEIGHTS - 1);
    expect(result.forks).toHaveLength(1);
    const ev = result.forks[0]!;
    expect(ev).toMatchObject({ height: 12, resolution: 'preferred' });
    const good = ev.sides.find((x) => x.certified)!;
    const bad = ev.sides.find((x) => !x.certified)!;
    expect(good.blockId).toBe(Buffer.from(chain.blockId(12).hash).toString('hex').toUpperCase());
    expect(bad.endpoints).toEqual([liar.url]);
    expect(bad.verdict).toContain('validators_hash');
    expect((bad.commit as { signed_header: unknown }).signed_header).toEqual(other.commit(12).signed_header);
    expect(events.some((e) => e.type === 'fork')).toBe(true);
    const lines = (await readFile(join(s.dir, FORKS_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ForkEvidence);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.height).toBe(12);
    expect(result.endpoints.find((e) => e.endpoint === liar.url)).toMatchObject({ state: 'set-aside', reason: { kind: 'fork', height: 12 } });
  });

  it('takes a disputed height from the certified side when the primary served the other one', async () => {
    const other = buildFakeChain({ heights: HEIGHTS, forkAt: 3, forkSeed: 'w', forkSalt: 'other' });
    const honest1 = await node();
    const honest2 = await node();
    const liar = await proxy(honest1.url, [{ kind: 'replace', upstream: (await node(other)).url, height: 3, andAbove: true }]);
    const s = await store();
    const { result } = await sync(s, [liar.url, honest1.url, honest2.url]); // the liar serves chunk 1..5
    expect(result.completeHeight).toBe(HEIGHTS - 1);
    expect(result.forks).toHaveLength(1);
    expect(result.forks[0]).toMatchObject({ height: 3, resolution: 'preferred', chosen: Buffer.from(chain.blockId(3).hash).toString('hex').toUpperCase() });
    expect(result.endpoints[0]).toMatchObject({ state: 'set-aside', reason: { kind: 'fork', height: 3 } });
    await expectHonestReplica(s, HEIGHTS - 1);
    for (const h of [3, 4, 5]) expect(JSON.parse(dec(await s.get('block', h)))).toEqual(chain.block(h));
  });

  it('judges a fork right above a resumed replica against the stored previous block', async () => {
    const other = buildFakeChain({ heights: HEIGHTS, forkAt: 16, forkSeed: 'w', forkSalt: 'other' });
    const honest1 = await node();
    const honest2 = await node();
    const liar = await proxy(honest1.url, [{ kind: 'replace', upstream: (await node(other)).url, height: 16, andAbove: true }]);
    const s = await store();
    await sync(s, [honest1.url, honest2.url], { to: 15 });
    const { result } = await sync(s, [honest2.url, liar.url, honest1.url]);
    expect(result.completeHeight).toBe(HEIGHTS - 1);
    expect(result.forks.map((f) => [f.height, f.resolution, f.sides.map((x) => x.certified).sort()])).toEqual([[16, 'preferred', [false, true]]]);
    await expectHonestReplica(s, HEIGHTS - 1);
  });

  it('stops below an equivocation (two certified headers) and keeps both as evidence', async () => {
    const fork = buildFakeChain({ heights: HEIGHTS, forkAt: 23, forkSalt: 're-signed' });
    const honest1 = await node();
    const honest2 = await node();
    const forkNode = await node(fork);
    const liar = await proxy(honest1.url, [{ kind: 'replace', upstream: forkNode.url, height: 23, andAbove: true }]);
    const s = await store();
    const err = await sync(s, [honest1.url, liar.url, honest2.url]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    const e = err as SyncError;
    expect(e.kind).toBe('fork');
    expect(e.message).toContain('height 23');
    expect(e.result).toMatchObject({ stopped: 'error', completeHeight: 22 });
    expect(s.stats().completeHeight).toBe(22);
    const ev = e.result!.forks[0]!;
    expect(ev).toMatchObject({ height: 23, resolution: 'unresolved' });
    expect(ev.sides.map((x) => x.certified)).toEqual([true, true]);
    expect(new Set(ev.sides.map((x) => x.blockId)).size).toBe(2);
  });
});

describe('unhealthy endpoints', () => {
  it('sets aside an endpoint that hangs, without hanging the sync past its timeouts', async () => {
    const honest1 = await node();
    const honest2 = await node();
    const hang = await proxy(honest1.url, [{ kind: 'hang', match: { methods: ['block', 'blockchain'] } }]);
    const s = await store();
    const t = performance.now();
    const { result } = await sync(s, [hang.url, honest1.url, honest2.url], { rpc: { timeoutMs: 1000 } });
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(result.completeHeight).toBe(HEIGHTS - 1);
    expect(result.endpoints[0]).toMatchObject({ state: 'set-aside', reason: { kind: 'timeout' } });
    await expectHonestReplica(s, HEIGHTS - 1);
  });

  it('sets aside malformed and oversized answers at once', async () => {
    const honest = await node();
    const malformed = await proxy(honest.url, [{ kind: 'malformed', match: { methods: ['commit'] } }]);
    const oversized = await proxy(honest.url, [{ kind: 'oversized', bytes: 4 << 20, match: { methods: ['block'] } }]);
    const s = await store();
    const { result } = await sync(s, [malformed.url, oversized.url, honest.url], { rpc: { timeoutMs: 2000, maxResponseBytes: 1 << 20 } });
    expect(result.completeHeight).toBe(HEIGHTS - 1);
    expect(result.endpoints[0]).toMatchObject({ state: 'set-aside', reason: { kind: 'malformed' } });
    expect(result.endpoints[1]).toMatchObject({ state: 'set-aside', reason: { kind: 'oversized' } });
  });

  it('fails clearly when every endpoint is gone, with progress saved', async () => {
    const honest = await node();
    const a = await proxy(honest.url, [{ kind: 'rpc-error', match: { methods: ['block'], fromHeight: 22 } }]);
    const b = await proxy(honest.url, [{ kind: 'malformed', match: { methods: ['block'], fromHeight: 22 } }]);
    const s = await store();
    const err = await sync(s, [a.url, b.url], { windowPerEndpoint: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncError);
    expect((err as SyncError).kind).toBe('no-endpoints');
    expect((err as SyncError).message).toContain(a.url);
    expect((err as SyncError).result?.completeHeight).toBe(20);
    expect(s.stats().completeHeight).toBe(20);
    expect(JSON.parse(await readFile(join(s.dir, SYNC_STATUS_FILE), 'utf8'))).toMatchObject({ stopped: 'error', completeHeight: 20 });
  });

  it('sets aside an endpoint on another chain', async () => {
    const honest1 = await node();
    const honest2 = await node();
    const stranger = await node(buildFakeChain({ heights: HEIGHTS, chainId: 'other-chain' }));
    const s = await store();
    const { result } = await sync(s, [honest1.url, stranger.url, honest2.url]);
    expect(result.endpoints[1]).toMatchObject({ state: 'set-aside', reason: { kind: 'wrong-chain' } });
    expect(result.completeHeight).toBe(HEIGHTS - 1);
  });
});
