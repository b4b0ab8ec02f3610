import { describe, expect, it } from 'vitest';
import { decodeGenesis } from '../cometbft/decode';
import { buildReplicaChain } from '../../test/replica-chain';
import { ChainVerifier, packPrepared, type RawHeight } from './index';

describe('packPrepared', () => {
  it('moves tx bytes and result data into one transferable buffer, unchanged', () => {
    const c = buildReplicaChain({ heights: 4 });
    const v = ChainVerifier.fromGenesis(decodeGenesis(c.genesis));
    if ('ok' in v) throw new Error('genesis');
    const r = c.heights[1]!;
    const p = v.prepare({ height: 2n, block: r.block, commit: r.commit, validators: r.validators, results: r.block_results } satisfies RawHeight);
    const txs = p.decoded.block!.block.txs.map((t) => t.slice());
    const data = p.decoded.results!.txsResults.map((t) => t.data.slice());
    expect(txs.length).toBeGreaterThan(0);
    const buf = packPrepared(p)!;
    expect(buf.byteLength).toBe(txs.reduce((a, t) => a + t.length, 0) + data.reduce((a, d) => a + d.length, 0));
    const moved = structuredClone(p, { transfer: [buf] });
    expect(buf.byteLength).toBe(0); // transferred, not copied
    expect(moved.decoded.block!.block.txs).toEqual(txs);
    expect(moved.decoded.results!.txsResults.map((t) => t.data)).toEqual(data);
    expect(new Set(moved.decoded.block!.block.txs.map((t) => t.buffer)).size).toBe(1);
  });
});
