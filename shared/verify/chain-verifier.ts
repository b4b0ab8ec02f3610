// A resumable verifier for a full replica, one height at a time, after CometBFT 0.38
// state/validation.go validateBlock and state/execution.go ApplyBlock/updateState. Every rule
// that fails is reported (height, check, expected, found); nothing a node says is trusted:
// validator sets, consensus params, AppHash and LastResultsHash are all derived from the
// genesis and the replay. Signatures come from a batch (see signatures.ts); the sequential rules
// only look the answers up, so the batch can run on other threads.
//
// Per height h (rule → CometBFT source):
//   header.*            types/block.go Header.ValidateBasic
//   header.version      validateBlock: Version.Block = 11, Version.App = state app version
//   header.chain_id     validateBlock: ChainID = state.ChainID
//   header.height       validateBlock: InitialHeight first, then LastBlockHeight + 1
//   header.hash         /block header and /commit signed header hash to the BlockID (types/block.go Header.Hash)
//   commit.block_id     /commit certifies /block's BlockID
//   header.last_block_id validateBlock: LastBlockID = state.LastBlockID
//   header.time         validateBlock: genesis time at the initial height; later strictly after
//                       the last block and equal to MedianTime(LastCommit, LastValidators)
//   header.data_hash, header.evidence_hash, header.last_commit_hash   types/block.go Block.ValidateBasic
//   commit.* (last_commit) validateBlock: no LastCommit signatures at the initial height, else
//                       LastValidators.VerifyCommit(LastBlockID, h-1, LastCommit) (types/validation.go)
//   header.validators_hash, next_validators_hash, consensus_hash, app_hash, last_results_hash
//                       validateBlock against the derived state
//   header.proposer_address validateBlock: Validators.HasAddress
//   validators.set      the node's /validators(h) equals the derived Validators
//   commit.*            VerifyCommit(Validators, BlockID, h, /commit) — the certificate for h
//   app.replay          FinalizeBlock + Commit of the block's txs (tx signatures inside the machine)
//   results.*           the node's /block_results(h) equal the replay
//   validators.update   state/execution.go validateValidatorUpdates + validator_set.go UpdateWithChangeSet
import { bytesEqual, toHex } from '../cometbft/bytes';
import { blockIdEquals, describeBlockId, verifyCommit } from '../cometbft/commit';
import type { Ed25519Verifier } from '../cometbft/ed25519';
import { timestampNs, validateHeaderBasic } from '../cometbft/header-checks';
import { consensusParamsHash, validatorSetHash } from '../cometbft/hash';
import { formatTimestamp } from '../cometbft/timestamp';
import type { GenesisDoc } from '../cometbft/types';
import { fail, type Failure } from '../cometbft/verdict';
import { CommittedStateError, type CommittedState } from '../ledger/state/committed';
import { applyConsensusParamUpdates } from './consensus-params';
import { genesisState } from './genesis';
import type { RawHeight } from './height-input';
import { ledgerMachineFactory, type MachineFactory, type MachineHooks, type ReplayMachine, type SignatureCheck, type TxVerdict } from './machine';
import { medianTime, sameTime } from './median-time';
import { prepareHeight, type PreparedHeight } from './prepare';
import { compareResults, resultsHash, sameTxResults } from './results';
import { PORTABLE_RULES, SignatureResults, type SigRule, type SignatureBatchVerifier } from './signatures';
import { nextHeight, type VerifierState } from './state';
import { applyValidatorChanges, validateValidatorUpdates, validatorSetDifference } from './validator-updates';

export interface VerifierOptions {
  /** The application to replay (default: the consent ledger). */
  machine?: MachineFactory;
  /** Header version.app to require (default LEDGER_APP_VERSION). */
  appVersion?: bigint;
  /** Verifiers for signatures a batch did not cover (default: portable). */
  fallback?: Readonly<Record<SigRule, Ed25519Verifier>>;
}

