// The explorer's views do not depend on how the index is sharded: every view of every block,
// transaction, key and organisation is the same with many small shards as with one.
import { afterEach, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store';
import { openIndex, updateIndex, type IndexDb } from '../../index';
import { FixtureChain, appendHeights, bulkBlocks, scriptedChain } from '../../index/test-chain';
import * as explorer from './queries';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function views(ix: IndexDb): Promise<Record<string, unknown>> {
  const col = (q: string) => [...new Set(ix.select(q).map((r) => String(Object.values(r)[0])))].sort();
  const out: Record<string, unknown> = { counts: explorer.explorerCounts(ix), blocks: explorer.blocks(ix, null, 10), before: explorer.blocks(ix, 12, 5) };
  for (let h = 1; h <= explorer.explorerCounts(ix).lastHeight; h++) out[`block ${h}`] = await explorer.block(ix, h, () => Promise.resolve(undefined));
  for (const id of col('SELECT id FROM txs')) out[`tx ${id}`] = explorer.tx(ix, id);
  for (const k of [...col('SELECT pubkey FROM patients'), ...col('SELECT pubkey FROM members'), ...col('SELECT proxy FROM proxies')]) {
    out[`key ${k}`] = explorer.keyParty(ix, k);
    out[`search ${k}`] = explorer.search(ix, k.slice(0, 9));
  }
  for (const o of col('SELECT id FROM organisations')) out[`org ${o}`] = explorer.orgParty(ix, o);
  return out;
}

it('shows the same views with many small shards as with one', async () => {
  const fx = new FixtureChain();
  const { heights } = scriptedChain(fx);
  bulkBlocks(fx, 10, 12, (r) => heights.push(r));
  const dir = await mkdtemp(join(tmpdir(), 'custos-explorer-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const store = await openStore(dir);
  cleanup.push(() => store.close());
  await store.putGenesis(fx.genesisBytes());
  await appendHeights(store, heights);
  const one = await openIndex(null, { shardTxs: 1e9 });
  const many = await openIndex(null, { shardTxs: 6, cacheBytes: 1 });
  cleanup.push(() => one.close(), () => many.close());
  await updateIndex(store, one);
  await updateIndex(store, many);
  expect(many.shards.list().length).toBeGreaterThan(10);
  const want = await views(one);
  expect(await views(many)).toEqual(want);
  expect(Object.values(want).filter((v) => v !== null).length).toBeGreaterThan(200);
});
