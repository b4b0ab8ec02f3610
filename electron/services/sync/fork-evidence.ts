// Fork evidence: two or more self-consistent signed headers for one height from different
// endpoints. Each is kept as served, judged against what the replica already knows (the
// previous block's BlockID and NextValidatorsHash, or the genesis validators), and written
// to <store>/forks.jsonl (one JSON object per line, fsynced) before anything else happens.

import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesEqual, toHex } from '../../../shared/cometbft/bytes';
import { verifyCommit } from '../../../shared/cometbft/commit';
import type { Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import { validatorSetHash } from '../../../shared/cometbft/hash';
import { verifyLinked, type LinkedHeader } from '../../../shared/cometbft/header-checks';
import type { BlockId, SignedHeader, ValidatorSet } from '../../../shared/cometbft/types';
import { describeFailure } from '../../../shared/cometbft/verdict';

export const FORKS_FILE = 'forks.jsonl';

/** What the replica trusts just below a height: the previous block, or genesis at the initial height. */
export interface KnownState {
  chainId: string;
  height: number;
  /** The previous block (absent at the initial height). */
  prev?: LinkedHeader;
  /** The validator set hash the header at `height` must carry. */
  validatorsHash: Uint8Array;
}

export interface ForkSide {
  blockId: string;
  /** Endpoints (redacted) that served this header. */
  endpoints: string[];
  /** The header's certificate verifies against the known validator set and it links to the known previous block. */
  certified: boolean;
  /** Why (or why not). */
  verdict: string;
  /** The /commit result as served (signed_header and canonical). */
  commit: unknown;
}

export interface ForkEvidence {
  height: number;
  chainId: string;
  detectedAt: string;
  knownValidatorsHash: string;
  sides: ForkSide[];
  /** preferred: exactly one side is certified and the sync continues with it (reported, never silent). unresolved: the sync stops below this height. */
  resolution: 'preferred' | 'unresolved';
  chosen?: string;
  note: string;
}

/** Is this signed header what the known state says the chain continues with? */
export function certify(known: KnownState, sh: SignedHeader, blockId: BlockId, vals: ValidatorSet | undefined, verifier: Ed25519Verifier): { ok: boolean; verdict: string } {
  const h = sh.header;
  if (!bytesEqual(h.validatorsHash, known.validatorsHash)) {
    return { ok: false, verdict: `validators_hash ${toHex(h.validatorsHash)} is not the known set ${toHex(known.validatorsHash)}` };
  }
  if (known.prev) {
    const link = verifyLinked(known.prev, h);
    if (!link.ok) return { ok: false, verdict: `does not link to the known previous block: ${describeFailure(link)}` };
  } else if (h.lastBlockId.hash.length !== 0) {
    return { ok: false, verdict: 'the initial height must have an empty last_block_id' };
  }
  if (!vals || !bytesEqual(validatorSetHash(vals), known.validatorsHash)) return { ok: false, verdict: 'no endpoint served the known validator set' };
  const v = verifyCommit(known.chainId, vals, blockId, BigInt(known.height), sh.commit, verifier);
  if (!v.ok) return { ok: false, verdict: `certificate: ${describeFailure(v)}` };
  return { ok: true, verdict: 'more than 2/3 of the known validator set signed it, and it links to the known previous block' };
}

/** Append one evidence line and fsync it. */
export async function appendForkEvidence(dir: string, ev: ForkEvidence): Promise<void> {
  const fh = await open(join(dir, FORKS_FILE), 'a');
  try {
    await fh.write(`${JSON.stringify(ev)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