export interface HeightOutcome {
  height: bigint;
  failures: Failure[];
  /** True when nothing after this height can be verified (no block to replay, or the replay threw). */
  halted: boolean;
  txs: number;
  commitSignatures: number;
  txSignatures: number;
  validatorChanges: number;
  /** Signature questions the batch had not answered (verified here instead). */
  signatureMisses: number;
}

const hex = (b: Uint8Array | null): string => (b === null ? '(none)' : toHex(b) || '(empty)');

/** Key verdicts kept across heights (a key checked once is checked for good; gov proposals re-check keys when they pass). */
const KNOWN_KEYS_MAX = 65_536;

export class ChainVerifier {
  private txCheck: SignatureCheck;
  private txVerdict: TxVerdict = () => undefined;
  private readonly knownKeys = new Map<string, boolean>();
  private haltedAt: Failure | null = null;

  private constructor(private st: VerifierState, private machine: ReplayMachine | null, private readonly opts: VerifierOptions) {
    this.txCheck = (s, m, p) => (opts.fallback ?? PORTABLE_RULES)['ledger-tx'].verify(s, m, p);
  }

  /** What the machine asks through: always the current height's answers. */
  private hooks(): MachineHooks {
    return { verifySignature: (s, m, p) => this.txCheck(s, m, p), txVerdict: (id) => this.txVerdict(id), keyCheck: (k) => this.knownKeys.get(k) };
  }

  /** The verifier at genesis, or the genesis failure. */
  static fromGenesis(genesis: GenesisDoc, opts: VerifierOptions = {}): ChainVerifier | Failure {
    const v = new ChainVerifier(null as unknown as VerifierState, null, opts);
    const g = genesisState(genesis, {
      factory: opts.machine ?? ledgerMachineFactory,
      hooks: v.hooks(),
      ...(opts.appVersion !== undefined ? { appVersion: opts.appVersion } : {}),
    });
    if ('ok' in g) return g;
    v.st = g.state;
    v.machine = g.machine;
    return v;
  }

  /**
   * A verifier resumed from a checkpoint: its state, and the machine's snapshot taken at the same
   * height or the committed state the host kept (checked against the state's app hash).
   */
  static restore(state: VerifierState, machine: Uint8Array | CommittedState, opts: VerifierOptions = {}): ChainVerifier {
    const v = new ChainVerifier(state, null, opts);
    const factory = opts.machine ?? ledgerMachineFactory;
    if (machine instanceof Uint8Array) v.machine = factory.restore(machine, v.hooks());
    else if (factory.resume) v.machine = factory.resume(machine, state.appHash, v.hooks());
    else throw new Error('this machine cannot resume over a committed state');
    return v;
  }

  get state(): Readonly<VerifierState> {
    return this.st;
  }

  get nextHeight(): bigint {
    return nextHeight(this.st);
  }

  get halted(): Failure | null {
    return this.haltedAt;
  }

  /** State and machine snapshot, consistent with each other (for a checkpoint). */
  snapshot(): { state: VerifierState; machine: Uint8Array } {
    return { state: this.st, machine: this.machine!.snapshot() }; // states are replaced, never mutated
  }

  /** As snapshot(), with the machine's bytes in parts when the machine offers them. */
  snapshotParts(): { state: VerifierState; machine: Uint8Array[] } {
    const m = this.machine!;
    return { state: this.st, machine: m.snapshotParts ? m.snapshotParts() : [m.snapshot()] };
  }

  /** prepareHeight with the public keys of the derived sets for this height and the one before. */
  prepare(raw: RawHeight): PreparedHeight {
    return prepareHeight(raw, { chainId: this.st.chainId, keySets: [this.st.validators, this.st.lastValidators] });
  }

  /** Prepare, check the signatures in one batch, apply. */
  async verifyHeight(raw: RawHeight, batch: SignatureBatchVerifier): Promise<HeightOutcome> {
    const p = this.prepare(raw);
    const answers = await batch.verifyBatch(p.tasks);
    return this.apply(p, new SignatureResults(this.opts.fallback).addTasks(p.tasks, answers));
  }

