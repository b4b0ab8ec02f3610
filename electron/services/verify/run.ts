// runVerification: full verification of a replica, from the genesis alone, on worker threads.
//
//   caller's thread (this file)   reads the replica in height order and hands each height to the
//                                 prepare worker with the fewest unverified heights; keeps at most
//                                 `window` heights (and `maxBytesInFlight` bytes) between reading
//                                 and verified; writes checkpoints; reports progress; never
//                                 verifies anything itself.
//   prepare workers (N)           decode, hash, verify signatures with native Ed25519, check keys.
//   chain worker (1)              applies heights in order: the sequential rules and the replay.
//
// Incremental: a checkpoint (verified height, verifier state, failures so far, and the ledger
// state: the mark of its state log on disk beside the checkpoint, or a snapshot) lets the next
// run start after it; `fullReverify` ignores it. Without a checkpoint path the state is in memory.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { toHex } from '../../../shared/cometbft/bytes';
import { decodeGenesis } from '../../../shared/cometbft/decode';
import { decodeBlockResponse, decodeCommitResponse } from '../../../shared/cometbft/decode-block';
import { fail, type Failure } from '../../../shared/cometbft/verdict';
import { decodeTagged, zeroCounters, type Counters, type VerifierState } from '../../../shared/verify';
import { lockBeside } from '../store';
import { CHECKPOINT_FILE, readCheckpoint, writeCheckpoint, type CheckpointToWrite } from './checkpoint';
import { logPath, removeLogsBefore } from './state-log';
import type { ChainStart, FromChain, FromPrepare, ToChain, ToPrepare } from './messages';
import { countsOf, failureRecord, REPORT_FORMAT, toolVersion, type FailureRecord, type VerificationReport } from './report';
import { FailureLog } from './failure-log';
import type { VerifyOptions } from './options';
import { openStoreSource, ReplicaReadError, type HeightRecord, type ReplicaSource } from './source';
import { spawnWorker, workerEntry } from './workers';

const PROGRESS_MS = 200;
/** How long the chain worker gets to close its state log before it is terminated. */
const CLOSE_MS = 5000;
/** Bytes of a payload's buffer that may lie outside it for the buffer to be moved to a worker (the store's record header is 28). */
const OWN_SLACK = 64;
const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export type { VerifiedBatch, VerifyOptions, VerifyProgress } from './options';

export async function runVerification(opts: VerifyOptions): Promise<VerificationReport> {
  if (!opts.source && !opts.dir) throw new TypeError('runVerification: give dir or source');
  const checkpoint = checkpointPathOf(opts);
  // One run per checkpoint: two would delete each other's state logs at cleanup.
  const unlock = checkpoint ? await lockBeside(checkpoint, 'being verified') : null;
  try {
    const source = opts.source ?? (await openStoreSource(opts.dir!));
    try {
      return await new Run(opts, source).run();
    } finally {
      if (!opts.source) await source.close();
    }
  } finally {
    await unlock?.();
  }
}

/** The checkpoint a run reads and writes: opts.checkpointPath, else DIR/verify-checkpoint.bin, else none. */
function checkpointPathOf(opts: VerifyOptions): string | null {
  if (opts.checkpointPath !== undefined) return opts.checkpointPath;
  return opts.dir ? join(opts.dir, CHECKPOINT_FILE) : null;
}

