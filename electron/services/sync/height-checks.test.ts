// The sync's fast block decoding against the shared decoder, and the canonical-commit check
// above a chunk through /blockchain.
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeBlockResponse } from '../../../shared/cometbft/decode';
import { buildFakeChain } from '../../../test/support/fake-chain';
import { nativeEd25519 } from '../../crypto/ed25519-native';
import { BadDataError, checkCanonicalCommits, checkHeight, decodeBlockFast, type CheckedHeight } from './height-checks';
import type { RpcResult } from './rpc-client';

const chain = buildFakeChain({ heights: 6, txsPerBlock: 5 });
const enc = (v: unknown): RpcResult => ({ value: v, raw: new TextEncoder().encode(JSON.stringify(v)) });
type BlockJson = { block: { data: { txs: unknown[] } } };

function withTxs(txs: unknown[]): BlockJson {
  const b = structuredClone(chain.block(2)) as BlockJson;
  b.block.data.txs = txs;
  return b;
}

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

describe('decodeBlockFast', () => {
  it('decodes as the shared decoder does, canonical base64 natively', () => {
    const b = chain.block(3);
    expect(decodeBlockFast(b)).toEqual(decodeBlockResponse(b));
    expect(decodeBlockFast(withTxs([]))).toEqual(decodeBlockResponse(withTxs([])));
  });

  it('leaves every other tx to the shared decoder: same bytes accepted, same errors, in the same order', () => {
    const cases: unknown[][] = [
      ['QR=='], // not canonical (trailing bits set), still accepted by both
      ['QQ==', 'AAA='],
      ['QQ'], // no padding
      ['QQ=A'],
      ['Q===', 'QQ=='],
      ['QQ==', 7],
      ['QQ==', null],
      ['a-_b'], // URL-safe alphabet
      ['QQ ==', 'QQ=='],
    ];
    for (const txs of cases) expect(outcome(() => decodeBlockFast(withTxs(txs)))).toEqual(outcome(() => decodeBlockResponse(withTxs(txs))));
    // a bad tx and a bad header: whichever the shared decoder names first
    const both = withTxs(['QQ', 'QQ==']) as unknown as { block: { header: Record<string, unknown> } };
    both.block.header['height'] = 'x';
    const e = outcome(() => decodeBlockFast(both));
    expect(e).toEqual(outcome(() => decodeBlockResponse(both)));
    expect((e as { error: string }).error).toBe(DecodeError.name);
    // not a block at all
    for (const v of [null, 5, { block_id: {} }, { block: { data: { txs: 'x' } } }]) expect(outcome(() => decodeBlockFast(v))).toEqual(outcome(() => decodeBlockResponse(v)));
  });
});

describe('checkCanonicalCommits above the last height (/blockchain for one height)', () => {
  const checked = (h: number): CheckedHeight => checkHeight(h, {
    block: enc(chain.block(h)), commit: enc(chain.commit(h)), validators: enc(chain.validators(h, 1, 100)), blockResults: enc(chain.blockResults(h)),
  }, chain.chainId, nativeEd25519);
  const hs = [checked(2), checked(3)];

  it("passes when the next header commits to the last height's commit, and skips when there is no meta yet", () => {
    expect(() => checkCanonicalCommits(hs, enc(chain.blockchain(4, 4)), chain.chainId)).not.toThrow();
    expect(() => checkCanonicalCommits(hs, enc({ last_height: '3', block_metas: [] }), chain.chainId)).not.toThrow();
    expect(() => checkCanonicalCommits(hs, undefined, chain.chainId)).not.toThrow();
  });

  it('names the height and check when the meta is for another height, or is not a header of this chain', () => {
    const fault = (next: unknown): unknown => {
      try {
        checkCanonicalCommits(hs, enc(next), chain.chainId);
      } catch (e) {
        expect(e).toBeInstanceOf(BadDataError);
        return { height: (e as BadDataError).fault.height, check: (e as BadDataError).fault.check };
      }
      return 'passed';
    };
    expect(fault(chain.blockchain(5, 5))).toEqual({ height: 4, check: 'rpc.height' });
    expect(fault(chain.blockchain(4, 5))).toEqual({ height: 4, check: 'rpc.height' });
    const other = buildFakeChain({ heights: 6, txsPerBlock: 5, chainId: 'other' });
    expect(fault(other.blockchain(4, 4))).toEqual({ height: 4, check: 'header.chain_id' });
    // a meta whose header does not hash to its block_id
    const m = structuredClone(chain.blockchain(4, 4)) as { block_metas: { header: Record<string, unknown> }[] };
    m.block_metas[0]!.header['app_hash'] = '00';
    expect(fault(m)).toEqual({ height: 4, check: 'header.hash' });
    // a commit for 3 that the next header does not commit to
    const alt = buildFakeChain({ heights: 6, txsPerBlock: 5, forkAt: 4, forkSalt: 'x' });
    expect(fault(alt.blockchain(4, 4))).toEqual('passed'); // same last_commit_hash: the fork starts at 4
    expect(fault({ last_height: '6', block_metas: 'x' })).toEqual({ height: 4, check: 'decode' });
  });
});
