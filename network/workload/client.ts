// A client for the consent ledger over CometBFT JSON-RPC: signs transactions with the
// ledger's client helpers (shared/ledger/client), submits them with broadcast_tx_sync and
// waits until each is in a block, with its result.
//
// Ordering. The ledger refuses a nonce that is not above the signer's last one (PROTOCOL.md
// §2.8), and CheckTx runs against committed state only. So each signer is a lane: its
// transactions are signed with consecutive nonces and sent one after another (each
// broadcast_tx_sync answered before the next is sent) to the same node, whose mempool keeps
// them in that order; the proposer's PrepareProposal sorts any residual disorder
// (network/abci/order.ts). Lanes of different signers run in parallel, up to `concurrency`.
//
// Dependencies. A transaction that needs another's effect (an anchor needs its patient
// registered) must wait until that one is committed: `submit` takes a batch and returns when
// every transaction of the batch is in a block, so callers submit dependent work in later
// batches. Bodies may be functions, evaluated when the transaction is signed, so they can use
// ids that earlier batches produced; throwing SkipTx from one skips that transaction.
//
// Failures, all bounded: transport errors and a full mempool are retried with backoff (on
// another node if one stops answering); a CheckTx refusal that can come from a node that has
// not yet committed the previous block (not_found, invalid_state, unauthorized) is retried a
// few times; a stale nonce (replay) is refreshed from the chain; anything else is reported as
// refused. A transaction not seen in a block within the inclusion timeout is re-broadcast once;
// if it still does not appear it is reported as lost.
import { buildTx, decodeResultData, keyFromSeed, txId } from '../../shared/ledger/client/index';
import { Code, CODESPACE } from '../../shared/ledger/codes';
import type { Json } from '../../shared/ledger/encoding/canonical';
import type { TxBodies, TxKind } from '../../shared/ledger/tx/types';
import { CometRpc, RpcError, sleep } from '../client/rpc';

export interface Signer {
  seed: Uint8Array;
  /** Lower-case hex Ed25519 public key. */
  pubkey: string;
  label?: string;
}

export function signerFromSeed(seed: Uint8Array, label?: string): Signer {
  return { seed, pubkey: keyFromSeed(seed).pubkey, label };
}

/** Thrown by a body function: the transaction is not sent (e.g. what it refers to failed). */
export class SkipTx extends Error {}

export interface TxRequest<K extends TxKind = TxKind> {
  signer: Signer;
  kind: K;
  body: TxBodies[K] | (() => TxBodies[K]);
  /** Free label for the caller's bookkeeping and statistics. */
  tag?: string;
}

export interface AbciEventJson {
  type: string;
  attributes?: { key: string; value: string; index?: boolean }[];
}

export interface TxOutcome {
  request: TxRequest;
  /** ok: in a block with code 0; failed: in a block with a non-zero code; refused: CheckTx said no. */
  status: 'ok' | 'failed' | 'refused' | 'skipped' | 'lost';
  /** Transaction id (CometBFT tx hash, upper-case hex). */
  id?: string;
  nonce?: number;
  height?: number;
  index?: number;
  code?: number;
  codespace?: string;
  log?: string;
  /** TxResult.data decoded (canonical JSON), if any. */
  data?: Json;
  events?: AbciEventJson[];
}

export interface ClientStats {
  sent: number;
  included: number;
  failed: number;
  refused: number;
  skipped: number;
  lost: number;
  retries: number;
  /** ms since epoch of the first broadcast / the last inclusion. */
  firstSentAt?: number;
  lastIncludedAt?: number;
  height: number;
}

export interface LedgerClientOptions {
  /** RPC endpoints (any number; lanes are spread over the ones that answer). */
  rpc: string[];
  /** Expected chain id; taken from the first node's status when omitted. */
  chainId?: string;
  /** Signer lanes in flight at once (default 16). */
  concurrency?: number;
  /** A batch gives up on transactions not included after this long without progress (default 30 s). */
  inclusionTimeoutMs?: number;
  /** Per-request RPC timeout (default 10 s). */
  rpcTimeoutMs?: number;
  allowRemote?: boolean;
  log?: (line: string) => void;
}

