// The console's sync: one run of the sync engine (electron/services/sync) on the open replica,
// with its progress kept as a SyncView. Pausing aborts the run; what was fetched is durable
// (the engine flushes before it stops), and starting again resumes from there.
import type { SyncView } from '../../../shared/api';
import { openStore, StoreLockedError } from '../store';
import { SyncError, syncReplica, type SyncProgress, type SyncResult } from '../sync';
import { endpointView, forkView, idleSync } from './views';

export interface SyncTarget {
  dir: string;
  chainId: string;
  endpoints: readonly string[];
  genesisSha256: string;
}

export interface SyncOutcome {
  state: 'done' | 'paused' | 'failed';
  completeHeight: number;
}

export class SyncJob {
  view: SyncView = idleSync();
  private abort: AbortController | null = null;
  private run: Promise<SyncOutcome> | null = null;

  constructor(private readonly changed: (urgent?: boolean) => void) {}

  get active(): boolean {
    return this.run !== null;
  }

  /** Forgets the last run (another replica was opened); keeps the fork evidence given. */
  reset(forks: SyncView['forks'] = []): void {
    this.view = { ...idleSync(), forks };
  }

  start(target: SyncTarget): Promise<SyncOutcome> {
    if (this.run) return this.run;
    const ac = new AbortController();
    this.abort = ac;
    const forks = this.view.forks;
    this.view = { ...idleSync(), state: 'running', phase: 'connecting', forks, startedAt: new Date().toISOString(), endpoints: [] };
    this.changed(true);
    this.run = this.execute(target, ac.signal).finally(() => {
      this.run = null;
      this.abort = null;
      this.view.finishedAt = new Date().toISOString();
      this.changed(true);
    });
    return this.run;
  }

  pause(): void {
    if (!this.abort) return;
    this.view.state = 'pausing';
    this.abort.abort();
    this.changed(true);
  }

  private onProgress(p: SyncProgress): void {
    Object.assign(this.view, {
      phase: p.phase,
      height: p.height,
      durableHeight: p.durableHeight,
      target: p.target,
      blocksPerSecond: Number.isFinite(p.blocksPerSecond) ? Math.max(0, p.blocksPerSecond) : 0,
      etaSeconds: p.etaSeconds !== null && Number.isFinite(p.etaSeconds) ? Math.max(0, p.etaSeconds) : null,
      heightsWritten: p.heightsWritten,
      crossChecked: p.crossChecked,
      singleSource: p.singleSource,
      endpoints: p.endpoints.slice(0, 32).map(endpointView),
    });
    this.changed();
  }

  private finishWith(r: SyncResult | undefined): void {
    if (!r) return;
    this.view.endpoints = r.endpoints.slice(0, 32).map(endpointView);
    this.view.durableHeight = r.completeHeight;
    this.view.height = Math.max(this.view.height, r.completeHeight);
    this.view.target = r.target;
    this.view.heightsWritten = r.heightsWritten;
    this.view.crossChecked = r.crossChecked;
    this.view.singleSource = r.singleSource;
    this.view.blocksPerSecond = Number.isFinite(r.blocksPerSecond) ? Math.max(0, r.blocksPerSecond) : 0;
    this.view.etaSeconds = null;
    const known = new Set(this.view.forks.map((f) => `${f.height}:${f.detectedAt}`));
    for (const f of r.forks) if (!known.has(`${f.height}:${f.detectedAt}`)) this.view.forks.push(forkView(f));
  }

  private async execute(t: SyncTarget, signal: AbortSignal): Promise<SyncOutcome> {
    let store;
    try {
      store = await openStore(t.dir);
    } catch (e) {
      const message = e instanceof StoreLockedError ? `the replica is being written by another Custos process (pid ${e.pid})` : `cannot open the replica: ${(e as Error).message}`;
      this.view.state = 'failed';
      this.view.error = { kind: 'store', message: message.slice(0, 2000) };
      return { state: 'failed', completeHeight: 0 };
    }
    try {
      const r = await syncReplica({
        store,
        endpoints: t.endpoints,
        chainId: t.chainId,
        genesisSha256: t.genesisSha256,
        signal,
        stallTimeoutMs: 20_000,
        onProgress: (p) => this.onProgress(p),
        onEvent: (e) => {
          if (e.type === 'fork') {
            this.view.forks.push(forkView(e.evidence));
            this.changed(true);
          }
        },
      });
      this.finishWith(r);
      this.view.state = r.stopped === 'aborted' ? 'paused' : 'done';
      this.view.phase = r.stopped === 'aborted' ? this.view.phase : 'done';
      return { state: this.view.state === 'paused' ? 'paused' : 'done', completeHeight: r.completeHeight };
    } catch (e) {
      if (!(e instanceof SyncError)) {
        this.view.state = 'failed';
        this.view.error = { kind: 'internal', message: `the sync stopped: ${(e as Error).message}`.slice(0, 2000) };
        return { state: 'failed', completeHeight: store.stats().completeHeight };
      }
      this.finishWith(e.result);
      this.view.state = 'failed';
      this.view.error = { kind: e.kind, message: e.message.slice(0, 2000) };
      return { state: 'failed', completeHeight: e.result?.completeHeight ?? store.stats().completeHeight };
    } finally {
      await store.close();
    }
  }
}
