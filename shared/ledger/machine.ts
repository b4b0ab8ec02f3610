// The consent-ledger state machine (PROTOCOL.md §11): a pure function of genesis and blocks.
// CometBFT calls it through the ABCI server in network/; the console replays blocks through
// it and compares each AppHash with the one the next header commits to.
import { AppHasher } from './apphash';
import { genesisEntries, parseAppState } from './appstate';
import { Code, CODESPACE, TxError } from './codes';
import { canonicalBytes, canonicalString, parseCanonical, type Json } from './encoding/canonical';
import { utf8EncodeWellFormed } from './encoding/utf8';
import { fromHex, toHexLower, toHexUpper } from './encoding/hex';
import { event, type AbciEvent } from './abci-event';
import { withHost, type Sha256 } from './hash';
import type { Policy } from './policy';
import { runQuery } from './query';
import { accessRecord, breakGlassReview } from './rules/access';
import { consentGrant, consentRevoke } from './rules/consent';
import { isValidKey, type TxContext } from './rules/context';
import { endBlockGovernance, govPropose, govVote } from './rules/governance';
import { memberAdd, memberEnd, memberRoles, patientRegister, proxyGrant, proxyRevoke } from './rules/identity';
import { recordAmend, recordAnchor } from './rules/records';
import { K, StateView, type Account, type Meta } from './state';
import { MapState, type CommittedState, type StateCommitment, type StateWrite } from './state/committed';
import { Overlay } from './state/store';
import { txSignBytes } from './tx/decode';
import { decodeTx, verifyEd25519 } from './tx/envelope';
import { DecodeError } from './tx/fields';
import type { TxBodies, TxKind } from './tx/types';

export type { AbciEvent } from './abci-event';

export interface TxResult { code: number; data: Uint8Array; log: string; codespace: string; gasWanted: bigint; gasUsed: bigint; events: AbciEvent[] }
export interface ValidatorUpdate { pubKeyType: 'ed25519'; pubKey: Uint8Array; power: bigint }
export interface BlockInput {
  height: bigint;
  time: { seconds: bigint; nanos: number };
  txs: Uint8Array[];
  /** The SHA-256 of each tx (§2.3 tx id), 32 bytes each in order, when the caller has them; they must be of exactly `txs`. */
  txHashes?: Uint8Array;
  proposerAddress: Uint8Array;
}
export interface BlockOutput { txResults: TxResult[]; validatorUpdates: ValidatorUpdate[]; events: AbciEvent[]; appHash: Uint8Array }
export interface QueryResult { code: number; value: Uint8Array; log: string; height: bigint }

export interface MachineOptions {
  /**
   * Replaces the Ed25519 check (default: @noble/curves, RFC 8032 with canonical encodings and
   * small-order keys refused, §2.7). A host may pass a faster native verifier only if it
   * implements the same rule; otherwise replicas could disagree on crafted signatures.
   */
  verifySignature?: (sig: Uint8Array, msg: Uint8Array, pubKey: Uint8Array) => boolean;
  /**
   * Replaces SHA-256 for tx ids, state keys and values of HOST_HASH_MIN (128) bytes or more;
   * shorter ones, and the 65-byte §7.2 trie nodes, are hashed portably (hash.ts), which is
   * cheaper than a call into native code. A host may pass a native one (node:crypto); it must
   * compute exactly SHA-256 (a string argument: its UTF-8), so every result is unchanged.
   */
  sha256?: Sha256;
  /**
   * A signature verdict already reached elsewhere, by transaction id (upper-case hex SHA-256 of
   * the tx bytes): e.g. the console's verifier, whose worker threads decoded the same bytes and
   * checked the same §2.7 rule. true/false is the answer for that tx's signature; undefined
   * (not known) leaves the check to verifySignature. Never a way to skip the check: a host
   * answers only for signatures it has verified.
   */
  txVerdict?: (txId: string) => boolean | undefined;
  /**
   * A key verdict already reached elsewhere, by lower-case hex key: whether it is a canonical
   * Ed25519 point encoding of full order (§2.7, rules/context.ts isValidKey), the check the rules
   * make on every key they bind to an identity (rules/keys.ts keysValidatedBy lists them per tx).
   * E.g. the console's verifier, whose worker threads ran isValidKey on those keys. true/false is
   * the answer for that key; undefined (not known) leaves the check to this machine. Never a way
   * to skip the check: a host answers only for keys it has checked with the same rule.
   */
  keyCheck?: (hexKey: string) => boolean | undefined;
  /**
   * Makes the empty committed state that fromGenesis and restore fill (default: a MapState, every
   * value in memory). A host may keep the values elsewhere, e.g. on disk; open() resumes over one.
   */
  newState?: () => CommittedState;
}

