// The ABCI 2.0 application: one Request in, one Response out, for all four connections
// (consensus, mempool, query, snapshot) sharing one ledger, as abci/server/socket_server.go
// handleRequest does behind its appMtx. Handlers here are synchronous, so a response can
// never overtake an earlier one.
//
// Exceptions: CometBFT's socket client stops on a ResponseException
// (abci/client/socket_client.go recvResponseRoutine) and the node then shuts down
// (proxy/multi_app_conn.go killTMOnClientError). So only consensus-critical failures
// (InitChain, FinalizeBlock, Commit) throw; CheckTx and Query turn their failures into
// non-zero codes in codespace ABCI_CODESPACE.
import {
  CheckTxType,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import type { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import type { Ledger, LedgerFactory } from './ledger-port';
import type { StateStore } from './state-store';
import type { Logger } from './log';
import { fromPbValidatorUpdate, protoSizeOfTx, toExecTxResult, toPbEvents, toPbValidatorUpdate, toResponseCheckTx } from './convert';
import { orderByNonce } from './order';
import type { TxOrderKeyFn } from './order';

/** Codes this server returns itself (the ledger's own codes use the ledger's codespace). */
export const ABCI_CODESPACE = 'custos-abci';
export const CODE_NOT_READY = 1;
export const CODE_INTERNAL = 2;

/** ResponseInfo.app_version; the devnet genesis sets consensus_params.version.app to the same. */
export const APP_PROTOCOL_VERSION = 1n;
export const APP_SOFTWARE_VERSION = 'custos-ledger/0.1.0';

export type RequestKind = keyof Request;

export function requestKind(req: Request): RequestKind | undefined {
  for (const k of Object.keys(req) as RequestKind[]) if (req[k] !== undefined) return k;
  return undefined;
}

export interface AbciAppOptions {
  factory: LedgerFactory;
  store: StateStore;
  log: Logger;
  /**
   * Signer and nonce of a transaction, for PrepareProposal to put each signer's transactions
   * in nonce order (order.ts). Without it proposals keep the mempool's order.
   */
  txOrderKey?: TxOrderKeyFn;
  /**
   * When Commit writes the state file: after `everyBlocks` commits, or `everyMs` since the last
   * write once a block since then carried transactions, whichever comes first (default: every
   * commit). Empty blocks alone wait for `everyBlocks`: the file holds the whole ledger, and
   * rewriting it every few seconds for a height and a time cost an idle devnet most of a core. Writing less often is safe: after a
   * restart CometBFT's handshake (consensus/replay.go ReplayBlocks) replays the stored blocks
   * above the height Info reports, and the ledger is deterministic. persistNow() writes at once
   * (on shutdown).
   */
  persist?: { everyBlocks?: number; everyMs?: number };
}

export class AbciApp {
  private ledger: Ledger | undefined;
  private readonly factory: LedgerFactory;
  private readonly store: StateStore;
  private readonly log: Logger;
  private readonly txOrderKey: TxOrderKeyFn | undefined;
  private readonly persistEveryBlocks: number;
  private readonly persistEveryMs: number;
  private saved = { height: 0n, at: 0 };
  /** Transactions in the blocks committed since the last write, and in the block being finalized. */
  private txsSinceSave = 0;
  private pendingTxs = 0;
  /** Height of the block between FinalizeBlock and Commit, for logging. */
  private pendingHeight: bigint | undefined;

  constructor(opts: AbciAppOptions) {
    this.factory = opts.factory;
    this.store = opts.store;
    this.log = opts.log;
    this.txOrderKey = opts.txOrderKey;
    this.persistEveryBlocks = Math.max(1, opts.persist?.everyBlocks ?? 1);
    this.persistEveryMs = opts.persist?.everyMs ?? 0;
    const saved = this.store.load();
    if (saved) {
      const ledger = this.factory.restore(saved.snapshot);
      const info = ledger.info();
      if (info.lastBlockHeight !== saved.height || !equal(info.lastBlockAppHash, saved.appHash)) {
        throw new Error(
          `restored ledger reports height ${info.lastBlockHeight} / app hash ${hex(info.lastBlockAppHash)}, ` +
            `state file says ${saved.height} / ${hex(saved.appHash)}`,
        );
      }
      this.ledger = ledger;
      this.saved = { height: saved.height, at: Date.now() };
      this.log.info('restored ledger state', { height: saved.height, appHash: saved.appHash, file: this.store.path });
    } else {
      this.log.info('no saved state; waiting for InitChain', { dir: this.store.dir });
    }
  }

  /** Handles one request. Throws only for failures that must halt the node. */
  handle(req: Request): Response {
    const kind = requestKind(req);
    switch (kind) {
      case 'echo':
        return { echo: { message: req.echo!.message } };
      case 'flush':
        return { flush: {} };
      case 'info':
        return { info: this.info() };
      case 'initChain':
        return { initChain: this.initChain(req.initChain!) };
      case 'query':
        return { query: this.query(req.query!) };
      case 'checkTx':
        return { checkTx: this.checkTx(req.checkTx!) };
      case 'prepareProposal':
        return { prepareProposal: this.prepareProposal(req.prepareProposal!) };
      case 'processProposal':
        // The ledger validates each tx in FinalizeBlock and records refusals with a code,
        // so any well-formed proposal is acceptable.
        return { processProposal: { status: ResponseProcessProposal_ProposalStatus.ACCEPT } };
      case 'extendVote':
        // Vote extensions are disabled in the devnet genesis (abci.vote_extensions_enable_height = 0).
        return { extendVote: { voteExtension: new Uint8Array(0) } };
      case 'verifyVoteExtension':
        return { verifyVoteExtension: { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT } };
      case 'finalizeBlock':
        return { finalizeBlock: this.finalizeBlock(req.finalizeBlock!) };
      case 'commit':
        return { commit: this.commit() };
      // State sync is not offered: no snapshots, refuse any offered to us.
      case 'listSnapshots':
        return { listSnapshots: { snapshots: [] } };
      case 'offerSnapshot':
        return { offerSnapshot: { result: ResponseOfferSnapshot_Result.ABORT } };
      case 'loadSnapshotChunk':
        return { loadSnapshotChunk: { chunk: new Uint8Array(0) } };
      case 'applySnapshotChunk':
        return { applySnapshotChunk: { result: ResponseApplySnapshotChunk_Result.ABORT, refetchChunks: [], rejectSenders: [] } };
      default:
        // abci/server/socket_server.go handleRequest: "unknown request from client"
        throw new Error('unknown request');
    }
  }

  private info(): NonNullable<Response['info']> {
    const info = this.ledger?.info() ?? { lastBlockHeight: 0n, lastBlockAppHash: new Uint8Array(0) };
    return {
      data: 'custos consent ledger',
      version: APP_SOFTWARE_VERSION,
      appVersion: APP_PROTOCOL_VERSION,
      lastBlockHeight: info.lastBlockHeight,
      lastBlockAppHash: info.lastBlockAppHash,
    };
  }

  private initChain(req: NonNullable<Request['initChain']>): NonNullable<Response['initChain']> {
    if (this.ledger && this.ledger.info().lastBlockHeight > 0n) {
      throw new Error(`InitChain received but the ledger is already at height ${this.ledger.info().lastBlockHeight}`);
    }
    let appState: unknown = null;
    if (req.appStateBytes.length > 0) {
      try {
        appState = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.appStateBytes));
      } catch (e) {
        throw new Error(`genesis app_state is not valid UTF-8 JSON: ${(e as Error).message}`);
      }
    }
    const validators = req.validators.map(fromPbValidatorUpdate);
    // CometBFT passes genesis initial_height (types/genesis.go: 0 means 1).
    const initialHeight = req.initialHeight > 0n ? req.initialHeight : 1n;
    const g = this.factory.fromGenesis(req.chainId, appState, initialHeight, validators);
    this.ledger = g.machine;
    this.log.info('InitChain', {
      chainId: req.chainId,
      initialHeight,
      validators: g.validators.length,
      appHash: g.appHash,
    });
    return { validators: g.validators.map(toPbValidatorUpdate), appHash: g.appHash };
  }

  private checkTx(req: NonNullable<Request['checkTx']>): NonNullable<Response['checkTx']> {
    const ledger = this.ledger;
    if (!ledger) return failure(CODE_NOT_READY, 'ledger not initialised yet (no InitChain)');
    try {
      const r = ledger.checkTx(req.tx);
      if (r.code !== 0) {
        this.log.debug('CheckTx refused', { recheck: req.type === CheckTxType.RECHECK, code: r.code, codespace: r.codespace, log: r.log });
      }
      return toResponseCheckTx(r);
    } catch (e) {
      this.log.error('CheckTx threw', { err: e });
      return failure(CODE_INTERNAL, `internal error in CheckTx: ${(e as Error).message}`);
    }
  }

  /**
   * The mempool's order, except that each signer's transactions are put in nonce order
   * (order.ts); then the longest prefix that fits max_tx_bytes (types/tx.go Txs.Validate).
   */
  private prepareProposal(req: NonNullable<Request['prepareProposal']>): NonNullable<Response['prepareProposal']> {
    let offered = req.txs;
    if (this.txOrderKey && offered.length > 1) {
      const o = orderByNonce(offered, this.txOrderKey);
      if (o.moved > 0) this.log.info('PrepareProposal put txs in nonce order', { height: req.height, moved: o.moved });
      offered = o.txs;
    }
    const txs: Uint8Array[] = [];
    let size = 0;
    for (const tx of offered) {
      const s = protoSizeOfTx(tx);
      if (BigInt(size + s) > req.maxTxBytes) break;
      size += s;
      txs.push(tx);
    }
    if (txs.length < offered.length) this.log.debug('PrepareProposal trimmed txs', { kept: txs.length, offered: offered.length });
    return { txs };
  }

  private finalizeBlock(req: NonNullable<Request['finalizeBlock']>): NonNullable<Response['finalizeBlock']> {
    const ledger = this.requireLedger('FinalizeBlock');
    const out = ledger.finalizeBlock({
      height: req.height,
      time: { seconds: req.time.seconds, nanos: req.time.nanos },
      txs: req.txs,
      proposerAddress: req.proposerAddress,
    });
    // state/execution.go: "expected tx results length to match size of transactions in block"
    if (out.txResults.length !== req.txs.length) {
      throw new Error(`ledger returned ${out.txResults.length} tx results for ${req.txs.length} txs`);
    }
    this.pendingHeight = req.height;
    this.pendingTxs = req.txs.length;
    const failed = out.txResults.filter((r) => r.code !== 0).length;
    this.log.info('FinalizeBlock', {
      height: req.height,
      txs: req.txs.length,
      failed,
      validatorUpdates: out.validatorUpdates.length,
      appHash: out.appHash,
    });
    return {
      events: toPbEvents(out.events),
      txResults: out.txResults.map(toExecTxResult),
      validatorUpdates: out.validatorUpdates.map(toPbValidatorUpdate),
      consensusParamUpdates: undefined,
      appHash: out.appHash,
    };
  }

  private commit(): NonNullable<Response['commit']> {
    const ledger = this.requireLedger('Commit');
    ledger.commit();
    const info = ledger.info();
    if (this.pendingHeight !== undefined && info.lastBlockHeight !== this.pendingHeight) {
      throw new Error(`after Commit the ledger reports height ${info.lastBlockHeight}, expected ${this.pendingHeight}`);
    }
    this.pendingHeight = undefined;
    this.txsSinceSave += this.pendingTxs;
    this.pendingTxs = 0;
    const due =
      info.lastBlockHeight - this.saved.height >= BigInt(this.persistEveryBlocks) ||
      (this.persistEveryMs > 0 && this.txsSinceSave > 0 && Date.now() - this.saved.at >= this.persistEveryMs);
    if (due) this.persistNow();
    // retain_height 0: keep every block (the auditor syncs the whole chain).
    return { retainHeight: 0n };
  }

  /** Writes the committed state to the state file, if it is newer than what is there. */
  persistNow(): void {
    const ledger = this.ledger;
    if (!ledger) return;
    const info = ledger.info();
    if (info.lastBlockHeight === 0n || info.lastBlockHeight === this.saved.height) return;
    const t0 = Date.now();
    this.store.save({ height: info.lastBlockHeight, appHash: info.lastBlockAppHash, snapshot: ledger.snapshot() });
    this.saved = { height: info.lastBlockHeight, at: Date.now() };
    this.txsSinceSave = 0;
    this.log.debug('state saved', { height: info.lastBlockHeight, ms: Date.now() - t0 });
  }

  private query(req: NonNullable<Request['query']>): NonNullable<Response['query']> {
    const base = { info: '', index: 0n, key: req.data, proofOps: undefined, codespace: '' };
    const ledger = this.ledger;
    if (!ledger) {
      return { ...base, code: CODE_NOT_READY, log: 'ledger not initialised yet', value: new Uint8Array(0), height: 0n, codespace: ABCI_CODESPACE };
    }
    try {
      const r = ledger.query(req.path, req.data);
      return { ...base, code: r.code, log: r.log, value: r.value, height: r.height };
    } catch (e) {
      this.log.error('Query threw', { path: req.path, err: e });
      return {
        ...base,
        code: CODE_INTERNAL,
        log: `internal error in Query: ${(e as Error).message}`,
        value: new Uint8Array(0),
        height: ledger.info().lastBlockHeight,
        codespace: ABCI_CODESPACE,
      };
    }
  }

  private requireLedger(what: string): Ledger {
    if (!this.ledger) throw new Error(`${what} before InitChain: the ledger has no state`);
    return this.ledger;
  }
}

function failure(code: number, log: string): NonNullable<Response['checkTx']> {
  return { code, data: new Uint8Array(0), log, info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: ABCI_CODESPACE };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}
