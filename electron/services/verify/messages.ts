// Messages between the coordinator (runVerification, on the caller's thread), the prepare
// workers (decode, hash, verify signatures natively) and the chain worker (the sequential rules
// and the ledger replay). Prepare workers hand their results straight to the chain worker over a
// MessageChannel, so block data never passes through the coordinator twice.
import type { MessagePort } from 'node:worker_threads';
import type { Failure } from '../../../shared/cometbft/verdict';
import type { Counters, HeightPayloads } from '../../../shared/verify';

/** Coordinator → prepare worker. */
export type ToPrepare =
  | { type: 'init'; chainId: string; port: MessagePort }
  | { type: 'job'; height: number; payloads: HeightPayloads; prev?: { commit: Uint8Array; validators: Uint8Array } };

/** Prepare worker → coordinator: only when it fails (heights it prepared show in the chain worker's progress). */
export type FromPrepare = { type: 'error'; message: string };

/**
 * Prepare worker → chain worker: a PreparedHeight, v8-serialized (node:v8 serialize, the
 * structured clone format) into one transferred buffer. The chain worker keeps the heights it
 * cannot apply yet in this form and deserializes each just before applying it, so the objects
 * are born and die young instead of waiting in its heap (and being copied by each scavenge).
 */
export type PreparedMessage = { type: 'prepared'; height: number; bytes: Uint8Array };

/** How the chain worker starts: from the genesis, or from a checkpoint. */
export type ChainStart =
  | { kind: 'genesis'; genesisJson: string }
  | { kind: 'checkpoint'; state: string; snapshot: Uint8Array };

/** Coordinator → chain worker. */
export type ToChain =
  | { type: 'init'; start: ChainStart; ports: MessagePort[] }
  | { type: 'checkpoint' };

/** Chain worker → coordinator. */
export type FromChain =
  | { type: 'ready'; nextHeight: number }
  | { type: 'genesis-failure'; failure: Failure }
  | { type: 'progress'; verifiedHeight: number; failures: Failure[]; counters: Counters; signatureMisses: number; halted: Failure | null }
  | { type: 'checkpoint'; height: number; state: string; snapshot: Uint8Array[]; lastBlockIdHash: string; /** Time the snapshot took. */ ms: number }
  | { type: 'error'; message: string };
