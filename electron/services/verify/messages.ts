// Messages between the coordinator (runVerification, on the caller's thread), the prepare
// workers (decode, hash, verify signatures natively) and the chain worker (the sequential rules
// and the ledger replay). Prepare workers hand their results straight to the chain worker over a
// MessageChannel, so block data never passes through the coordinator twice.
import type { MessagePort } from 'node:worker_threads';
import type { Failure } from '../../../shared/cometbft/verdict';
import type { Counters, HeightPayloads } from '../../../shared/verify';
import type { LogMark } from './state-log';

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

/**
 * How the chain worker starts: from the genesis, or from a checkpoint, whose ledger state is the
 * state log it names (`log`: the file's path and the mark) or else the snapshot it carries. From
 * a checkpoint the worker cannot resume (the log is altered or gone), it starts from the genesis.
 */
export type ChainStart =
  | { kind: 'genesis'; genesisJson: string }
  | { kind: 'checkpoint'; genesisJson: string; state: string; snapshot: Uint8Array; log: { path: string; mark: LogMark } | null };

/** Coordinator → chain worker. */
export type ToChain =
  /** `stateLog`: the checkpoint path the ledger state's logs go beside (disk-state.ts), or null: in memory. */
  | { type: 'init'; start: ChainStart; ports: MessagePort[]; stateLog: string | null }
  | { type: 'checkpoint' }
  /** Stop, close the state log, and delete the logs this worker wrote except `keep` (named by a checkpoint written). */
  | { type: 'close'; keep: string | null };

/** Chain worker → coordinator. */
export type FromChain =
  /** `refused`: why the checkpoint could not be resumed from (the worker started from the genesis instead). */
  | { type: 'ready'; nextHeight: number; refused?: string }
  | { type: 'genesis-failure'; failure: Failure }
  | { type: 'progress'; verifiedHeight: number; failures: Failure[]; counters: Counters; signatureMisses: number; halted: Failure | null }
  /** The ledger state: `log` (on disk, marked) or else `snapshot` (its bytes, in parts). */
  | { type: 'checkpoint'; height: number; state: string; snapshot: Uint8Array[]; log: LogMark | null; lastBlockIdHash: string; /** Time it took. */ ms: number }
  /** The checkpoint asked for cannot be made (e.g. the state log cannot be synced); verification goes on. */
  | { type: 'checkpoint-failed'; message: string }
  | { type: 'closed' }
  | { type: 'error'; message: string };
