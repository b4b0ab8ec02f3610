// The sync engine: fills the replica store from several untrusted CometBFT endpoints.
//
//   genesis    fetched once (from the first endpoint that serves it), hashed (genesis.ts) and
//              refused when it differs from the pin; stored as genesis.json.
//   plan       the heights the store lacks (store.missing) from the initial height up to the
//              target, in work units ("chunks") of up to 20 consecutive heights. The target is
//              the second-highest endpoint tip - 1 (so a second endpoint can vouch for every
//              height, and every commit is canonical), capped by `to`. Follow mode polls /status.
//   fetch      each chunk goes to the least-loaded healthy endpoint (its "primary"), which
//              serves /block, /commit, /validators, /block_results per height (and the next
//              height's header, from /blockchain) in batch POSTs; all of it must pass
//              height-checks.ts. Meanwhile the other healthy endpoints ("witnesses", `witnesses`
//              caps how many) each serve /blockchain for the chunk: one cheap request naming
//              every height's BlockID. Several chunks are in flight across endpoints.
//   memory     bounded by bytes, whatever the block size: payloads received and not yet
//              written, plus what the POSTs in flight are expected to bring (from the bytes per
//              height seen so far), stay under a budget (memoryBudgetBytes, 16 MiB; only the
//              chunk at the write point is started past it), and a chunk is cut to an eighth of
//              it (fewer heights when blocks are large).
//   write      chunks are written in height order (a bounded reorder window) and flushed in
//              batches, in the background; a flushed height is durable. Cancelling or failing
//              flushes first.
//   disputes   when a witness names another BlockID than the primary, every healthy endpoint
//              is asked for its signed header (/commit); a witness that cannot back its claim
//              with one is set aside. Two or more self-consistent headers are a fork: all are
//              saved as evidence (forks.jsonl) and reported. If exactly one of them is certified
//              by the known validator set (the previous block's NextValidatorsHash, or genesis)
//              and links to the known previous block, the sync continues with it and sets the
//              others' endpoints aside (resolution "preferred", reported); otherwise nothing is
//              written at or above that height and the sync stops (SyncError 'fork').
//   health     an endpoint that times out, errors, serves malformed, oversized or inconsistent
//              data is set aside with its reason (endpoints.ts); its work goes to the others.

import { join } from 'node:path';
import { blockIdEquals } from '../../../shared/cometbft/commit';
import { decodeBlockResponse } from '../../../shared/cometbft/decode';
import type { Ed25519Verifier } from '../../../shared/cometbft/ed25519';
import { validatorSetHash } from '../../../shared/cometbft/hash';
import type { LinkedHeader } from '../../../shared/cometbft/header-checks';
import type { BlockId, ValidatorSet } from '../../../shared/cometbft/types';
import { nativeEd25519 } from '../../crypto/ed25519-native';
import { writeJsonAtomic, writeProfile, type StoreRecord } from '../store';
import { sleep } from './concurrency';
import { Endpoint, pickEndpoint, problemOf } from './endpoints';
import { resolveDispute, type Claim, type DisputeContext } from './disputes';
import { fetchHeights } from './fetch-heights';
import type { ForkEvidence, KnownState } from './fork-evidence';
import { fetchGenesis, parseGenesis } from './genesis';
import { checkCanonicalCommits, checkHeight, checkMetas, type CheckedHeight } from './height-checks';
import { RateMeter } from './rate';
import { RpcClient } from './rpc-client';
import {
  SyncError, type EndpointProblem, type SyncEvent, type SyncOptions, type SyncProgress, type SyncResult,
} from './types';

export const SYNC_STATUS_FILE = 'sync-status.json';
/** /blockchain returns at most 20 metas (rpc/core/blocks.go BlockchainInfo). */
const MAX_CHUNK = 20;
/** Defaults: work units per endpoint, POSTs per unit, POSTs per endpoint (the bench's bare fetch loop uses the last). */
export const SYNC_DEFAULTS = { windowPerEndpoint: 4, requestsPerChunk: 4, postsPerEndpoint: 8 } as const;
/** Payload bytes handed to the store but not yet written, at most this share of the budget (then the writer waits). */
const APPENDING_SHARE = 1 / 4;
/** Records are handed to the store in batches of about this share of the budget (or 256 records). */
const APPEND_BATCH_SHARE = 1 / 16;
/**
 * Payload bytes received and not yet written, plus those expected from the chunks in flight:
 * past this, only the chunk at the write point is started (SyncOptions.memoryBudgetBytes).
 */