type Rule<K extends TxKind> = (ctx: TxContext, body: TxBodies[K]) => void;
const RULES: { [K in TxKind]: Rule<K> } = {
  'member.add': memberAdd,
  'member.roles': memberRoles,
  'member.end': memberEnd,
  'patient.register': patientRegister,
  'proxy.grant': proxyGrant,
  'proxy.revoke': proxyRevoke,
  'record.anchor': recordAnchor,
  'record.amend': recordAmend,
  'consent.grant': consentGrant,
  'consent.revoke': consentRevoke,
  'access.record': accessRecord,
  'breakglass.review': breakGlassReview,
  'gov.propose': govPropose,
  'gov.vote': govVote,
};

const SNAPSHOT_FORMAT = 'custos-ledger-snapshot/1';
const SIG_CACHE_MAX = 100_000;
const EMPTY = new Uint8Array(0);

function result(code: number, log: string, events: AbciEvent[] = [], data: Uint8Array = EMPTY): TxResult {
  return { code, data, log, codespace: code === 0 ? '' : CODESPACE, gasWanted: 0n, gasUsed: 0n, events };
}

/** The committed state holding `entries`: a MapState of them, or the host's (newState) filled with them. */
function stateOf(entries: Map<string, Json>, opts: MachineOptions): CommittedState {
  if (!opts.newState) return new MapState(entries);
  const s = opts.newState();
  s.apply([...entries].map(([key, value]) => ({ key, value, canonical: canonicalString(value) })));
  return s;
}

