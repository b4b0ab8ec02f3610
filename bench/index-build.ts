// Throughput of the derived index (electron/services/index): a consent-ledger chain from the
// in-memory harness is written to a replica store, then indexed from scratch. Reported as
// transactions/s and as a ratio to a bare scan of the same store (iterate + JSON.parse of
// /block and /block_results: the least any indexer has to do), measured in the same run.
// Then the on-disk index (core and shards): checkpoint, rebuild, and a few queries, cold (just
// opened: the shards they need are loaded) and warm.
// Run: npx tsx bench/index-build.ts [blocks=100] [txsPerBlock=50] [rounds=3] [shardTxs=10000]
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../electron/services/store';
import { counts, getBlock, getTx, indexPathFor, listTxs, openIndex, rebuildIndex, searchByText, updateIndex } from '../electron/services/index';
import { shardDirFor } from '../electron/services/index/shard-files';
import { FixtureChain, bulkBlocks, scriptedChain } from '../electron/services/index/test-chain';

const blocks = Number(process.argv[2] ?? 100);
const perBlock = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 3);
const shardTxs = Number(process.argv[5] ?? 10_000);
const dir = await mkdtemp(join(tmpdir(), 'custos-index-bench-'));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  const t0 = performance.now();
  const fx = new FixtureChain();
  const store = await openStore(dir);
  await store.putGenesis(fx.genesisBytes());
  for (const h of scriptedChain(fx).heights) await store.append(h);
  const pending: Promise<void>[] = [];
  bulkBlocks(fx, blocks, perBlock, (r) => pending.push(store.append(r)));
  await Promise.all(pending);
  await store.flush();
  const top = store.stats().completeHeight;
  console.log(`chain: ${top} heights generated and stored in ${fmt(performance.now() - t0)} ms`);

  // Baseline: stream the same payloads and parse them, nothing else. Rounds alternate with
  // index builds and the best of each is kept (shared machines are noisy).
  const dec = new TextDecoder();
  const scan = async (): Promise<number> => {
    let n = 0;
    for await (const { payloads } of store.iterate(1, top, { kinds: ['block', 'block_results'] })) {
      const b = JSON.parse(dec.decode(payloads.block)) as { block: { data: { txs: unknown[] } } };
      JSON.parse(dec.decode(payloads.block_results));
      n += b.block.data.txs.length;
    }
    return n;
  };
  const timed = async <T>(fn: () => Promise<T>): Promise<{ v: T; ms: number; cpu: number }> => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const v = await fn();
    const c = process.cpuUsage(c0);
    return { v, ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  };
  let scanMs = Infinity, scanCpu = Infinity, buildMs = Infinity, buildCpu = Infinity, scanTxs = 0;
  let rep: Awaited<ReturnType<typeof updateIndex>> | undefined;
  for (let round = 0; round < rounds; round++) {
    const s = await timed(scan);
    scanTxs = s.v;
    scanMs = Math.min(scanMs, s.ms);
    scanCpu = Math.min(scanCpu, s.cpu);
    const mem = await openIndex(null, { shardTxs });
    const b = await timed(() => updateIndex(store, mem, { checkpoint: false }));
    rep = b.v;
    buildMs = Math.min(buildMs, b.ms);
    buildCpu = Math.min(buildCpu, b.cpu);
    await mem.close();
  }
  if (!rep) throw new Error('no rounds');

  // The on-disk index: one build, its atomic checkpoint, and a rebuild.
  const ix = await openIndex(indexPathFor(dir), { shardTxs });
  await updateIndex(store, ix, { checkpoint: false });
  let t = performance.now();
  await ix.checkpoint(true);
  const ckMs = performance.now() - t;
  const shardFiles = await readdir(shardDirFor(indexPathFor(dir)));
  let size = (await stat(indexPathFor(dir))).size;
  for (const f of shardFiles) size += (await stat(join(shardDirFor(indexPathFor(dir)), f))).size;
  t = performance.now();
  await rebuildIndex(store, ix, { checkpoint: false });
  const rebuildMs = performance.now() - t;
  const c = counts(ix);
  const rss = process.memoryUsage().rss;
  await ix.close();

  // Queries on the reopened index: the first call loads the shards it needs.
  const q = await openIndex(indexPathFor(dir), { shardTxs });
  const mid = Math.floor(top / 2);
  const midTx = listTxs(q, { fromHeight: mid, toHeight: mid, limit: 1 }).items[0]?.id ?? '';
  const queries: [string, () => unknown][] = [
    ['counts', () => counts(q)], ['getBlock (middle)', () => getBlock(q, mid)], ['getTx (middle)', () => getTx(q, midTx)],
    ['search tx id', () => searchByText(q, midTx)], ['search tx id prefix', () => searchByText(q, midTx.slice(0, 8))],
    ['listTxs offset half', () => listTxs(q, { offset: Math.floor(c.txs / 2) })], ['listTxs kind + offset', () => listTxs(q, { kind: 'access.record', offset: 100 })],
  ];
  const lat = queries.map(([name, fn]) => {
    const t0 = performance.now();
    fn();
    const cold = performance.now() - t0;
    const t1 = performance.now();
    fn();
    return `${name} ${cold.toFixed(1)}/${(performance.now() - t1).toFixed(1)}`;
  });
  await q.close();
  await store.close();

  const scanRate = (scanTxs * 1000) / scanMs;
  const buildRate = (rep.txs * 1000) / buildMs;
  console.log(`transactions: ${fmt(rep.txs)} in ${rep.heights} heights (${fmt(c.accesses)} accesses, ${fmt(c.consents)} consents, ${fmt(c.recordVersions)} anchors, ${fmt(c.patients)} patients)`);
  console.log(`best of ${rounds} rounds, wall clock (CPU time in brackets):`);
  console.log(`bare scan (iterate + JSON.parse):   ${fmt(scanRate).padStart(9)} txs/s  (${fmt(scanMs)} ms wall, ${fmt(scanCpu)} ms CPU)`);
  console.log(`index build (updateIndex):          ${fmt(buildRate).padStart(9)} txs/s  (${fmt(buildMs)} ms wall, ${fmt(buildCpu)} ms CPU, ${fmt((rep.heights * 1000) / buildMs)} heights/s)`);
  console.log(`rebuild (rebuildIndex):             ${fmt((rep.txs * 1000) / rebuildMs).padStart(9)} txs/s  (${fmt(rebuildMs)} ms)`);
  console.log(`index ÷ bare scan:                  ${(buildRate / scanRate).toFixed(3)} wall, ${(scanCpu / buildCpu).toFixed(3)} CPU`);
  console.log(`checkpoint: ${fmt(size / 1024)} KiB (the core and ${shardFiles.length} shard file(s)) written atomically in ${fmt(ckMs)} ms; RSS ${fmt(rss / 2 ** 20)} MiB`);
  console.log(`queries, ms cold/warm: ${lat.join(', ')}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
