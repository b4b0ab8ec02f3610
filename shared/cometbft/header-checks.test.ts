import { describe, expect, it } from 'vitest';
import { HAVE_VECTORS, readVector } from '../../test/vectors';
import { signedHeader, testValidatorSet, ts } from '../../test/cometbft-chain';
import { decodeBlockResponse, decodeBlockchain, decodeCommitResponse } from './decode';
import {
  checkWithinTrustingPeriod, headerMatchesBlockId, validateHeaderBasic, validateTrustLevel, verify, verifyAdjacent,
  verifyLinked, verifyNonAdjacent, type LightOptions, type TrustedState,
} from './header-checks';
import { portableEd25519 } from './ed25519';
import type { Failure, Verdict } from './verdict';

const V = portableEd25519;
const failure = (v: Verdict): Failure => { if (v.ok) throw new Error('expected a failure'); return v; };
const SEC = 1_000_000_000n;

describe.skipIf(!HAVE_VECTORS)('real kvstore chain (cometbft-v0.38-kvstore)', () => {
  it('blocks 1..10 from /blockchain link up, and each header hashes to its block id', () => {
    const metas = decodeBlockchain(readVector('cometbft-v0.38-kvstore/blockchain_from_1_to_10.json')).blockMetas
      .slice().sort((a, b) => (a.header.height < b.header.height ? -1 : 1));
    expect(metas.length).toBe(10);
    for (const m of metas) expect(headerMatchesBlockId(m.header, m.blockId)).toEqual({ ok: true });
    for (let i = 1; i < metas.length; i++) expect(verifyLinked(metas[i - 1]!, metas[i]!.header)).toEqual({ ok: true });
    const f = failure(verifyLinked(metas[0]!, metas[2]!.header));
    expect(f.check).toBe('header.height');
  });

  it('the /block and /commit at height 10 agree', () => {
    const b = decodeBlockResponse(readVector('cometbft-v0.38-kvstore/block_at_height_10.json'));
    const c = decodeCommitResponse(readVector('cometbft-v0.38-kvstore/commit_at_height_10.json'));
    expect(headerMatchesBlockId(b.block.header, c.commit.blockId)).toEqual({ ok: true });
    expect(validateHeaderBasic(b.block.header)).toEqual({ ok: true });
  });
});

describe('light/verifier.go rules', () => {
  const { vals, keys } = testValidatorSet([10n, 10n, 10n]);
  const CHAIN = 'custos-test';
  const h1 = signedHeader({ chainId: CHAIN, height: 1n, time: ts(100), vals, nextVals: vals }, keys);
  const h2 = signedHeader({ chainId: CHAIN, height: 2n, time: ts(110), vals, nextVals: vals, lastBlockId: h1.commit.blockId }, keys);
  const h5 = signedHeader({ chainId: CHAIN, height: 5n, time: ts(150), vals, nextVals: vals }, keys);
  const trusted: TrustedState = { signedHeader: h1, nextValidators: vals };
  const opts: LightOptions = { trustingPeriodNs: 100n * SEC, now: ts(160), maxClockDriftNs: 0n };

  it('Verify dispatches: adjacent and non-adjacent both verify', () => {
    expect(verify(trusted, h2, vals, opts, V)).toEqual({ ok: true });
    expect(verify(trusted, h5, vals, opts, V)).toEqual({ ok: true });
    expect(failure(verifyAdjacent(trusted, h5, vals, opts, V)).check).toBe('header.height');
    expect(failure(verifyNonAdjacent(trusted, h2, vals, opts, V)).check).toBe('header.height');
  });

  it('HeaderExpired: expired when trusted.time + period is not after now', () => {
    expect(checkWithinTrustingPeriod(h1.header, 100n * SEC, { seconds: 199n, nanos: 999_999_999 }, 5n)).toEqual({ ok: true });
    const f = failure(checkWithinTrustingPeriod(h1.header, 100n * SEC, ts(200), 5n));
    expect(f).toMatchObject({ check: 'light.trusting_period', found: 'it expired at 1970-01-01T00:03:20Z' });
  });

  it('header from the future: time must be before now + max clock drift', () => {
    const f = failure(verify(trusted, h5, vals, { ...opts, now: ts(150) }, V));
    expect(f).toMatchObject({ check: 'light.header_from_future', found: '1970-01-01T00:02:30Z' });
    expect(verify(trusted, h5, vals, { ...opts, now: ts(149), maxClockDriftNs: SEC + 1n }, V)).toEqual({ ok: true });
  });

  it('non-monotonic height and time', () => {
    const back = failure(verify({ signedHeader: h5, nextValidators: vals }, h2, vals, opts, V));
    expect(back).toMatchObject({ check: 'header.height', found: '2' });
  });

  it('ValidateTrustLevel: [1/3, 1]', () => {
    expect(validateTrustLevel({ numerator: 1, denominator: 3 }, 1n)).toEqual({ ok: true });
    expect(validateTrustLevel({ numerator: 1n, denominator: 1n }, 1n)).toEqual({ ok: true });
    expect(failure(validateTrustLevel({ numerator: 1, denominator: 4 }, 1n)).check).toBe('light.trust_level');
    expect(failure(validateTrustLevel({ numerator: 4, denominator: 3 }, 1n)).check).toBe('light.trust_level');
    expect(failure(verify(trusted, h5, vals, { ...opts, trustLevel: { numerator: 1, denominator: 0 } }, V)).check).toBe('light.trust_level');
  });

  it('Header.ValidateBasic: hash lengths and height', () => {
    const h = { ...h2.header, dataHash: new Uint8Array(31) };
    expect(failure(validateHeaderBasic(h)).check).toBe('header.data_hash');
    expect(failure(validateHeaderBasic({ ...h2.header, height: 0n })).check).toBe('header.height');
    expect(failure(validateHeaderBasic({ ...h2.header, chainId: 'x'.repeat(51) })).check).toBe('header.chain_id');
  });
});
