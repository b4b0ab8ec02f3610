// The application the verifier replays: the consent-ledger state machine (shared/ledger), or
// any machine with the same ABCI shape (InitChain, FinalizeBlock, Commit) and a snapshot for
// checkpoints. Transaction signatures are checked inside the machine through `txVerdict` (the
// batch verdict by tx id) and `verifySignature`, which the verifier points at the batch results
// of the height being replayed; keys the rules bind to identities through `keyCheck` (verdicts
// reached off the sequential path, by key), then the machine's own check.
import { LedgerMachine, type MachineOptions } from '../ledger/machine';
import type { CommittedState } from '../ledger/state/committed';
import type { Timestamp } from '../cometbft/types';
import type { ConsensusParamUpdates } from './consensus-params';
import type { ReplayOutput } from './results';
import type { ValidatorChange } from './validator-updates';

export type SignatureCheck = (sig: Uint8Array, msg: Uint8Array, pubKey: Uint8Array) => boolean;
/** A ledger tx signature's batch verdict by tx id, or undefined (then SignatureCheck decides). */
export type TxVerdict = (txId: string) => boolean | undefined;
/** PROTOCOL.md §2.7 key validity (shared/ledger isValidKey) by lower-case hex key, or undefined (then the machine checks). */
export type KeyVerdict = (hexKey: string) => boolean | undefined;

/** How a machine asks about signatures and keys; the verifier points these at its batch results. */
export interface MachineHooks {
  verifySignature: SignatureCheck;
  txVerdict?: TxVerdict;
  keyCheck?: KeyVerdict;
}

export interface ReplayBlock {
  height: bigint;
  time: Timestamp;
  txs: Uint8Array[];
  /** The SHA-256 of each tx, 32 bytes each in order, when the host has them (of exactly `txs`). */
  txHashes?: Uint8Array;
  proposerAddress: Uint8Array;
}

export interface ReplayMachine {
  finalizeBlock(block: ReplayBlock): ReplayOutput & { consensusParamUpdates?: ConsensusParamUpdates | null };
  commit(): void;
  snapshot(): Uint8Array;
  /** The same bytes as snapshot(), in parts (a large state is never one buffer plus its text). */
  snapshotParts?(): Uint8Array[];
}

export interface MachineFactory {
  /** InitChain (consensus/replay.go ReplayBlocks at app height 0): validators and app hash the app answers. */
  fromGenesis(chainId: string, appState: unknown, initialHeight: bigint, validators: ValidatorChange[], hooks: MachineHooks):
    { machine: ReplayMachine; validators: ValidatorChange[]; appHash: Uint8Array };
  restore(snapshot: Uint8Array, hooks: MachineHooks): ReplayMachine;
  /** A machine over a committed state the host kept (e.g. on disk), refused unless it hashes to `appHash`. */
  resume?(state: CommittedState, appHash: Uint8Array, hooks: MachineHooks): ReplayMachine;
}

/**
 * Info's app_version of the consent ledger (network/abci/app.ts APP_PROTOCOL_VERSION): every
 * header's version.app, since consensus/replay.go Handshake sets State.Version.Consensus.App
 * from Info when the chain starts (and the ledger never changes it through consensus params).
 */
export const LEDGER_APP_VERSION = 1n;

/**
 * The consent ledger as a MachineFactory. `options` reach every machine it makes (e.g. a native
 * SHA-256 from the host); the signature check is always the verifier's own.
 */
export function ledgerMachine(options: Omit<MachineOptions, 'verifySignature' | 'txVerdict' | 'keyCheck'> = {}): MachineFactory {
  const opts = (h: MachineHooks): MachineOptions =>
    ({ ...options, verifySignature: h.verifySignature, ...(h.txVerdict ? { txVerdict: h.txVerdict } : {}), ...(h.keyCheck ? { keyCheck: h.keyCheck } : {}) });
  return {
    fromGenesis(chainId, appState, initialHeight, validators, hooks) {
      const r = LedgerMachine.fromGenesis(
        chainId, appState, initialHeight,
        validators.map((v) => ({ pubKeyType: 'ed25519' as const, pubKey: v.pubKey, power: v.power })),
        opts(hooks),
      );
      return { machine: r.machine, validators: r.validators, appHash: r.appHash };
    },
    restore: (snapshot, hooks) => LedgerMachine.restore(snapshot, opts(hooks)),
    resume: (state, appHash, hooks) => LedgerMachine.open(state, appHash, opts(hooks)),
  };
}

export const ledgerMachineFactory: MachineFactory = ledgerMachine();
