// Messages between the coordinator (runVerification, on the caller's thread), the prepare
// workers (decode, hash, verify signatures natively) and the chain worker (the sequential rules
// and the ledger replay). Prepare workers hand their results straight to the chain worker over a
// MessageChannel, so block data never passes through the coordinator twice.
import type { MessagePort } from 'node:worker_threads';
import type { Failure } from '../../../shared/cometbft/verdict';
import type { Counters, HeightPayloads, PreparedHeight } from '../../../shared/verify';

/** Coordinator → prepare worker. */
export type ToPrepare =
  | { type: 'init'; chainId: string; port: MessagePort }
  | { type: 'job'; height: number; payloads: HeightPayloads; prev?: { commit: Uint8Array; validators: Uint8Array } };

/** Prepare worker → coordinator. */
export type FromPrepare = { type: 'done'; height: number; bytes: number; signatures: number } | { type: 'error'; message: string };

/** Prepare worker → chain worker. */
export type PreparedMessage = { type: 'prepared'; prepared: PreparedHeight };

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
  | { type: 'checkpoint'; height: number; state: string; snapshot: Uint8Array; lastBlockIdHash: string }
  | { type: 'error'; message: string };