const MEMORY_BUDGET_BYTES = 16 * 1024 * 1024;
/** A chunk is cut to about this share of the budget, at the bytes per height seen so far. */
const CHUNK_SHARE = 1 / 8;
/** Bytes per height are averaged over this many heights received. */
const SIZE_WINDOW = 32;
/** Endpoint tips are re-read this often during a long sync (and every poll when following). */
const STATUS_REFRESH_MS = 30_000;

interface Witnessed {
  ep: Endpoint;
  ids: Map<number, BlockId>;
}

interface Fetched {
  primary: Endpoint;
  heights: CheckedHeight[];
  /** Payload bytes held. */
  bytes: number;
  /** Heights where witnesses named another BlockID than the primary: who, and which. */
  disputes: Map<number, Claim[]>;
  crossChecked: boolean;
}

interface Chunk {
  from: number;
  to: number;
  state: 'queued' | 'fetching' | 'fetched';
  attempts: number;
  avoid: Set<Endpoint>;
  result?: Fetched;
  /** While fetching: heights received so far, and their payload bytes (counted in `held`). */
  arrived: number;
  arrivedBytes: number;
}

function newChunk(from: number, to: number): Chunk {
  return { from, to, state: 'queued', attempts: 0, avoid: new Set(), arrived: 0, arrivedBytes: 0 };
}

function payloadBytes(ch: CheckedHeight): number {
  return ch.raw.block.length + ch.raw.commit.length + ch.raw.validators.length + ch.raw.block_results.length;
}

/** Sync the replica; resolves when done (or cancelled), rejects with SyncError (progress saved). */
export function syncReplica(options: SyncOptions): Promise<SyncResult> {
  return new SyncEngine(options).run();
}

const utf8 = new TextDecoder();

class SyncEngine {
  private readonly o: SyncOptions;
  private readonly eps: Endpoint[];
  private readonly verifier: Ed25519Verifier;
  private readonly ac = new AbortController();
  private readonly cfg: {
    chunkSize: number; window: number; perChunk: number; posts: number; ahead: number; flushHeights: number; flushMs: number;
    pollMs: number; stallMs: number; maxFails: number; progressMs: number; crossCheck: boolean; witnesses: number; saveProfile: boolean;
    budget: number;
  };

  private chainId = '';
  private genesisSha = '';
  private initialHeight = 1;
  private genesisVals: ValidatorSet = { validators: [] };

  private chunks: Chunk[] = [];
  private planned = 0;
  private target = 0;
  private inflight = new Set<Promise<void>>();
  /** Payload bytes received (chunks fetching or fetched, records pending or being appended) and not yet written. */
  private held = 0;
  /** Payload bytes per height: the mean of the last SIZE_WINDOW heights received (0: none yet). */
  private bytesPerHeight = 0;
  private readonly sizes = new Float64Array(SIZE_WINDOW);
  private sizesSeen = 0;
  private sizesSum = 0;
  private wake: (() => void) | undefined;
  private turn = 0;

  private pending: StoreRecord[] = [];
  private last: { height: number; linked: LinkedHeader } | undefined;
  private height = 0;
  private durableHeight = 0;
  private written = 0;
  private sinceFlush = 0;
  private lastFlushAt = performance.now();
  private crossChecked = 0;
  private singleSource = 0;
  private forks: ForkEvidence[] = [];
  private phase: SyncProgress['phase'] = 'connecting';
  private rate = new RateMeter();
  private lastProgressAt = -Infinity;
  private readonly t0 = performance.now();

