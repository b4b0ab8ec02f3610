// Resolving a dispute: a witness named another BlockID than the primary at a height. Every
// healthy endpoint is asked for its signed header there; a witness that cannot back its claim
// is set aside. Two or more self-consistent signed headers are a fork: all are kept as
// evidence (forks.jsonl) and reported; exactly one certified by the known validator set is
// preferred (reported, never silent), anything else stops the sync below that height.

import { join } from 'node:path';
import { toHex } from '../../../shared/cometbft/bytes';
import { blockIdEquals, describeBlockId } from '../../../shared/cometbft/commit';
import { decodeValidatorsPage } from '../../../shared/cometbft/decode';
import type { Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import { validatorSetHash } from '../../../shared/cometbft/hash';
import type { BlockId, SignedHeader, ValidatorSet } from '../../../shared/cometbft/types';
import type { Endpoint } from './endpoints';
import { fetchHeights } from './fetch-heights';
import { FORKS_FILE, appendForkEvidence, certify, type ForkEvidence, type KnownState } from './fork-evidence';
import { checkCanonicalCommits, checkHeight, checkSignedHeader, type CheckedHeight } from './height-checks';
import { SyncError } from './types';

const utf8 = new TextDecoder();

/** A witness's claim: the BlockID it named for the height. */
export interface Claim {
  ep: Endpoint;
  blockId: BlockId;
}

/** What dispute resolution needs from the engine. */
export interface DisputeContext {
  chainId: string;
  initialHeight: number;
  genesisVals: ValidatorSet;
  endpoints: readonly Endpoint[];
  signal: AbortSignal;
  verifier: Ed25519Verifier;
  maxFails: number;
  storeDir: string;
  /** The previous block (written or stored) or genesis. */
  known(height: number): Promise<KnownState>;
  onFork(ev: ForkEvidence): void;
}

/**
 * Primary and witness disagree at this height. Returns the height to write, or undefined
 * when it must be fetched again (its primary is set aside); throws SyncError('fork') when
 * the fork cannot be resolved.
 */
export async function resolveDispute(ctx: DisputeContext, ch: CheckedHeight, primary: Endpoint, claims: readonly Claim[]): Promise<CheckedHeight | undefined> {
  const H = ch.height;
  const known = await ctx.known(H);
  interface Side { blockId: BlockId; sh: SignedHeader; commit: Uint8Array; eps: Endpoint[]; vals?: ValidatorSet }
  const sides = new Map<string, Side>();
  const add = (ep: Endpoint, blockId: BlockId, sh: SignedHeader, commit: Uint8Array, vals?: ValidatorSet): void => {
    const key = describeBlockId(blockId);
    const s = sides.get(key) ?? { blockId, sh, commit, eps: [] };
    s.eps.push(ep);
    s.vals ??= vals;
    sides.set(key, s);
  };
  add(primary, ch.blockId, ch.signedHeader, ch.raw.commit, ch.validators);
  const now = (): string => new Date().toISOString();

  // Every other healthy endpoint's signed header; a witness must back its /blockchain claim with one.
  const others = ctx.endpoints.filter((e) => e !== primary && e.usable && (e.latestHeight ?? 0) >= H);
  await Promise.all(others.map(async (e) => {
    for (let attempt = 0; attempt < 2 && e.usable && !ctx.signal.aborted; attempt++) {
      try {
        const r = await e.client.commit(H, ctx.signal);
        const sh = checkSignedHeader(H, r, ctx.chainId);
        const claim = claims.find((x) => x.ep === e);
        if (claim && !blockIdEquals(sh.commit.blockId, claim.blockId)) {
          e.setAside({ kind: 'bad-data', height: H, check: 'cross-check', message: `its /blockchain and /commit name different blocks at ${H}`, expected: describeBlockId(claim.blockId), found: describeBlockId(sh.commit.blockId), at: now() });
          return;
        }
        add(e, sh.commit.blockId, sh, r.raw);
        return;
      } catch (err) {
        if (ctx.signal.aborted) return;
        e.failed(err, ctx.maxFails);
      }
    }
    if (claims.some((x) => x.ep === e) && e.usable) {
      e.setAside({ kind: 'bad-data', height: H, check: 'cross-check', message: `its /blockchain named another block at ${H} but it served no signed header for it`, at: now() });
    }
  }));
  if (ctx.signal.aborted) return undefined;

  const knownVals = await knownValidators(ctx, H, known, [...sides.values()]);
  const judged = [...sides.values()].map((s) => ({ s, ...certify(known, s.sh, s.blockId, knownVals, ctx.verifier) }));

  if (sides.size === 1) {
    // No claim was backed; the primary's header must still be what the known chain continues with.
    if (judged[0]!.ok) return ch;
    primary.setAside({ kind: 'fork', height: H, check: 'cross-check', message: `its header at ${H} was disputed and is not certified by the known validator set: ${judged[0]!.verdict}`, at: now() });
    return undefined;
  }

  const certified = judged.filter((j) => j.ok);
  const chosen = certified.length === 1 ? certified[0]!.s : undefined;
  const ev: ForkEvidence = {
    height: H,
    chainId: ctx.chainId,
    detectedAt: now(),
    knownValidatorsHash: toHex(known.validatorsHash),
    sides: judged.map((j) => ({
      blockId: toHex(j.s.blockId.hash),
      endpoints: j.s.eps.map((e) => e.label),
      certified: j.ok,
      verdict: j.verdict,
      commit: JSON.parse(utf8.decode(j.s.commit)) as unknown,
    })),
    resolution: chosen ? 'preferred' : 'unresolved',
    note: chosen
      ? `${sides.size} different signed headers at ${H}; only ${toHex(chosen.blockId.hash)} is certified by the known validator set and links to the known previous block: the sync continues with it`
      : `${sides.size} different signed headers at ${H}, ${certified.length} of them certified by the known validator set: nothing is written at or above ${H}`,
  };
  if (chosen) ev.chosen = toHex(chosen.blockId.hash);
  await appendForkEvidence(ctx.storeDir, ev);
  ctx.onFork(ev);
  if (!chosen) {
    throw new SyncError('fork', `fork at height ${H}: ${ev.note}; evidence in ${join(ctx.storeDir, FORKS_FILE)}`);
  }
  for (const j of judged) {
    if (j.s === chosen) continue;
    for (const e of j.s.eps) {
      e.setAside({ kind: 'fork', height: H, message: `served block ${toHex(j.s.blockId.hash)} at ${H}, not certified by the known validator set (${j.verdict})`, at: now() });
    }
  }
  if (chosen.eps.includes(primary)) return ch;
  // The primary served the uncertified side: take the height from an endpoint of the chosen one.
  for (const e of chosen.eps) {
    if (!e.usable) continue;
    const t = performance.now();
    try {
      const got = await fetchHeights(e.client, H, H, 1, ctx.signal, true);
      const c2 = checkHeight(H, got.heights[0]!, ctx.chainId, ctx.verifier);
      checkCanonicalCommits([c2], got.next, ctx.chainId);
      if (blockIdEquals(c2.blockId, chosen.blockId)) {
        e.succeeded(performance.now() - t, 1);
        return c2;
      }
      e.setAside({ kind: 'bad-data', height: H, check: 'cross-check', message: `its /block and /commit name different blocks at ${H}`, at: now() });
    } catch (err) {
      e.failed(err, ctx.maxFails);
    }
  }
  return undefined;
}

/** A validator set that hashes to the known one: from the sides' data, else asked for. */
async function knownValidators(ctx: DisputeContext, H: number, known: KnownState, sides: readonly { vals?: ValidatorSet; eps: Endpoint[] }[]): Promise<ValidatorSet | undefined> {
  const matches = (v: ValidatorSet | undefined): boolean => v !== undefined && toHex(validatorSetHash(v)) === toHex(known.validatorsHash);
  const have = sides.map((s) => s.vals).find(matches);
  if (have) return have;
  if (H === ctx.initialHeight && matches(ctx.genesisVals)) return ctx.genesisVals;
  for (const e of ctx.endpoints.filter((x) => x.usable)) {
    try {
      const r = await e.client.validators(H, ctx.signal);
      const v = decodeValidatorsPage(r.value).validatorSet;
      if (matches(v)) return v;
    } catch (err) {
      if (ctx.signal.aborted) return undefined;
      e.failed(err, ctx.maxFails);
    }
  }
  return undefined;
}
