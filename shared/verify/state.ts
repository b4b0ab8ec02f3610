// The verifier's state between heights: what state/state.go State holds for validating the
// next block (state/validation.go validateBlock), every value derived from the genesis and
// the blocks replayed so far, never read from a node. Plus running counters. It serializes
// to JSON (for checkpoints) with bigints and bytes tagged.
import type { BlockId, ConsensusParams, Timestamp, ValidatorSet } from '../cometbft/types';

export interface Counters {
  blocks: number;
  txs: number;
  /** Signatures the rules checked: commit votes (both /commit and block.last_commit) and transactions. */
  signatures: number;
  commitSignatures: number;
  txSignatures: number;
  /** Validator updates applied (additions, power changes and removals). */
  validatorChanges: number;
  failures: number;
}

export function zeroCounters(): Counters {
  return { blocks: 0, txs: 0, signatures: 0, commitSignatures: 0, txSignatures: 0, validatorChanges: 0, failures: 0 };
}

export interface VerifierState {
  chainId: string;
  initialHeight: bigint;
  genesisTime: Timestamp;
  /** Version.Consensus.App every header must carry (the app's Info app_version). */
  appVersion: bigint;
  /** LastBlockHeight: 0 before the first block. */
  lastHeight: bigint;
  lastBlockId: BlockId;
  lastBlockTime: Timestamp;
  /** The set that signed lastHeight (LastValidators), the set for the next height, and the one after. */
  lastValidators: ValidatorSet;
  validators: ValidatorSet;
  nextValidators: ValidatorSet;
  consensusParams: ConsensusParams;
  /** What the next header must commit to: AppHash after the last block (InitChain's at genesis), LastResultsHash. */
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  counters: Counters;
}

/** The height the next block must have. */
export function nextHeight(s: VerifierState): bigint {
  return s.lastHeight === 0n ? s.initialHeight : s.lastHeight + 1n;
}

const HEX = '0123456789abcdef';

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x >> 4]! + HEX[x & 15]!;
  return s;
}

function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** JSON text of any value holding bigints and Uint8Arrays ({"$n": "…"} and {"$b": "hex"}). */
export function encodeTagged(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === 'bigint') return { $n: raw.toString() };
    if (raw instanceof Uint8Array) return { $b: hex(raw) };
    return v;
  });
}

export function decodeTagged<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o['$n'] === 'string') return BigInt(o['$n']);
      if (keys.length === 1 && typeof o['$b'] === 'string') return unhex(o['$b']);
    }
    return v;
  }) as T;
}