interface Included {
  id: string;
  height: number;
  index: number;
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  events: AbciEventJson[];
}

interface BlockJson {
  block: { header: { height: string }; data: { txs: string[] | null } };
}
interface BlockResultsJson {
  height: string;
  txs_results: { code?: number; codespace?: string; log?: string; data?: string | null; events?: AbciEventJson[] }[] | null;
}

/** Transient transport trouble: worth retrying, possibly on another node. */
function isTransportError(e: unknown): boolean {
  return e instanceof RpcError && e.code === undefined;
}

const STATE_LAG_CODES: readonly number[] = [Code.NOT_FOUND, Code.INVALID_STATE, Code.UNAUTHORIZED];
const ABCI_CODESPACE = 'custos-abci';
const ABCI_NOT_READY = 1;

export class LedgerClient {
  readonly chainId: string;
  readonly nodes: CometRpc[];
  readonly stats: ClientStats = { sent: 0, included: 0, failed: 0, refused: 0, skipped: 0, lost: 0, retries: 0, height: 0 };
  private readonly down = new Set<number>();
  /** Last nonce this client used (or found on chain) per signer. */
  private readonly nonces = new Map<string, number>();
  private readonly watcher: BlockWatcher;
  private readonly concurrency: number;
  private readonly inclusionTimeoutMs: number;
  private readonly log: (line: string) => void;

  private constructor(nodes: CometRpc[], chainId: string, startHeight: number, o: LedgerClientOptions) {
    this.nodes = nodes;
    this.chainId = chainId;
    this.concurrency = Math.max(1, o.concurrency ?? 16);
    this.inclusionTimeoutMs = o.inclusionTimeoutMs ?? 30_000;
    this.log = o.log ?? (() => {});
    this.watcher = new BlockWatcher(this, startHeight);
  }

  /** Connects to every endpoint that answers; checks they all serve the same chain. */
  static async connect(o: LedgerClientOptions): Promise<LedgerClient> {
    if (o.rpc.length === 0) throw new Error('no RPC endpoints given');
    const nodes = o.rpc.map((u) => new CometRpc(u, { timeoutMs: o.rpcTimeoutMs ?? 10_000, allowRemote: o.allowRemote }));
    const st = await Promise.all(nodes.map((n) => n.status().catch((e: unknown) => e as Error)));
    const up = st.flatMap((s, i) => (s instanceof Error ? [] : [{ i, s }]));
    if (up.length === 0) throw new Error(`no RPC endpoint answers: ${st.map((s, i) => `${o.rpc[i]}: ${(s as Error).message}`).join('; ')}`);
    const chainId = o.chainId ?? up[0]!.s.node_info.network;
    for (const { i, s } of up) {
      if (s.node_info.network !== chainId) throw new Error(`${o.rpc[i]} serves chain ${s.node_info.network}, expected ${chainId}`);
    }
    const height = Math.max(...up.map(({ s }) => Number(s.sync_info.latest_block_height)));
    const c = new LedgerClient(nodes, chainId, height, o);
    st.forEach((s, i) => {
      if (s instanceof Error) c.down.add(i);
    });
    if (c.down.size > 0) c.log(`not answering, skipped: ${[...c.down].map((i) => o.rpc[i]).join(', ')}`);
    c.stats.height = height;
    c.watcher.start();
    return c;
  }

  async close(): Promise<void> {
    await this.watcher.stop();
  }

  /** Nodes currently believed up. */
  liveNodes(): number[] {
    const live = this.nodes.map((_, i) => i).filter((i) => !this.down.has(i));
    return live.length > 0 ? live : this.nodes.map((_, i) => i);
  }

  markDown(i: number): void {
    if (!this.down.has(i)) {
      this.down.add(i);
      this.log(`${this.nodes[i]!.url} stopped answering; using the others`);
    }
  }