function toSafe(n: bigint, what: string): number {
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} ${n} is out of range`);
  return Number(n);
}

export class LedgerMachine {
  private readonly committed: CommittedState;
  /** The state's own commitment (CommittedState.commitment), else an AppHasher built from it. */
  private readonly hasher: StateCommitment;
  private readonly sha256: Sha256;
  private committedHash: Uint8Array;
  /** The block applied by finalizeBlock and not yet committed; the hasher already includes it. */
  private pending: { writes: StateWrite[]; appHash: Uint8Array } | null = null;
  /** Ids of transactions whose signature already verified (a cache; not state). */
  private readonly verified = new Set<string>();
  private readonly verify: (sig: Uint8Array, msg: Uint8Array, pub: Uint8Array) => boolean;
  private readonly txVerdict: ((txId: string) => boolean | undefined) | undefined;
  private readonly validKey: (pk: string) => boolean;

  private constructor(state: CommittedState, opts: MachineOptions) {
    this.committed = state;
    this.sha256 = withHost(opts.sha256);
    this.hasher = state.commitment ?? AppHasher.of(state, opts.sha256);
    this.committedHash = this.hasher.root();
    this.verify = opts.verifySignature ?? verifyEd25519;
    this.txVerdict = opts.txVerdict;
    const keyCheck = opts.keyCheck;
    this.validKey = keyCheck ? (pk) => keyCheck(pk) ?? isValidKey(pk) : isValidKey;
  }

  /** InitChain (§10): the state before the first block, the validator set, and the genesis AppHash. */
  static fromGenesis(
    chainId: string, appState: unknown, initialHeight: bigint, genesisValidators: ValidatorUpdate[], opts: MachineOptions = {},
  ): { machine: LedgerMachine; validators: ValidatorUpdate[]; appHash: Uint8Array } {
    const app = parseAppState(appState);
    const { entries, validators } = genesisEntries(chainId, app, toSafe(initialHeight, 'initial height'), genesisValidators);
    const machine = new LedgerMachine(stateOf(entries, opts), opts);
    return {
      machine,
      validators: validators.map((v) => ({ pubKeyType: 'ed25519', pubKey: fromHex(v.pub_key), power: BigInt(v.power) })),
      appHash: machine.committedHash,
    };
  }

  /** Rebuilds a machine from snapshot() bytes, checking the recorded AppHash (§7.3). */
  static restore(snapshot: Uint8Array, opts: MachineOptions = {}): LedgerMachine {
    const root = parseCanonical(snapshot) as { format?: unknown; app_hash?: unknown; state?: unknown };
    if (root.format !== SNAPSHOT_FORMAT || typeof root.app_hash !== 'string' || typeof root.state !== 'object' || root.state === null || Array.isArray(root.state)) {
      throw new Error('not a custos ledger snapshot');
    }
    const entries = new Map<string, Json>(Object.entries(root.state as Record<string, Json>));
    const m = new LedgerMachine(stateOf(entries, opts), opts);
    if (toHexLower(m.committedHash) !== root.app_hash) throw new Error('snapshot state does not match its recorded app hash');
    return m;
  }

  /**
   * A machine over a committed state kept by the host (e.g. a state log on disk), checked
   * against the AppHash recorded with it (§7.2): the trie is rebuilt from every entry (or the
   * state's own commitment, which it checked against its entries), so a state that differs from
   * the one committed to in any entry is refused.
   */
  static open(state: CommittedState, appHash: Uint8Array, opts: MachineOptions = {}): LedgerMachine {
    const m = new LedgerMachine(state, opts);
    if (toHexLower(m.committedHash) !== toHexLower(appHash)) throw new Error('committed state does not match its recorded app hash');
    return m;
  }

  /** The number of entries in the committed state. */
  get stateSize(): number {
    return this.committed.size;
  }

  get chainId(): string {
    return this.meta().chain_id;
  }

  private meta(): Meta {
    return this.committed.get(K.meta) as unknown as Meta;
  }

  /** CheckTx (§11.2): every check FinalizeBlock makes, against committed state, without keeping any write. */
  checkTx(tx: Uint8Array): TxResult {
    const meta = this.meta();
    const overlay = new Overlay(this.committed);
    const height = meta.height === 0 ? meta.initial_height : meta.height + 1;
    return this.applyTx(overlay, tx, height, meta.time, new StateView(overlay).policy());
  }

  /** FinalizeBlock (§11.3): applies the block's transactions in order, then end-of-block governance. */
  finalizeBlock(block: BlockInput): BlockOutput {
    if (this.pending) this.rollback();
    const meta = this.meta();
    const height = toSafe(block.height, 'block height');
    const expected = meta.height === 0 ? meta.initial_height : meta.height + 1;
    if (height !== expected) throw new Error(`finalizeBlock at height ${height}, expected ${expected}`);
    const time = toSafe(block.time.seconds, 'block time');
    const overlay = new Overlay(this.committed);
    const st = new StateView(overlay);
    st.put(K.meta, { ...meta, height, time });
    // Only end-of-block governance (§9.3) changes the policy: every tx sees the one in force now.
    const policy = st.policy();
    const ids = block.txHashes?.length === 32 * block.txs.length ? block.txHashes : null;
    const txResults = block.txs.map((tx, i) => this.applyTx(overlay, tx, height, time, policy, ids?.subarray(32 * i, 32 * i + 32)));
    const events: AbciEvent[] = [];
    const validatorUpdates = new Map<string, number>();
    endBlockGovernance({ st, height, time, events, validatorUpdates, validKey: this.validKey });
    // Each value's canonical JSON once: for the AppHash now, for the committed state at Commit.
    const writes: StateWrite[] = [];
    for (const [key, value] of overlay.writes) {
      const canonical = value === null ? null : canonicalString(value);
      this.hasher.writeCanonical(key, canonical);
      writes.push({ key, value, canonical });
    }
    const appHash = this.hasher.root();
    this.pending = { writes, appHash };
    const updates: ValidatorUpdate[] = [...validatorUpdates.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([pk, power]) => ({ pubKeyType: 'ed25519', pubKey: fromHex(pk), power: BigInt(power) }));
    return { txResults, validatorUpdates: updates, events, appHash };
  }

  /** Commit (§11.4): the finalized block's state becomes the committed state. */
  commit(): void {
    if (!this.pending) throw new Error('commit without finalizeBlock');
    this.committed.apply(this.pending.writes);
    this.committedHash = this.pending.appHash;
    this.pending = null;
  }

  /** Info (§11.1): height 0 until the first block is committed. */
  info(): { lastBlockHeight: bigint; lastBlockAppHash: Uint8Array } {
    return { lastBlockHeight: BigInt(this.meta().height), lastBlockAppHash: this.committedHash };
  }

  /** Query (§12) against committed state; value is canonical JSON. */
  query(path: string, data: Uint8Array): QueryResult {
    const c = this.committed;
    const r = runQuery(new StateView(c), c, path, data);
    return { code: r.code, value: r.value === undefined ? EMPTY : canonicalBytes(r.value), log: r.log, height: BigInt(this.meta().height) };
  }

  /** §7.3: canonical JSON of the committed state and its AppHash; deterministic. */
  snapshot(): Uint8Array {
    return this.snapshotParts(Infinity)[0]!;
  }

  /**
   * The canonical JSON of {format, app_hash, state} (§7.3), in parts of about `partBytes` each,
   * so a large state is never one string plus its bytes in memory (RFC 8785 order: members sorted by UTF-16 code units,
   * which is what Array.prototype.sort compares; top-level keys app_hash < format < state).
   */
  snapshotParts(partBytes = 1 << 20): Uint8Array[] {
    const parts: Uint8Array[] = [];
    let text = `{"app_hash":${canonicalString(toHexLower(this.committedHash))},"format":${canonicalString(SNAPSHOT_FORMAT)},"state":{`;
    const keys = [...this.committed.keys()].sort();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      text += `${i ? ',' : ''}${canonicalString(k)}:${this.committed.canonical(k)!}`;
      // canonicalString refuses lone surrogates, so each part's text is well-formed on its own.
      if (text.length >= partBytes) { parts.push(utf8EncodeWellFormed(text)); text = ''; }
    }
    parts.push(utf8EncodeWellFormed(`${text}}}`));
    return parts;
  }

  /** Undoes an uncommitted finalizeBlock in the hasher (the committed state was never touched). */
  private rollback(): void {
    if (this.hasher.discard) this.hasher.discard();
    else for (const w of this.pending!.writes) this.hasher.writeCanonical(w.key, this.committed.canonical(w.key) ?? null);
    this.pending = null;
  }

  /** §11.2 steps 1–8 for one transaction, writing into `block` only what a successful (or authenticated) tx writes. */
  private applyTx(block: Overlay, bytes: Uint8Array, height: number, time: number, policy: Policy, hash?: Uint8Array): TxResult {
    const txId = toHexUpper(hash ?? this.sha256(bytes));
    let tx;
    try {
      tx = decodeTx(bytes);
    } catch (e) {
      if (e instanceof DecodeError) return result(Code.MALFORMED, `malformed: ${e.message}`);
      throw e;
    }
    const st = new StateView(block);
    const meta = st.meta();
    if (tx.chain_id !== meta.chain_id) return result(Code.WRONG_CHAIN, `chain_id ${JSON.stringify(tx.chain_id)} is not ${JSON.stringify(meta.chain_id)}`);
    if (!this.verified.has(txId)) {
      const known = this.txVerdict?.(txId);
      const ok = known ?? this.verify(fromHex(tx.sig), txSignBytes(bytes, tx), fromHex(tx.signer));
      if (!ok) return result(Code.BAD_SIGNATURE, 'signature does not verify');
      // Only what this machine verified itself: the host can answer its own verdicts again.
      if (known === undefined) {
        if (this.verified.size >= SIG_CACHE_MAX) this.verified.clear();
        this.verified.add(txId);
      }
    }
    const accountKey = K.account(tx.signer);
    const account = st.get<Account>(accountKey);
    if (!account) return result(Code.UNKNOWN_SIGNER, `signer ${tx.signer} has no account`);
    if (tx.nonce <= account.nonce) return result(Code.REPLAY, `nonce ${tx.nonce} is not greater than the last used nonce ${account.nonce}`);
    const ctx: TxContext = {
      st, chainId: meta.chain_id, height, time, txId, signer: tx.signer, policy, events: [], validKey: this.validKey,
    };
    // §2.9 step 7: the rule's writes stay only if it accepts the transaction.
    block.begin();
    let refused: TxError | undefined;
    try {
      (RULES[tx.kind] as Rule<TxKind>)(ctx, tx.body as never);
      block.keep();
    } catch (e) {
      block.undo();
      if (!(e instanceof TxError)) throw e;
      refused = e;
    }
    const res = refused ? result(refused.code, refused.message) : result(Code.OK, '',
      [event('custos_tx', { id: txId, kind: tx.kind, signer: tx.signer, nonce: tx.nonce }), ...ctx.events],
      ctx.data ? canonicalBytes(ctx.data) : EMPTY);
    // §2.8: an authenticated transaction uses up its nonce even when a rule refuses it.
    block.set(accountKey, { nonce: tx.nonce });
    return res;
  }
}