class Run {
  private readonly started = new Date();
  private readonly t0 = performance.now();
  private log: FailureLog;
  private readonly threads: number;
  private checkpointMode: VerificationReport['run']['checkpoint'] = 'none';
  private checkpointNote: string | undefined;
  private resumedFrom: number | null = null;
  private chainId: string | null = null;
  private genesisSha: string | null = null;
  private counters: Counters = zeroCounters();
  private prior: Counters = zeroCounters();
  private initialHeight = 1;
  private runFrom: number | null = null;
  private verified = 0;
  private haltedBy: FailureRecord | null = null;
  private cancelled = false;
  private signatureMisses = 0;
  private bounds = { lowest: 0, highest: 0, complete: 0 };
  // workers
  private chain: Worker | null = null;
  /** Prepare workers and the heights handed to each, ascending (those verified are dropped as they go). */
  private preps: { w: Worker; assigned: number[] }[] = [];
  private wake: (() => void) | null = null;
  private fatal: Error | null = null;
  private checkpointWaiters: { resolve: (c: Extract<FromChain, { type: 'checkpoint' }>) => void; reject: (e: Error) => void }[] = [];
  private writes: Promise<void> = Promise.resolve();
  /** The state log the last checkpoint written in this run names. */
  private keptLog: string | null = null;
  /** How long the chain worker took for its last snapshot. */
  private lastSnapshotMs = 0;
  private lastProgress = 0;
  private progressTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: VerifyOptions, private readonly source: ReplicaSource) {
    this.log = new FailureLog(opts.maxFailures ?? 1000);
    this.threads = Math.max(1, opts.threads ?? availableParallelism());
  }

  private checkpointPath(): string | null {
    return checkpointPathOf(this.opts);
  }

  private fail(f: Failure): void {
    this.log.add(failureRecord(f));
  }

  async run(): Promise<VerificationReport> {
    // The trust anchor: the stored genesis, against the pinned hash.
    let genesisBytes: Uint8Array | undefined;
    try {
      genesisBytes = await this.source.genesis();
    } catch (e) {
      return this.halt(fail(0n, e instanceof ReplicaReadError ? 'replica.corrupt' : 'genesis', 'a readable genesis document', (e as Error).message));
    }
    if (!genesisBytes) return this.halt(fail(0n, 'genesis', 'a stored genesis document', 'none'));
    this.genesisSha = sha256Hex(genesisBytes);
    const pinned = this.opts.genesisSha256?.toLowerCase() ?? null;
    if (pinned !== null && pinned !== this.genesisSha) {
      return this.halt(fail(0n, 'genesis', `genesis sha256 ${pinned} (pinned)`, this.genesisSha, 'the stored genesis is not the pinned one; nothing was verified'));
    }
    const genesisJson = new TextDecoder().decode(genesisBytes);
    try {
      const g = decodeGenesis(JSON.parse(genesisJson));
      this.chainId = g.chainId;
      this.initialHeight = Number(g.initialHeight === 0n ? 1n : g.initialHeight);
    } catch (e) {
      return this.halt(fail(0n, 'genesis', 'a well-formed genesis document', (e as Error).message));
    }
    this.bounds = this.source.bounds();
    const to = Math.min(this.opts.toHeight ?? this.bounds.highest, this.bounds.highest);

    // Resume from a checkpoint when it is ours, intact, and the replica still holds what it verified.
    const start = await this.loadCheckpoint(genesisJson, to);
    let from = start.kind === 'checkpoint' ? this.resumedFrom! + 1 : this.initialHeight;
    this.verified = from - 1;
    if (from > to) return this.report();

    try {
      const refused = await this.startWorkers(start);
      if (refused !== undefined) {
        // The chain worker could not resume (its state log is altered or gone): from the genesis.
        this.ignoreCheckpoint(refused);
        from = this.initialHeight;
        this.verified = from - 1;
      }
      if (!this.haltedBy) await this.dispatch(from, to);
      await this.finish();
    } finally {
      await this.stopWorkers();
    }
    return this.report();
  }

  private async loadCheckpoint(genesisJson: string, to: number): Promise<ChainStart> {
    const genesisStart = (): ChainStart => ({ kind: 'genesis', genesisJson });
    const path = this.checkpointPath();
    if (this.opts.fullReverify) {
      this.checkpointMode = 'full-reverify';
      return genesisStart();
    }
    if (!path) return genesisStart();
    const cp = await readCheckpoint(path);
    if (cp === null) return genesisStart();
    const ignore = (why: string): ChainStart => {
      this.checkpointMode = 'ignored';
      this.checkpointNote = why;
      return genesisStart();
    };
    if ('problem' in cp) return ignore(cp.problem);
    const h = cp.header;
    if (h.chainId !== this.chainId || h.genesisSha256 !== this.genesisSha) return ignore('made for another chain or genesis');
    if (h.toolVersion !== toolVersion()) return ignore(`made by version ${h.toolVersion}; verifying again with ${toolVersion()}`);
    if (h.height < this.initialHeight || h.height > Math.max(to, this.bounds.highest)) return ignore(`its height ${h.height} is outside the replica`);
    if (!(await this.sameBlockAt(h.height, h.lastBlockIdHash))) return ignore(`the replica's block at ${h.height} is not the one verified`);
    let state: VerifierState;
    try {
      state = decodeTagged<VerifierState>(h.state);
    } catch (e) {
      return ignore(`unreadable state (${(e as Error).message})`);
    }
    let log: Extract<ChainStart, { kind: 'checkpoint' }>['log'] = null;
    if (h.stateLog) {
      const file = logPath(path, h.stateLog.file);
      if (!file) return ignore(`its state log ${JSON.stringify(h.stateLog.file)} is not one of its own`);
      log = { path: file, mark: h.stateLog };
    }
    this.checkpointMode = 'used';
    this.resumedFrom = h.height;
    this.counters = state.counters;
    this.prior = state.counters;
    this.log.restore(h.failures, h.failuresTotal, h.firstFailure);
    return { kind: 'checkpoint', genesisJson, state: h.state, snapshot: cp.snapshot, log };
  }

  /** Forgets the checkpoint loadCheckpoint used: verification starts from the genesis. */
  private ignoreCheckpoint(why: string): void {
    this.checkpointMode = 'ignored';
    this.checkpointNote = why;
    this.resumedFrom = null;
    this.counters = zeroCounters();
    this.prior = zeroCounters();
    this.log = new FailureLog(this.opts.maxFailures ?? 1000);
  }

  private async sameBlockAt(height: number, hashHex: string): Promise<boolean> {
    try {
      const rec = await this.source.get(height);
      if (!rec) return false;
      const json = (b: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(b));
      let id: Uint8Array;
      try {
        id = decodeCommitResponse(json(rec.payloads.commit)).commit.blockId.hash;
      } catch {
        id = decodeBlockResponse(json(rec.payloads.block)).blockId.hash;
      }
      return toHex(id) === hashHex;
    } catch {
      return false;
    }
  }

  // ---- workers ----

  private onChain = (m: FromChain): void => {
    switch (m.type) {
      case 'progress': {
        const records = m.failures.map(failureRecord);
        for (const f of records) this.log.add(f);
        this.counters = m.counters;
        this.signatureMisses = m.signatureMisses;
        const before = this.verified;
        if (m.verifiedHeight > this.verified) this.verified = m.verifiedHeight;
        if (this.opts.onHeights && (this.verified > before || records.length > 0)) {
          this.opts.onHeights({ from: before + 1, to: this.verified, failures: records });
        }
        if (m.halted && !this.haltedBy) this.haltedBy = failureRecord(m.halted);
        this.progress(false);
        break;
      }
      case 'checkpoint':
        this.lastSnapshotMs = m.ms;
        this.checkpointWaiters.shift()?.resolve(m);
        break;
      case 'checkpoint-failed':
        this.checkpointWaiters.shift()?.reject(new Error(m.message));
        break;
      case 'genesis-failure':
        this.fail(m.failure);
        this.haltedBy = failureRecord(m.failure);
        break;
      case 'error':
        this.broken(new Error(m.message));
        break;
      case 'ready':
      case 'closed':
        break;
    }
    this.poke();
  };

  /** A worker failed: nothing more will come from it. */
  private broken(e: Error): void {
    this.fatal ??= e;
    for (const w of this.checkpointWaiters.splice(0)) w.reject(this.fatal);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private waitEvent(ms = 1000): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(t); resolve(); };
    });
  }

  /** Starts the workers; resolves when the chain worker is ready, with why it refused the checkpoint, if it did. */
  private async startWorkers(start: ChainStart): Promise<string | undefined> {
    const spawned = await Promise.allSettled([
      spawnWorker(workerEntry('chain-worker')),
      ...Array.from({ length: this.threads }, () => spawnWorker(workerEntry('prepare-worker'))),
    ]);
    const failed = spawned.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(spawned.map((s) => (s.status === 'fulfilled' ? s.value.terminate() : undefined)));
      throw failed.reason;
    }
    const [chain, ...prepWorkers] = spawned.map((s) => (s as PromiseFulfilledResult<Worker>).value) as [Worker, ...Worker[]];
    this.chain = chain;
    const ready = new Promise<string | undefined>((resolve, reject) => {
      const onMsg = (m: FromChain): void => {
        if (m.type === 'ready' || m.type === 'genesis-failure') { chain.off('message', onMsg); resolve(m.type === 'ready' ? m.refused : undefined); }
        if (m.type === 'error') { chain.off('message', onMsg); reject(new Error(m.message)); }
      };
      chain.on('message', onMsg);
      chain.once('error', reject);
    });
    chain.on('message', this.onChain);
    chain.on('error', (e) => this.broken(e));
    chain.on('exit', (code) => { if (this.chain === chain) this.broken(new Error(`chain worker exited (code ${code})`)); });
    const ports = [];
    for (const w of prepWorkers) {
      const { port1, port2 } = new MessageChannel();
      const slot = { w, assigned: [] as number[] };
      w.on('message', (m: FromPrepare) => {
        this.broken(new Error(m.message));
        this.poke();
      });
      w.on('error', (e) => this.broken(e));
      w.postMessage({ type: 'init', chainId: this.chainId!, port: port1 } satisfies ToPrepare, [port1]);
      this.preps.push(slot);
      ports.push(port2);
    }
    const transfer = start.kind === 'checkpoint' ? [start.snapshot.buffer as ArrayBuffer] : [];
    chain.postMessage({ type: 'init', start, ports, stateLog: this.checkpointPath() } satisfies ToChain, [...ports, ...transfer]);
    return await ready;
  }

  private async stopWorkers(): Promise<void> {
    const chain = this.chain;
    const all = [...this.preps.map((p) => p.w), ...(chain ? [chain] : [])];
    this.preps = [];
    this.chain = null;
    await this.writes;
    // The chain worker closes its state log (and deletes the logs no checkpoint names) first.
    if (chain && !this.fatal) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, CLOSE_MS);
        function done(): void {
          clearTimeout(t);
          chain!.off('message', onMsg);
          chain!.off('exit', done);
          resolve();
        }
        const onMsg = (m: FromChain): void => { if (m.type === 'closed') done(); };
        chain.on('message', onMsg);
        chain.on('exit', done);
        chain.postMessage({ type: 'close', keep: this.keptLog } satisfies ToChain);
      });
    }
    await Promise.all(all.map((w) => w.terminate()));
    // chain-worker.ts sets this V8 flag, which is process-wide; its close() puts the default back,
    // and so does this, however the worker ended (a crash, a timeout).
    if (chain) setFlagsFromString('--heap-growing-percent=0');
  }

  private requestCheckpoint(): Promise<Extract<FromChain, { type: 'checkpoint' }>> {
    return new Promise((resolve, reject) => {
      if (this.fatal) return reject(this.fatal);
      this.checkpointWaiters.push({ resolve, reject });
      this.chain!.postMessage({ type: 'checkpoint' } satisfies ToChain);
    });
  }

  /** Asks the chain worker for its state and writes the checkpoint file (atomically), in order. */
  private checkpoint(): Promise<void> {
    const path = this.checkpointPath();
    if (!path || !this.chain) return this.writes;
    const req = this.requestCheckpoint();
    this.writes = this.writes.then(async () => {
      const c = await req;
      // Nothing verified yet, or nothing beyond the checkpoint this run started from.
      if (c.height < this.initialHeight || (this.resumedFrom !== null && c.height <= this.resumedFrom)) return;
      const upTo = this.log.kept.filter((f) => f.height <= c.height);
      const cp: CheckpointToWrite = {
        header: {
          format: 'custos-verify-checkpoint/1', toolVersion: toolVersion(), chainId: this.chainId!, genesisSha256: this.genesisSha!,
          height: c.height, lastBlockIdHash: c.lastBlockIdHash, createdAt: new Date().toISOString(), state: c.state,
          firstFailure: upTo[0] ?? null, failures: upTo,
          failuresTotal: this.log.totalUpTo(c.height),
          ...(c.log ? { stateLog: c.log } : {}),
        },
        snapshot: c.snapshot,
      };
      await writeCheckpoint(path, cp);
      if (c.log) {
        this.keptLog = c.log.file;
        await removeLogsBefore(path, c.log.file); // named by no checkpoint any more
      }
    }).catch((e: unknown) => {
      // Verification stands without a checkpoint; the next run just verifies more.
      this.checkpointNote = `could not write the checkpoint: ${(e as Error)?.message ?? String(e)}`;
    });
    return this.writes;
  }

  // ---- the read/dispatch loop ----

  private async dispatch(from: number, to: number): Promise<void> {
    const window = Math.max(8, this.opts.window ?? Math.max(24, 8 * this.threads));
    const maxBytes = this.opts.maxBytesInFlight ?? 24 * 1024 * 1024;
    const inflight = new Map<number, number>(); // height → bytes
    let bytes = 0;
    let expected = from;
    let prev: { commit: Uint8Array; validators: Uint8Array } | undefined;
    this.runFrom = from;
    const interval = this.opts.checkpointIntervalMs ?? 60_000;
    let nextCheckpoint = performance.now() + interval;
    const release = (): void => {
      for (const [h, b] of inflight) if (h <= this.verified) { inflight.delete(h); bytes -= b; }
    };
    const stopped = (): boolean => {
      if (this.opts.signal?.aborted) this.cancelled = true;
      return this.cancelled || this.haltedBy !== null || this.fatal !== null;
    };
    const missing = (h: number, until: number | null): void => {
      const f = fail(BigInt(h), 'replica.missing', `the /block, /commit, /validators and /block_results of height ${h}`,
        until === null ? 'not in the replica' : `heights ${h} to ${until - 1} are not complete in the replica`, 'nothing after it can be verified');
      this.fail(f);
      this.haltedBy = failureRecord(f);
    };

    // Reading may stall (a slow disk, a hung source): cancellation must not wait for it.
    const it = this.source.iterate(from, to)[Symbol.asyncIterator]();
    const aborted = new Promise<null>((resolve) => {
      const sig = this.opts.signal;
      if (sig?.aborted) resolve(null);
      sig?.addEventListener('abort', () => { resolve(null); this.poke(); }, { once: true });
    });
    try {
      for (;;) {
        const next = await Promise.race([it.next(), aborted]);
        if (next === null || next.done || stopped()) break;
        const rec = next.value;
        if (rec.height !== expected) {
          missing(expected, rec.height);
          break;
        }
        // Back-pressure: the window of heights and bytes between read and verified.
        while (!stopped()) {
          release();
          if (rec.height - this.verified <= window && (bytes <= maxBytes || inflight.size === 0)) break;
          await this.waitEvent();
        }
        if (stopped()) break;
        const size = rec.payloads.block.length + rec.payloads.commit.length + rec.payloads.validators.length + rec.payloads.block_results.length;
        inflight.set(rec.height, size);
        bytes += size;
        this.send(rec, prev);
        prev = { commit: rec.payloads.commit, validators: rec.payloads.validators };
        expected++;
        if (performance.now() >= nextCheckpoint) {
          void this.checkpoint();
          nextCheckpoint = performance.now() + Math.max(interval, 20 * this.lastSnapshotMs);
        }
      }
    } catch (e) {
      void it.return?.(undefined);
      if (!(e instanceof ReplicaReadError)) throw e;
      const f = fail(BigInt(e.height ?? expected), 'replica.corrupt', 'stored records that pass their checksums', e.message, 'the range can be re-fetched');
      this.fail(f);
      this.haltedBy = failureRecord(f);
      expected = Math.min(expected, e.height ?? expected);
    }
    if (stopped()) void it.return?.(undefined);
    else if (expected <= to) missing(expected, null);
    // Wait until everything handed out is verified (or verification stops).
    const last = expected - 1;
    while (this.verified < last && !this.fatal && !this.cancelled) {
      if (this.opts.signal?.aborted) { this.cancelled = true; break; }
      if (this.haltedBy && this.verified >= Number(this.haltedBy.height) - 1) break;
      await this.waitEvent();
    }
  }

  private send(rec: HeightRecord, prev: { commit: Uint8Array; validators: Uint8Array } | undefined): void {
    // The worker with the fewest heights not yet verified (no message per height done: each one costs a thread wake-up).
    let slot = this.preps[0]!;
    for (const p of this.preps) {
      let n = 0;
      while (n < p.assigned.length && p.assigned[n]! <= this.verified) n++;
      if (n > 0) p.assigned.splice(0, n);
      if (p.assigned.length < slot.assigned.length) slot = p;
    }
    slot.assigned.push(rec.height);
    // Moved, not copied, when a buffer is (nearly) the payload's alone: a record read with its
    // store header (source.ts), never a slab of Node's Buffer pool (which holds only buffers under
    // 4 KiB, so its slack is larger). The others are copied (structured clone).
    const own = (b: Uint8Array): boolean => b.buffer.byteLength - b.byteLength <= OWN_SLACK && !(b.buffer instanceof SharedArrayBuffer);
    const transfer = [...new Set([rec.payloads.block, rec.payloads.block_results].filter(own).map((b) => b.buffer as ArrayBuffer))];
    const job: ToPrepare = { type: 'job', height: rec.height, payloads: rec.payloads, ...(prev ? { prev } : {}) };
    slot.w.postMessage(job, transfer);
  }

  private async finish(): Promise<void> {
    if (this.fatal) throw this.fatal;
    // Nothing is left to prepare: the prepare workers' memory goes before the snapshot's comes.
    const preps = this.preps.splice(0);
    await Promise.all(preps.map((p) => p.w.terminate()));
    if (this.chain && this.runFrom !== null && this.verified >= this.runFrom) await this.checkpoint();
    if (this.fatal) throw this.fatal;
    this.progress(true);
  }

  /** Progress at most every 200 ms; a throttled update is sent when the interval ends, so the last state always shows. */
  private progress(final: boolean): void {
    const cb = this.opts.onProgress;
    if (!cb || this.runFrom === null) return;
    const now = performance.now();
    if (!final && now - this.lastProgress < PROGRESS_MS) {
      this.progressTimer ??= setTimeout(() => { this.progressTimer = null; this.progress(false); }, PROGRESS_MS - (now - this.lastProgress));
      return;
    }
    if (this.progressTimer) { clearTimeout(this.progressTimer); this.progressTimer = null; }
    this.lastProgress = now;
    const to = Math.min(this.opts.toHeight ?? this.bounds.highest, this.bounds.highest);
    const done = Math.max(0, this.verified - this.runFrom + 1);
    const total = Math.max(0, to - this.runFrom + 1);
    const rate = done / Math.max(1e-3, (now - this.t0) / 1000);
    cb({ height: this.verified, from: this.runFrom, to, done, total, blocksPerSecond: rate, etaSeconds: rate > 0 ? (total - done) / rate : null, failures: this.log.total });
  }

  private halt(f: Failure): VerificationReport {
    this.fail(f);
    this.haltedBy = failureRecord(f);
    return this.report();
  }

  private report(): VerificationReport {
    if (this.progressTimer) clearTimeout(this.progressTimer);
    const finished = new Date();
    const durationMs = performance.now() - this.t0;
    const runBlocks = this.counters.blocks - this.prior.blocks;
    const covered = this.verified >= this.initialHeight;
    return {
      format: REPORT_FORMAT,
      tool: { name: 'custos', version: toolVersion() },
      ok: this.log.total === 0 && !this.cancelled && this.haltedBy === null,
      chainId: this.chainId,
      genesisSha256: this.genesisSha,
      pinnedGenesisSha256: this.opts.genesisSha256?.toLowerCase() ?? null,
      heights: covered ? { from: this.initialHeight, to: this.verified } : { from: null, to: null },
      run: {
        from: runBlocks > 0 ? this.runFrom : null,
        to: runBlocks > 0 ? this.verified : null,
        blocks: runBlocks,
        resumedFromCheckpoint: this.resumedFrom,
        checkpoint: this.checkpointMode,
        ...(this.checkpointNote ? { checkpointNote: this.checkpointNote } : {}),
        threads: this.threads,
        signatureMisses: this.signatureMisses,
      },
      replica: { ...this.bounds, source: this.source.description },
      counts: countsOf(this.counters),
      firstFailure: this.log.first,
      failures: this.log.kept,
      failuresTotal: this.log.total,
      failuresOmitted: this.log.total - this.log.kept.length,
      haltedBy: this.haltedBy,
      forkEvidence: this.opts.forkEvidence ?? [],
      cancelled: this.cancelled,
      startedAt: this.started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs,
      throughput: {
        blocksPerSecond: runBlocks / Math.max(1e-3, durationMs / 1000),
        signaturesPerSecond: (this.counters.signatures - this.prior.signatures) / Math.max(1e-3, durationMs / 1000),
      },
    };
  }
}