  /** A node for a signer: stable (same node every time) while that node is up. */
  private nodeFor(pubkey: string): number {
    const live = this.liveNodes();
    return live[parseInt(pubkey.slice(0, 8), 16) % live.length]!;
  }

  /** A committed-state query (shared/ledger/query.ts paths); undefined when not found. */
  async query<T = Json>(path: string): Promise<T | undefined> {
    let last: unknown;
    for (const i of this.liveNodes()) {
      try {
        const r = await this.nodes[i]!.abciQuery(path);
        if (r.code === Code.NOT_FOUND) return undefined;
        if (r.code !== 0) throw new Error(`query ${path}: code ${r.code} ${r.log}`);
        return JSON.parse(new TextDecoder().decode(r.value)) as T;
      } catch (e) {
        last = e;
        if (!isTransportError(e)) throw e;
        this.markDown(i);
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  /** The signer's last used nonce on chain (0 for an account that has none yet). */
  async chainNonce(pubkey: string): Promise<number> {
    const r = await this.query<{ nonce: number }>(`/nonce/${pubkey}`);
    return r?.nonce ?? 0;
  }

  /** Tells the client a signer's last used nonce, saving a query (e.g. 0 for a key registered just now). */
  primeNonce(pubkey: string, nonce: number): void {
    if (!this.nonces.has(pubkey)) this.nonces.set(pubkey, nonce);
  }

  /**
   * Signs, sends and waits for every request; returns one outcome per request, in order.
   * Requests of one signer keep their order (consecutive nonces); different signers interleave.
   */
  async submit(requests: readonly TxRequest[]): Promise<TxOutcome[]> {
    const out: TxOutcome[] = requests.map((request) => ({ request, status: 'lost' }));
    const lanes = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const l = lanes.get(r.signer.pubkey);
      if (l) l.push(i);
      else lanes.set(r.signer.pubkey, [i]);
    });
    const pending = new Map<string, { idx: number; bytes: Uint8Array }>();
    const waits: Promise<void>[] = [];
    const queue = [...lanes.values()];
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const idx of lane) {
          const req = requests[idx]!;
          let body: unknown;
          try {
            body = typeof req.body === 'function' ? (req.body as () => unknown)() : req.body;
          } catch (e) {
            if (!(e instanceof SkipTx)) throw e;
            out[idx] = { request: req, status: 'skipped', log: e.message };
            this.stats.skipped++;
            continue;
          }
          const s = await this.send(req.signer, req.kind, body as TxBodies[TxKind]);
          if ('refused' in s) {
            out[idx] = { request: req, status: 'refused', nonce: s.nonce, code: s.code, codespace: s.codespace, log: s.log };
            this.stats.refused++;
            continue;
          }
          out[idx] = { request: req, status: 'lost', id: s.id, nonce: s.nonce };
          pending.set(s.id, { idx, bytes: s.bytes });
          waits.push(
            this.watcher.expect(s.id).then((inc) => {
              pending.delete(s.id);
              out[idx] = {
                request: req, status: inc.code === 0 ? 'ok' : 'failed', id: s.id, nonce: s.nonce, height: inc.height,
                index: inc.index, code: inc.code, codespace: inc.codespace, log: inc.log, events: inc.events,
                data: inc.code === 0 && inc.data.length > 0 ? decodeResultData(inc.data) : undefined,
              };
              if (inc.code !== 0) this.stats.failed++;
            }),
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, lanes.size)) }, worker));
    await this.awaitInclusion(waits, pending);
    for (const { idx } of pending.values()) {
      this.stats.lost++;
      out[idx]!.log = 'not seen in a block within the inclusion timeout';
    }
    for (const id of pending.keys()) this.watcher.forget(id);
    return out;
  }

  /** One request; throws unless it is included with code 0. */
  async submitOne<K extends TxKind>(req: TxRequest<K>): Promise<TxOutcome> {
    const [o] = await this.submit([req as TxRequest]);
    if (!o || o.status !== 'ok') {
      throw new Error(`${req.kind} by ${req.signer.label ?? req.signer.pubkey}: ${o?.status} ${o?.code ?? ''} ${o?.log ?? ''}`.trim());
    }
    return o;
  }

  /** Waits until every live node reports at least this height (bounded; silent on failure). */
  async syncNodes(height: number, timeoutMs = 20_000): Promise<void> {
    await Promise.all(
      this.liveNodes().map((i) => this.nodes[i]!.waitForHeight(BigInt(height), timeoutMs, 100).catch(() => this.markDown(i))),
    );
  }

  private async awaitInclusion(waits: Promise<void>[], pending: Map<string, { idx: number; bytes: Uint8Array }>): Promise<void> {
    const all = Promise.all(waits);
    let done = false;
    void all.then(() => (done = true));
    let rebroadcast = false;
    let lastProgress = Date.now();
    let lastIncluded = this.stats.included;
    while (!done) {
      await Promise.race([all, sleep(250)]);
      if (done) break;
      if (this.stats.included !== lastIncluded) {
        lastIncluded = this.stats.included;
        lastProgress = Date.now();
        continue;
      }
      if (Date.now() - lastProgress < this.inclusionTimeoutMs) continue;
      if (rebroadcast) break;
      // No inclusion for a while: re-broadcast what is missing (same bytes, same nonce) to
      // another node. A mempool that still holds it says so; one that lost it takes it back.
      rebroadcast = true;
      lastProgress = Date.now();
      this.log(`${pending.size} transaction(s) not included after ${this.inclusionTimeoutMs} ms; re-broadcasting them`);
      for (const [id, p] of pending) {
        const live = this.liveNodes();
        const node = this.nodes[live[(parseInt(id.slice(0, 6), 16) + 1) % live.length]!]!;
        try {
          const r = await node.broadcastTxSync(p.bytes);
          if (r.code !== 0) this.log(`re-broadcast of ${id} refused: code ${r.code} ${r.log}`);
        } catch (e) {
          if (!/already exists in cache/i.test((e as Error).message)) this.log(`re-broadcast of ${id}: ${(e as Error).message}`);
        }
      }
    }
  }

  private async send(
    signer: Signer, kind: TxKind, body: TxBodies[TxKind],
  ): Promise<{ id: string; nonce: number; bytes: Uint8Array } | { refused: true; nonce: number; code: number; codespace: string; log: string }> {
    let last = this.nonces.get(signer.pubkey);
    if (last === undefined) {
      last = await this.chainNonce(signer.pubkey);
      this.nonces.set(signer.pubkey, last);
    }
    let nonce = last + 1;
    let bytes = buildTx(kind, body as never, signer.seed, nonce, this.chainId);
    let replays = 0;
    const deadline = Date.now() + 60_000;
    for (let attempt = 1; ; attempt++) {
      const ni = this.nodeFor(signer.pubkey);
      const node = this.nodes[ni]!;
      let code: number, codespace: string, log: string;
      try {
        const r = await node.broadcastTxSync(bytes);
        ({ code, codespace, log } = r);
      } catch (e) {
        const msg = (e as Error).message;
        // Our own earlier attempt got through (a timeout that was not one, a re-send).
        if (/already exists in cache/i.test(msg)) return this.accepted(signer, nonce, bytes);
        if (Date.now() > deadline) return { refused: true, nonce, code: -1, codespace: 'rpc', log: msg };
        this.stats.retries++;
        if (isTransportError(e)) {
          // Count consecutive transport failures per node only loosely: one failure after a retry marks it down.
          if (attempt > 1) this.markDown(ni);
        }
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
        continue;
      }
      if (code === 0) return this.accepted(signer, nonce, bytes);
      const transient =
        (codespace === ABCI_CODESPACE && code === ABCI_NOT_READY) ||
        (codespace === CODESPACE && STATE_LAG_CODES.includes(code) && attempt <= 6);
      if (codespace === CODESPACE && code === Code.REPLAY && replays < 3) {
        // Someone else (another process, or a transaction we thought lost) used this nonce.
        replays++;
        nonce = Math.max(nonce, (await this.chainNonce(signer.pubkey)) + 1);
        bytes = buildTx(kind, body as never, signer.seed, nonce, this.chainId);
        this.stats.retries++;
        continue;
      }
      if (transient && Date.now() < deadline) {
        this.stats.retries++;
        await sleep(150 * attempt);
        continue;
      }
      return { refused: true, nonce, code, codespace, log };
    }
  }

  private accepted(signer: Signer, nonce: number, bytes: Uint8Array): { id: string; nonce: number; bytes: Uint8Array } {
    this.nonces.set(signer.pubkey, nonce);
    this.stats.sent++;
    this.stats.firstSentAt ??= Date.now();
    return { id: txId(bytes), nonce, bytes };
  }

  /** @internal for the watcher */
  onIncluded(n: number, height: number): void {
    this.stats.included += n;
    this.stats.lastIncludedAt = Date.now();
    this.stats.height = Math.max(this.stats.height, height);
  }

  /** @internal for the watcher */
  onHeight(height: number): void {
    this.stats.height = Math.max(this.stats.height, height);
  }
}