  constructor(o: SyncOptions) {
    this.o = o;
    if (o.endpoints.length === 0) throw new SyncError('bad-options', 'no RPC endpoints given');
    if (o.genesisSha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.genesisSha256)) throw new SyncError('bad-options', 'the genesis pin is not a hex SHA-256');
    if (o.to !== undefined && !(Number.isSafeInteger(o.to) && o.to >= 1)) throw new SyncError('bad-options', `bad --to height ${o.to}`);
    const chunkSize = o.chunkSize ?? MAX_CHUNK;
    if (!(Number.isSafeInteger(chunkSize) && chunkSize >= 1 && chunkSize <= MAX_CHUNK)) throw new SyncError('bad-options', `chunkSize must be 1..${MAX_CHUNK}`);
    const window = Math.max(1, o.windowPerEndpoint ?? SYNC_DEFAULTS.windowPerEndpoint);
    this.cfg = {
      chunkSize,
      window,
      perChunk: Math.max(1, o.requestsPerChunk ?? SYNC_DEFAULTS.requestsPerChunk),
      posts: Math.max(1, o.postsPerEndpoint ?? SYNC_DEFAULTS.postsPerEndpoint),
      ahead: Math.max(1, o.maxAheadChunks ?? Math.max(4, Math.max(8, 2 * window) * o.endpoints.length)),
      flushHeights: Math.max(1, o.flushEveryHeights ?? 1000),
      flushMs: o.flushIntervalMs ?? 2000,
      pollMs: o.pollIntervalMs ?? 1000,
      stallMs: o.stallTimeoutMs ?? 30_000,
      maxFails: Math.max(1, o.maxConsecutiveFailures ?? 2),
      progressMs: o.progressIntervalMs ?? 250,
      crossCheck: o.crossCheck ?? true,
      witnesses: Math.max(1, o.witnesses ?? Infinity),
      saveProfile: o.saveProfile ?? true,
      budget: Math.max(64 * 1024, o.memoryBudgetBytes ?? MEMORY_BUDGET_BYTES),
    };
    this.verifier = o.verifier ?? nativeEd25519;
    const seen = new Set<string>();
    this.eps = [];
    for (const url of o.endpoints) {
      let client: RpcClient;
      try {
        client = new RpcClient(url, { ...o.rpc, signal: this.ac.signal });
      } catch (e) {
        throw new SyncError('bad-options', (e as Error).message);
      }
      if (seen.has(client.url)) continue;
      seen.add(client.url);
      this.eps.push(new Endpoint(client, (ep, problem) => this.emit({ type: 'endpoint', endpoint: ep.label, state: ep.state, ...(problem ? { problem } : {}) }), this.cfg.posts));
    }
  }

  private get aborted(): boolean {
    return this.ac.signal.aborted;
  }

  async run(): Promise<SyncResult> {
    const onAbort = (): void => {
      this.ac.abort();
      this.wake?.();
    };
    if (this.o.signal?.aborted) onAbort();
    this.o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.refreshStatuses();
      if (this.aborted) return await this.finish('aborted');
      this.phase = 'genesis';
      await this.loadGenesis();
      for (const e of this.eps) this.checkNetwork(e);
      this.requireEndpoints();
      this.phase = 'syncing';
      this.extendPlan();
      await this.loop();
      return await this.finish(this.aborted ? 'aborted' : 'done');
    } catch (e) {
      const userAbort = this.o.signal?.aborted === true;
      this.ac.abort();
      await Promise.allSettled([...this.inflight]);
      if (userAbort && !(e instanceof SyncError)) return this.finish('aborted');
      const result = await this.finish('error', e).catch(() => undefined);
      if (e instanceof SyncError && result) e.result = result;
      throw e;
    } finally {
      this.o.signal?.removeEventListener('abort', onAbort);
    }
  }

  // ---- main loop ----

  private async loop(): Promise<void> {
    let stalledSince: number | undefined;
    for (;;) {
      if (this.aborted) return;
      this.schedule();
      await this.drain();
      this.schedule(); // what was written made room
      this.maybeFlush();
      this.progress();
      if (this.aborted) return;
      if (this.chunks.length === 0) {
        if (!this.o.follow || (this.o.to !== undefined && this.planned >= this.o.to)) return;
        if (this.phase !== 'following') {
          this.phase = 'following';
          await this.flushNow();
          this.progress(true);
        }
        await sleep(this.cfg.pollMs, this.ac.signal);
        await this.refreshStatuses();
        this.requireEndpoints();
        this.extendPlan();
        continue;
      }
      if (this.phase === 'following') this.phase = 'syncing';
      if (this.inflight.size === 0) {
        // Work is waiting and no endpoint can take it: all set aside, or all behind.
        this.requireEndpoints();
        stalledSince ??= performance.now();
        if (!this.o.follow && performance.now() - stalledSince > this.cfg.stallMs) {
          throw new SyncError('stalled', `no endpoint could serve heights ${this.chunks[0]!.from}..${this.chunks[0]!.to} for ${Math.round(this.cfg.stallMs / 1000)} s`);
        }
        await sleep(Math.min(this.cfg.pollMs, 500), this.ac.signal);
        await this.refreshStatuses();
        continue;
      }
      stalledSince = undefined;
      if (performance.now() - this.statusAt > STATUS_REFRESH_MS) await this.refreshStatuses();
      await this.nextEvent(this.cfg.progressMs);
    }
  }

  private nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private requireEndpoints(): void {
    if (this.eps.some((e) => e.usable)) return;
    const why = this.eps.map((e) => `${e.label}: ${e.reason?.message ?? 'unknown'}`).join('; ');
    throw new SyncError('no-endpoints', `every endpoint is set aside (${why}); progress is saved`);
  }

  // ---- status and plan ----

  private statusAt = -Infinity;

  private async refreshStatuses(): Promise<void> {
    this.statusAt = performance.now();
    await Promise.all(this.eps.filter((e) => e.usable).map(async (e) => {
      try {
        const s = await e.client.status(this.ac.signal);
        e.latestHeight = s.latestHeight;
        e.earliestHeight = Math.max(1, s.earliestHeight);
        this.networks.set(e, s.network);
        this.checkNetwork(e);
      } catch (err) {
        e.failed(err, this.cfg.maxFails);
      }
    }));
  }

  private readonly networks = new Map<Endpoint, string>();

  private checkNetwork(e: Endpoint): void {
    const n = this.networks.get(e);
    if (this.chainId && n !== undefined && n !== this.chainId) {
      e.setAside({ kind: 'wrong-chain', message: `serves chain ${JSON.stringify(n)}, not ${JSON.stringify(this.chainId)}`, at: new Date().toISOString() });
    }
  }

  /** Second-highest tip - 1 when a second endpoint can vouch, else the highest - 1; capped by `to`. */
  private computeTarget(): number {
    const tips = this.eps.filter((e) => e.usable && e.latestHeight !== null).map((e) => e.latestHeight!).sort((a, b) => b - a);
    if (tips.length === 0) return this.target;
    const avail = (this.cfg.crossCheck && tips.length >= 2 ? tips[1]! : tips[0]!) - 1;
    return Math.max(this.target, Math.min(avail, this.o.to ?? Infinity));
  }

  private extendPlan(): void {
    this.target = this.computeTarget();
    if (this.target <= this.planned) return;
    const from = Math.max(this.planned + 1, this.initialHeight);
    for (const r of this.o.store.missing(from, this.target)) {
      for (let h = r.from; h <= r.to; h += this.cfg.chunkSize) {
        this.chunks.push(newChunk(h, Math.min(r.to, h + this.cfg.chunkSize - 1)));
      }
    }
    this.planned = this.target;
    if (this.height < from - 1) this.height = from - 1;
  }

  // ---- genesis ----

  private async loadGenesis(): Promise<void> {
    const store = this.o.store;
    const pin = this.o.genesisSha256?.toLowerCase();
    let bytes: Uint8Array;
    let from = '(replica)';
    let via = 'genesis.json';
    let stored = false;
    if (store.genesisSha256 !== null) {
      bytes = (await store.getGenesis())!;
      this.genesisSha = store.genesisSha256;
      if (pin !== undefined && pin !== this.genesisSha) {
        throw new SyncError('genesis-mismatch', `the replica's genesis has SHA-256 ${this.genesisSha}, the pin is ${pin}`);
      }
    } else {
      const order = this.eps.filter((e) => e.usable).sort((a, b) => (b.latestHeight ?? -1) - (a.latestHeight ?? -1));
      const { genesis, failures } = await fetchGenesis(order.map((e) => e.client), this.ac.signal);
      for (const f of failures) this.eps.find((e) => e.label === f.endpoint)?.failed(f.error, this.cfg.maxFails);
      if (!genesis) {
        if (this.aborted) throw new SyncError('genesis-unavailable', 'cancelled before the genesis was fetched');
        throw new SyncError('genesis-unavailable', `no endpoint served a genesis document (${failures.map((f) => `${f.endpoint}: ${f.error.message}`).join('; ') || 'none reachable'})`);
      }
      if (pin !== undefined && genesis.sha256 !== pin) {
        throw new SyncError('genesis-mismatch', `${genesis.from} serves a genesis with SHA-256 ${genesis.sha256}, the pin is ${pin}; nothing was stored`);
      }
      bytes = genesis.bytes;
      this.genesisSha = await store.putGenesis(bytes);
      from = genesis.from;
      via = genesis.via;
      stored = true;
    }
    const doc = parseGenesis(bytes);
    if (this.o.chainId !== undefined && doc.chainId !== this.o.chainId) {
      throw new SyncError('chain-id', `the genesis is for chain ${JSON.stringify(doc.chainId)}, not ${JSON.stringify(this.o.chainId)}`);
    }
    this.chainId = doc.chainId;
    this.initialHeight = Math.max(1, Number(doc.initialHeight));
    this.genesisVals = {
      validators: doc.validators.map((v) => ({ address: v.address, pubKey: v.pubKey, pubKeyType: v.pubKeyType, votingPower: v.power, proposerPriority: 0n })),
    };
    this.emit({ type: 'genesis', chainId: this.chainId, sha256: this.genesisSha, from, via, pinned: pin !== undefined, stored });
    if (this.cfg.saveProfile) {
      // Endpoints are saved redacted: a replica directory (and a bundle made from it) never carries credentials.
      await writeProfile(store.dir, { chainId: this.chainId, endpoints: this.eps.map((e) => e.label), genesisSha256: this.genesisSha });
    }
  }

  // ---- fetching ----

  private schedule(): void {
    // Chunks cut small (large blocks) need more of them in flight to keep `posts` POSTs busy.
    const perChunk = Math.ceil(this.chunkHeights() / this.heightsPerPost());
    const window = this.o.windowPerEndpoint !== undefined ? this.cfg.window : Math.max(this.cfg.window, Math.ceil((1.5 * this.cfg.posts) / perChunk));
    const ahead = this.o.maxAheadChunks !== undefined ? this.cfg.ahead : Math.max(this.cfg.ahead, 2 * window * this.eps.length);
    let expected = this.expectedBytes();
    for (let i = 0; i < Math.min(this.chunks.length, ahead); i++) {
      const c = this.chunks[i]!;
      if (c.state !== 'queued') continue;
      if (i > 0 && this.bytesPerHeight === 0) break; // sizes unknown yet: the first chunk tells
      this.cut(c, i);
      const need = (c.to - c.from + 1) * this.bytesPerHeight;
      if (i > 0 && this.held + expected + need > this.cfg.budget) break;
      if (c.attempts > 3 * this.eps.length + 3) throw new SyncError('stalled', `heights ${c.from}..${c.to} failed ${c.attempts} times`);
      const ep = pickEndpoint(this.eps, c.from, c.to, window, c.avoid, this.turn++);
      if (!ep) continue;
      expected += need;
      c.state = 'fetching';
      const p: Promise<void> = this.fetchChunk(c, ep).finally(() => {
        this.inflight.delete(p);
        this.wake?.();
      });
      this.inflight.add(p);
    }
  }

  /** Heights per chunk at the bytes per height seen so far: about an eighth of the budget, whole POSTs, within chunkSize. */
  private chunkHeights(): number {
    const max = this.cfg.chunkSize;
    if (this.bytesPerHeight === 0) return max;
    const per = this.heightsPerPost();
    const n = Math.floor((this.cfg.budget * CHUNK_SHARE) / this.bytesPerHeight);
    return Math.max(1, Math.min(max, n >= per ? n - (n % per) : n));
  }

  private heightsPerPost(): number {
    const ep = this.eps.find((e) => e.usable) ?? this.eps[0]!;
    return Math.max(1, Math.floor(ep.client.maxBatch / 4));
  }

  /** Split a queued chunk larger than chunkHeights(); the rest is queued right after it. */
  private cut(c: Chunk, i: number): void {
    const n = this.chunkHeights();
    if (c.to - c.from + 1 <= n) return;
    const rest = newChunk(c.from + n, c.to);
    rest.attempts = c.attempts;
    for (const e of c.avoid) rest.avoid.add(e);
    c.to = c.from + n - 1;
    this.chunks.splice(i + 1, 0, rest);
  }

  /** Bytes the chunks in flight are still expected to bring. */
  private expectedBytes(): number {
    let heights = 0;
    for (const c of this.chunks) if (c.state === 'fetching') heights += c.to - c.from + 1 - c.arrived;
    return heights * this.bytesPerHeight;
  }

  /** A height's payloads arrived (and passed their checks): they are held until written. */
  private arrived(c: Chunk, ch: CheckedHeight): void {
    const b = payloadBytes(ch);
    c.arrived++;
    c.arrivedBytes += b;
    this.held += b;
    const first = this.bytesPerHeight === 0;
    const k = this.sizesSeen++ % SIZE_WINDOW;
    this.sizesSum += b - this.sizes[k]!;
    this.sizes[k] = b;
    this.bytesPerHeight = Math.max(1, this.sizesSum / Math.min(this.sizesSeen, SIZE_WINDOW));
    if (first) this.wake?.();
  }

  private async fetchChunk(c: Chunk, ep: Endpoint): Promise<void> {
    const chunkAc = new AbortController();
    const signal = AbortSignal.any([this.ac.signal, chunkAc.signal]);
    const witness = this.cfg.crossCheck ? this.witnesses(c, ep, signal) : Promise.resolve([]);
    let heights: CheckedHeight[];
    // arrivals count (in `held`) only while this attempt stands
    let live = true;
    ep.inFlight++;
    const t = performance.now();
    try {
      const withNext = ep.latestHeight !== null && ep.latestHeight > c.to;
      // each height is checked as soon as its POST is answered, while the others are in flight
      const got = await fetchHeights(
        ep.client, c.from, c.to, this.cfg.perChunk, signal, withNext,
        (h, p) => {
          const ch = checkHeight(h, p, this.chainId, this.verifier);
          if (live) this.arrived(c, ch);
          return ch;
        },
        (post) => ep.posts.run(post),
      );
      heights = got.heights;
      checkCanonicalCommits(heights, got.next, this.chainId);
      ep.succeeded(performance.now() - t, heights.length);
    } catch (e) {
      if (!this.aborted) {
        const p = ep.failed(e, this.cfg.maxFails);
        c.avoid.add(ep);
        if (p?.kind !== 'not-ready') c.attempts++;
      }
      c.state = 'queued';
      live = false;
      this.held -= c.arrivedBytes;
      c.arrived = 0;
      c.arrivedBytes = 0;
      chunkAc.abort();
      await witness;
      return;
    } finally {
      ep.inFlight--;
    }
    const ws = await witness;
    const disputes: Fetched['disputes'] = new Map();
    for (const ch of heights) {
      const claims = ws.map((w) => ({ ep: w.ep, blockId: w.ids.get(ch.height)! })).filter((x) => !blockIdEquals(x.blockId, ch.blockId));
      if (claims.length) disputes.set(ch.height, claims);
    }
    if (ws.length === 0 && this.eps.filter((e) => e.usable).length > 1) {
      this.emit({ type: 'single-source', from: c.from, to: c.to, endpoint: ep.label });
    }
    c.result = { primary: ep, heights, disputes, crossChecked: ws.length > 0, bytes: c.arrivedBytes };
    c.arrived = 0;
    c.arrivedBytes = 0;
    c.state = 'fetched';
  }

  /**
   * BlockIDs for the chunk from other endpoints (/blockchain, one cheap request each): up to
   * `witnesses` of them, asked at once, so a lying endpoint is caught at the first height it
   * lies about whether or not it serves data. Those that fail are replaced while others remain.
   */
  private async witnesses(c: Chunk, primary: Endpoint, signal: AbortSignal): Promise<Witnessed[]> {
    const tried = new Set<Endpoint>([primary]);
    const out: Witnessed[] = [];
    const ask = async (w: Endpoint): Promise<void> => {
      w.inFlight++;
      const t = performance.now();
      try {
        const r = await w.client.blockchain(c.from, c.to, signal);
        const ids = checkMetas(c.from, c.to, r, this.chainId);
        w.succeeded(performance.now() - t);
        out.push({ ep: w, ids });
      } catch (e) {
        if (!signal.aborted) w.failed(e, this.cfg.maxFails);
      } finally {
        w.inFlight--;
      }
    };
    while (out.length < this.cfg.witnesses && !signal.aborted) {
      const cands = this.eps.filter((e) => !tried.has(e) && e.canServe(c.from, c.to));
      if (cands.length === 0) break;
      // Rotate, so every endpoint takes its turn as a witness whatever its speed.
      const start = this.turn++ % cands.length;
      const pick = [...cands.slice(start), ...cands.slice(0, start)].slice(0, this.cfg.witnesses - out.length);
      for (const w of pick) tried.add(w);
      await Promise.all(pick.map(ask));
    }
    return out;
  }

  // ---- writing, in height order ----

  private async drain(): Promise<void> {
    while (this.chunks[0]?.state === 'fetched' && !this.aborted) {
      const c = this.chunks[0];
      const r = c.result!;
      let requeueFrom: number | undefined;
      for (const ch of r.heights) {
        let use: CheckedHeight | undefined = ch;
        const d = r.disputes.get(ch.height);
        // Its primary was set aside since (e.g. at a fork found in an earlier chunk): fetch the
        // disputed part again from the others rather than judge the same liar twice.
        if (d && !r.primary.usable) {
          requeueFrom = ch.height;
          break;
        }
        if (d) use = await resolveDispute(this.disputeContext(), ch, r.primary, d);
        if (!use) {
          requeueFrom = ch.height;
          break;
        }
        if (use !== ch) this.held += payloadBytes(use) - payloadBytes(ch);
        this.write(use, r.crossChecked || use !== ch);
        // bounded memory: do not run further ahead of a slow disk
        if (this.appendingBytes > this.cfg.budget * APPENDING_SHARE) await this.appending;
        if (d && !r.primary.usable && ch.height < c.to) {
          requeueFrom = ch.height + 1;
          break;
        }
      }
      if (requeueFrom !== undefined) {
        // the heights not written are dropped (fetched again)
        for (const ch of r.heights) if (ch.height >= requeueFrom) this.held -= payloadBytes(ch);
        c.from = requeueFrom;
        c.state = 'queued';
        c.result = undefined;
        c.avoid.add(r.primary);
        c.attempts++;
        return;
      }
      this.chunks.shift();
    }
  }

  private write(ch: CheckedHeight, crossChecked: boolean): void {
    const h = ch.height;
    this.pending.push(
      { kind: 'block', height: h, payload: ch.raw.block },
      { kind: 'commit', height: h, payload: ch.raw.commit },
      { kind: 'validators', height: h, payload: ch.raw.validators },
      { kind: 'block_results', height: h, payload: ch.raw.block_results },
    );
    this.last = { height: h, linked: { header: ch.header, blockId: ch.blockId } };
    this.height = h;
    this.written++;
    this.sinceFlush++;
    if (crossChecked) this.crossChecked++;
    else this.singleSource++;
    this.rate.add(1);
    this.pendingBytes += payloadBytes(ch);
    if (this.pending.length >= 256 || this.pendingBytes >= this.cfg.budget * APPEND_BATCH_SHARE) void this.appendPending();
  }

  private pendingBytes = 0;

  /** Writes run behind the loop (the store queues them in order); a flush waits for them and reports their failure. */
  private appending: Promise<void> = Promise.resolve();

  private appendingBytes = 0;

  private appendPending(): Promise<void> {
    if (this.pending.length > 0) {
      const batch = this.pending;
      const bytes = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      this.appendingBytes += bytes;
      // the first failure stands: later batches are not written after a failed one
      this.appending = this.appending.then(() => this.o.store.append(batch)).finally(() => {
        this.appendingBytes -= bytes;
        this.held -= bytes;
        this.wake?.();
      });
      this.appending.catch(() => undefined); // awaited (and thrown) by the next flush
    }
    return this.appending;
  }

  /** The flush under way (it runs behind the loop, which goes on fetching and writing meanwhile). */
  private flushing: Promise<void> | undefined;
  private flushError: unknown;

  private maybeFlush(): void {
    if (this.flushError !== undefined) throw this.flushError;
    if (this.flushing || this.sinceFlush === 0) return;
    if (this.sinceFlush >= this.cfg.flushHeights || performance.now() - this.lastFlushAt >= this.cfg.flushMs) {
      this.flushing = this.flushNow().then(
        () => {
          this.flushing = undefined;
          this.wake?.();
        },
        (e: unknown) => {
          this.flushing = undefined;
          this.flushError = e;
          this.wake?.();
        },
      );
    }
  }

  /** Make everything written so far durable (after a flush under way, if any). */
  private async flushNow(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.flushError !== undefined) throw this.flushError;
    this.sinceFlush = 0;
    this.lastFlushAt = performance.now();
    await this.appendPending();
    const r = await this.o.store.flush();
    this.durableHeight = r.completeHeight;
    this.emit({ type: 'flush', durableHeight: this.durableHeight });
  }

  // ---- disputes and forks ----

  private disputeContext(): DisputeContext {
    return {
      chainId: this.chainId,
      initialHeight: this.initialHeight,
      genesisVals: this.genesisVals,
      endpoints: this.eps,
      signal: this.ac.signal,
      verifier: this.verifier,
      maxFails: this.cfg.maxFails,
      storeDir: this.o.store.dir,
      known: (h) => this.known(h),
      onFork: (ev) => {
        this.forks.push(ev);
        this.emit({ type: 'fork', evidence: ev });
      },
    };
  }

  /** What the replica knows just below `height`. */
  private async known(height: number): Promise<KnownState> {
    if (height === this.initialHeight) return { chainId: this.chainId, height, validatorsHash: validatorSetHash(this.genesisVals) };
    let prev = this.last?.height === height - 1 ? this.last.linked : undefined;
    if (!prev) {
      const raw = await this.o.store.get('block', height - 1);
      if (!raw) throw new Error(`internal: block ${height - 1} is neither written nor stored`);
      const br = decodeBlockResponse(JSON.parse(utf8.decode(raw)));
      prev = { header: br.block.header, blockId: br.blockId };
    }
    return { chainId: this.chainId, height, prev, validatorsHash: prev.header.nextValidatorsHash };
  }

  // ---- reporting ----

  private emit(e: SyncEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // a listener's failure is not the sync's
    }
  }

  private progress(force = false): void {
    const now = performance.now();
    if (!this.o.onProgress || (!force && now - this.lastProgressAt < this.cfg.progressMs)) return;
    this.lastProgressAt = now;
    const p: SyncProgress = {
      phase: this.phase,
      height: this.height,
      durableHeight: this.durableHeight,
      target: this.target,
      blocksPerSecond: Math.round(this.rate.perSecond(now) * 10) / 10,
      etaSeconds: this.rate.eta(this.target - this.height, now),
      heightsWritten: this.written,
      crossChecked: this.crossChecked,
      singleSource: this.singleSource,
      forks: this.forks.length,
      endpoints: this.eps.map((e) => e.health()),
    };
    try {
      this.o.onProgress(p);
    } catch {
      // ignore listener failures
    }
  }

  private async finish(stopped: SyncResult['stopped'], error?: unknown): Promise<SyncResult> {
    try {
      await this.flushNow();
    } finally {
      this.phase = 'done';
      this.progress(true);
    }
    const elapsedMs = performance.now() - this.t0;
    const result: SyncResult = {
      chainId: this.chainId,
      genesisSha256: this.genesisSha,
      stopped,
      completeHeight: this.durableHeight,
      target: this.target,
      heightsWritten: this.written,
      crossChecked: this.crossChecked,
      singleSource: this.singleSource,
      forks: this.forks,
      endpoints: this.eps.map((e) => e.health()),
      elapsedMs: Math.round(elapsedMs),
      blocksPerSecond: elapsedMs > 0 ? Math.round((this.written * 1000 * 10) / elapsedMs) / 10 : 0,
    };
    if (this.cfg.saveProfile) {
      const failure: EndpointProblem | { message: string } | undefined = error === undefined ? undefined : error instanceof Error ? { message: error.message } : problemOf(error);
      await writeJsonAtomic(join(this.o.store.dir, SYNC_STATUS_FILE), {
        updatedAt: new Date().toISOString(),
        chainId: result.chainId,
        genesisSha256: result.genesisSha256,
        stopped,
        completeHeight: result.completeHeight,
        target: result.target,
        forks: this.forks.length,
        endpoints: result.endpoints,
        ...(failure ? { lastFailure: failure } : {}),
      }).catch(() => undefined);
    }
    return result;
  }
}