  /** Every rule for the next height, then the state transition. `p` must be for nextHeight. */
  apply(p: PreparedHeight, sigs: SignatureResults): HeightOutcome {
    const s = this.st;
    const h = nextHeight(s);
    if (this.haltedAt) throw new Error(`verification halted at height ${this.haltedAt.height}`);
    if (p.height !== h) throw new RangeError(`apply: expected height ${h}, got ${p.height}`);
    const failures: Failure[] = [...p.decoded.failures];
    const push = (f: Failure | null | undefined): void => {
      if (f) failures.push(f);
    };
    const outcome = (halted: boolean, extra: Partial<HeightOutcome> = {}): HeightOutcome => {
      if (halted) {
        this.st = { ...s, counters: { ...s.counters, failures: s.counters.failures + failures.length } };
        this.haltedAt = failures.find((f) => f.check === 'decode' || f.check === 'app.replay') ?? failures[0] ?? fail(h, 'app.replay', 'a block', 'none');
      }
      return { height: h, failures, halted, txs: 0, commitSignatures: 0, txSignatures: 0, validatorChanges: 0, signatureMisses: sigs.misses, ...extra };
    };
    const br = p.decoded.block;
    if (!br) return outcome(true); // nothing to replay: the decode failure says why
    const b = br.block, hd = b.header, c = p.decoded.commit;
    const consensus = sigs.verifier('consensus');

    // Block.ValidateBasic (header part) and the basic info of validateBlock.
    const basic = validateHeaderBasic(hd);
    if (!basic.ok) push({ ...basic, height: h });
    if (hd.version.app !== s.appVersion) push(fail(h, 'header.version', `app version ${s.appVersion}`, String(hd.version.app)));
    if (hd.chainId !== s.chainId) push(fail(h, 'header.chain_id', JSON.stringify(s.chainId), JSON.stringify(hd.chainId)));
    if (hd.height !== h) push(fail(h, 'header.height', String(h), String(hd.height)));

    // The block is the one its BlockID names, and the one /commit certifies.
    if (!bytesEqual(p.blockHeaderHash!, br.blockId.hash)) {
      push(fail(h, 'header.hash', `${hex(br.blockId.hash)} (/block block_id)`, hex(p.blockHeaderHash), 'hash of the /block header'));
    }
    if (c) {
      if (!blockIdEquals(c.commit.blockId, br.blockId)) push(fail(h, 'commit.block_id', `${describeBlockId(br.blockId)} (/block block_id)`, describeBlockId(c.commit.blockId)));
      if (!bytesEqual(p.commitHeaderHash!, c.commit.blockId.hash)) {
        push(fail(h, 'header.hash', `${hex(c.commit.blockId.hash)} (/commit block_id)`, hex(p.commitHeaderHash), 'hash of the /commit signed header'));
      }
    }
    if (!blockIdEquals(hd.lastBlockId, s.lastBlockId)) {
      push(fail(h, 'header.last_block_id', `${describeBlockId(s.lastBlockId)}${s.lastHeight ? ` (block ${s.lastHeight})` : ''}`, describeBlockId(hd.lastBlockId)));
    }

    // Time.
    if (h === s.initialHeight) {
      if (!sameTime(hd.time, s.genesisTime)) push(fail(h, 'header.time', `${formatTimestamp(s.genesisTime)} (the genesis time)`, formatTimestamp(hd.time)));
    } else if (timestampNs(hd.time) <= timestampNs(s.lastBlockTime)) {
      push(fail(h, 'header.time', `a time after ${formatTimestamp(s.lastBlockTime)} (block ${s.lastHeight})`, formatTimestamp(hd.time)));
    } else if (b.lastCommit) {
      const m = medianTime(b.lastCommit, s.lastValidators);
      if ('error' in m) push(fail(h, 'header.time', 'the median time of the last commit', 'none', m.error));
      else if (!sameTime(m.time, hd.time)) push(fail(h, 'header.time', `${formatTimestamp(m.time)} (MedianTime of the last commit)`, formatTimestamp(hd.time)));
    }

    // Block.ValidateBasic: the hashes of the block's own contents.
    if (!bytesEqual(hd.dataHash, p.dataHash!)) push(fail(h, 'header.data_hash', hex(p.dataHash), hex(hd.dataHash), 'Merkle root of the block txs'));
    const ev = p.evidenceHash;
    if (ev && 'error' in ev) push(fail(h, 'header.evidence_hash', 'evidence Custos can hash', ev.error));
    else if (ev && !bytesEqual(hd.evidenceHash, ev)) push(fail(h, 'header.evidence_hash', hex(ev), hex(hd.evidenceHash)));
    if (!b.lastCommit) push(fail(h, 'header.last_commit_hash', 'a block with a last_commit', 'none'));
    else if (!bytesEqual(hd.lastCommitHash, p.lastCommitHash!)) push(fail(h, 'header.last_commit_hash', hex(p.lastCommitHash), hex(hd.lastCommitHash)));

    // LastCommit: the certificate for h-1.
    const before = sigs.checkedByRule.consensus;
    if (h === s.initialHeight) {
      if (b.lastCommit && b.lastCommit.signatures.length !== 0) {
        push(fail(h, 'commit.size', 'no LastCommit signatures in the initial block', String(b.lastCommit.signatures.length)));
      }
    } else if (b.lastCommit) {
      const v = verifyCommit(s.chainId, s.lastValidators, s.lastBlockId, h - 1n, b.lastCommit, consensus);
      if (!v.ok) push({ ...v, height: h, detail: `block ${h} last_commit (the certificate for height ${h - 1n})${v.detail ? `: ${v.detail}` : ''}` });
    }

    // validateBlock against the derived state.
    const vh = validatorSetHash(s.validators), nvh = validatorSetHash(s.nextValidators), ch = consensusParamsHash(s.consensusParams);
    if (!bytesEqual(hd.validatorsHash, vh)) push(fail(h, 'header.validators_hash', hex(vh), hex(hd.validatorsHash), 'hash of the derived validator set'));
    if (!bytesEqual(hd.nextValidatorsHash, nvh)) push(fail(h, 'header.next_validators_hash', hex(nvh), hex(hd.nextValidatorsHash), 'hash of the derived next validator set'));
    if (!bytesEqual(hd.consensusHash, ch)) push(fail(h, 'header.consensus_hash', hex(ch), hex(hd.consensusHash), 'hash of the derived consensus params'));
    if (!bytesEqual(hd.appHash, s.appHash)) {
      push(fail(h, 'header.app_hash', hex(s.appHash), hex(hd.appHash), h === s.initialHeight ? 'InitChain app hash' : `app hash after replaying block ${h - 1n}`));
    }
    if (!bytesEqual(hd.lastResultsHash, s.lastResultsHash)) {
      push(fail(h, 'header.last_results_hash', hex(s.lastResultsHash), hex(hd.lastResultsHash), h === s.initialHeight ? 'the empty results hash' : `results of replaying block ${h - 1n}`));
    }
    if (!s.validators.validators.some((v) => bytesEqual(v.address, hd.proposerAddress))) {
      push(fail(h, 'header.proposer_address', 'a validator of this height', toHex(hd.proposerAddress)));
    }

    // The node's /validators must be the derived set.
    const nv = p.decoded.validators;
    if (nv) {
      if (nv.blockHeight !== null && nv.blockHeight !== h) push(fail(h, 'validators.set', `the set at height ${h}`, `the set at height ${nv.blockHeight}`, '/validators block_height'));
      if (nv.total !== null && nv.total !== nv.set.validators.length) push(fail(h, 'validators.set', `all ${nv.total} validators`, `${nv.set.validators.length}`, '/validators is incomplete'));
      const d = validatorSetDifference(s.validators, nv.set);
      if (d) push(fail(h, 'validators.set', d.expected, d.found, `/validators: ${d.detail}`));
    }

    // The certificate for h.
    if (c) {
      const v = verifyCommit(s.chainId, s.validators, br.blockId, h, c.commit, consensus);
      if (!v.ok) push({ ...v, height: h, detail: `/commit at height ${h}${v.detail ? `: ${v.detail}` : ''}` });
    }
    const commitSignatures = sigs.checkedByRule.consensus - before;

    // Replay (state/execution.go ApplyBlock: FinalizeBlock, then Commit).
    const txBefore = sigs.checkedByRule['ledger-tx'];
    let res;
    try {
      this.txCheck = sigs.verifier('ledger-tx').verify;
      this.txVerdict = (id) => sigs.txVerdict(id);
      for (const [k, ok] of p.keyVerdicts ?? []) {
        if (this.knownKeys.size >= KNOWN_KEYS_MAX) this.knownKeys.clear();
        this.knownKeys.set(k, ok);
      }
      // p.txHashes were computed from these very bytes (prepare.ts), so the replay's tx ids need no hashing again.
      const txHashes = p.txHashes?.length === 32 * b.txs.length ? { txHashes: p.txHashes } : {};
      res = this.machine!.finalizeBlock({ height: h, time: hd.time, txs: b.txs, ...txHashes, proposerAddress: hd.proposerAddress });
      this.machine!.commit();
    } catch (e) {
      if (e instanceof CommittedStateError) throw e; // the host's state store failed, not the block
      push(fail(h, 'app.replay', 'FinalizeBlock and Commit to succeed', (e as Error)?.message ?? String(e)));
      return outcome(true, { commitSignatures });
    }
    const txSignatures = sigs.checkedByRule['ledger-tx'] - txBefore;
    for (const f of compareResults(h, res, p.decoded.results)) push(f);

    // updateState: validator updates reach NextValidators (they sign h+2), params apply at h+1.
    let next = s.nextValidators;
    const vf = validateValidatorUpdates(res.validatorUpdates, s.consensusParams.validator, h);
    if (vf) push(vf);
    else {
      const u = applyValidatorChanges(s.nextValidators, res.validatorUpdates, true, h);
      if ('ok' in u) push(u);
      else next = u;
    }
    const params = applyConsensusParamUpdates(s.consensusParams, res.consensusParamUpdates);
    this.st = {
      ...s,
      lastHeight: h,
      // The BlockID the validators signed (the /commit's); /block's when /commit is unreadable.
      lastBlockId: c ? c.commit.blockId : br.blockId,
      lastBlockTime: hd.time,
      lastValidators: s.validators,
      validators: s.nextValidators,
      nextValidators: next,
      consensusParams: params,
      // updateState: any params update sets Version.Consensus.App from the new params.
      appVersion: res.consensusParamUpdates ? params.version.app : s.appVersion,
      appHash: res.appHash,
      // types/results.go ABCIResults.Hash over the deterministic fields (the node's, hashed ahead, when equal).
      lastResultsHash: p.resultsHash && sameTxResults(res, p.decoded.results) ? p.resultsHash : resultsHash(res.txResults),
      counters: {
        blocks: s.counters.blocks + 1,
        txs: s.counters.txs + b.txs.length,
        signatures: s.counters.signatures + commitSignatures + txSignatures,
        commitSignatures: s.counters.commitSignatures + commitSignatures,
        txSignatures: s.counters.txSignatures + txSignatures,
        validatorChanges: s.counters.validatorChanges + (next === s.nextValidators ? 0 : res.validatorUpdates.length),
        failures: s.counters.failures + failures.length,
      },
    };
    return {
      ...outcome(false),
      txs: b.txs.length, commitSignatures, txSignatures, validatorChanges: next === s.nextValidators ? 0 : res.validatorUpdates.length,
    };
  }
}