/**
 * Follows the chain block by block (/block for the transactions, /block_results for their
 * results) and resolves the waiters of the transactions it sees. Keeps the last blocks' results
 * so a waiter registered late still finds its transaction.
 */
class BlockWatcher {
  private cursor: number;
  private readonly waiters = new Map<string, (i: Included) => void>();
  private readonly recent = new Map<string, Included>();
  private readonly recentByHeight: string[][] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private node = 0;
  private static readonly KEEP_BLOCKS = 200;

  constructor(
    private readonly client: LedgerClient,
    startHeight: number,
  ) {
    this.cursor = startHeight;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  expect(id: string): Promise<Included> {
    const seen = this.recent.get(id);
    if (seen) {
      this.client.onIncluded(1, seen.height);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  forget(id: string): void {
    this.waiters.delete(id);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const live = this.client.liveNodes();
      const i = live.includes(this.node) ? this.node : live[0]!;
      const rpc = this.client.nodes[i]!;
      try {
        const h = Number(await rpc.height());
        this.client.onHeight(h);
        while (this.running && this.cursor < h) {
          const next = this.cursor + 1;
          const [b, r] = await Promise.all([rpc.block<BlockJson>(BigInt(next)), rpc.blockResults<BlockResultsJson>(BigInt(next))]);
          this.take(next, b, r);
          this.cursor = next;
        }
      } catch (e) {
        if (isTransportError(e)) {
          this.client.markDown(i);
          this.node = this.client.liveNodes()[0]!;
        }
      }
      await sleep(120);
    }
  }

  private take(height: number, b: BlockJson, r: BlockResultsJson): void {
    const txs = b.block.data.txs ?? [];
    const results = r.txs_results ?? [];
    const ids: string[] = [];
    let mine = 0;
    txs.forEach((t, index) => {
      const bytes = Buffer.from(t, 'base64');
      const id = txId(bytes);
      const res = results[index] ?? {};
      const inc: Included = {
        id, height, index, code: res.code ?? 0, codespace: res.codespace ?? '', log: res.log ?? '',
        data: res.data ? new Uint8Array(Buffer.from(res.data, 'base64')) : new Uint8Array(0), events: res.events ?? [],
      };
      ids.push(id);
      this.recent.set(id, inc);
      const w = this.waiters.get(id);
      if (w) {
        this.waiters.delete(id);
        mine++;
        w(inc);
      }
    });
    this.recentByHeight.push(ids);
    while (this.recentByHeight.length > BlockWatcher.KEEP_BLOCKS) for (const id of this.recentByHeight.shift()!) this.recent.delete(id);
    this.client.onIncluded(mine, height);
  }
}
