// The console service: everything the console's screens do, behind the API contract, for
// both hosts. It owns this user's replicas (data dir), the open one with its index, the sync
// and verification jobs on it, report and bundle export, bundle import, and the embedded demo
// replica imported on first start. Long work runs in the background (the sync on async I/O,
// verification on worker threads); the hosts push `status()` to the renderer on every change.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import {
  ApiError, type ConsoleStatus, type ExportResultView, type GenesisProbe, type NewProfile, type ParticipationView, type ReplicaSummary, type ReportView,
} from '../../../shared/api';
import { BundleError, exportBundle, importBundle } from '../bundle';
import { indexPathFor, openIndex, type IndexDb } from '../index';
import { openStore, writeFileAtomic } from '../store';
import type { VerificationReport } from '../verify';
import { replicaDir } from './data-dir';
import { probeGenesis } from './genesis-probe';
import { computeParticipation } from './participation';
import { renderReportPdf } from './pdf/report-pdf';
import { newReplicaId, readRegistry, writeRegistry, type Registry } from './registry';
import { readForkEvidence, readSavedReport } from './replica-files';
import { SyncJob } from './sync-job';
import { checkInputFile, checkOutputPath } from './user-paths';
import { VerifyJob } from './verify-job';
import { forkViewOf, reportView } from './views';

export type PickKind = 'save-pdf' | 'save-json' | 'save-bundle' | 'open-bundle';

export interface ConsoleOptions {
  dataDir: string;
  /** The embedded demo replica, imported on first start and held to its known genesis hash. */
  demo: { bundle: string; genesisSha256: string } | null;
  log: (line: string) => void;
  /** Native file dialogs (desktop host); without it, paths must be given. Resolves null when cancelled. */
  pickPath?: (kind: PickKind, suggestedName: string) => Promise<string | null>;
  verifyThreads?: number;
}

interface OpenReplica {
  entry: ReplicaSummary;
  dir: string;
  index: IndexDb;
  report: VerificationReport | null;
  participation: { key: string; value: ParticipationView | null } | null;
}

const STATUS_INTERVAL_MS = 250;
const now = (): string => new Date().toISOString();

export class ConsoleService {
  private registry!: Registry;
  private open: OpenReplica | null = null;
  private busy: ConsoleStatus['busy'] = null;
  private notice: ConsoleStatus['notice'] = null;
  private readonly listeners = new Set<(s: ConsoleStatus) => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly sync = new SyncJob((urgent) => this.changed(urgent));
  private readonly verify: VerifyJob;
  private closed = false;
  /** Settles when the first-start work (demo import, reopening the last replica) is done. */
  ready: Promise<void> = Promise.resolve();

  private constructor(private readonly o: ConsoleOptions) {
    this.verify = new VerifyJob((urgent) => this.changed(urgent), o.log);
  }

  static async start(o: ConsoleOptions): Promise<ConsoleService> {
    const c = new ConsoleService(o);
    await mkdir(o.dataDir, { recursive: true });
    c.registry = await readRegistry(o.dataDir, o.log);
    c.ready = c.boot().catch((e: unknown) => {
      o.log(`console: first-start work failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      c.say('error', `Could not open the replica: ${(e as Error).message}`);
      c.busy = null;
      c.changed(true);
    });
    return c;
  }

  // ---------------------------------------------------------------- status

  status(): ConsoleStatus {
    return {
      dataDir: this.o.dataDir,
      nativeDialogs: this.o.pickPath !== undefined,
      replicas: this.registry.replicas,
      openId: this.open?.entry.id ?? null,
      busy: this.busy,
      sync: this.sync.view,
      verify: this.verify.view,
      notice: this.notice,
    };
  }

  onStatus(listener: (s: ConsoleStatus) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private changed(urgent = false): void {
    if (this.closed) return;
    this.trackHeights();
    if (urgent) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.emit();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.emit();
      }, STATUS_INTERVAL_MS);
    }
  }

  private emit(): void {
    const s = this.status();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (e) {
        this.o.log(`console: a status listener failed: ${(e as Error).message}`);
      }
    }
  }

  /** Shows a message in the console's notice line (menu actions of the desktop host report here). */
  notify(level: 'info' | 'warning' | 'error', message: string): void {
    this.say(level, message);
  }

  private say(level: 'info' | 'warning' | 'error', message: string): void {
    this.notice = { level, message: message.slice(0, 2000), at: now() };
    this.changed(true);
  }

  /** The open replica's heights follow the sync while it runs. */
  private trackHeights(): void {
    const e = this.open?.entry;
    if (!e || this.sync.view.state !== 'running') return;
    const v = this.sync.view;
    if (v.durableHeight > e.heights.complete) e.heights = { lowest: e.heights.lowest || 1, highest: Math.max(e.heights.highest, v.durableHeight), complete: v.durableHeight };
  }

  private async save(): Promise<void> {
    this.registry.openId = this.open?.entry.id ?? null;
    await writeRegistry(this.o.dataDir, this.registry);
  }

  // ---------------------------------------------------------------- first start

  private async boot(): Promise<void> {
    const last = this.registry.replicas.find((r) => r.id === this.registry.openId) ?? this.registry.replicas[0];
    if (last && existsSync(replicaDir(this.o.dataDir, last.id))) {
      await this.openReplica(last.id);
      return;
    }
    const demo = this.o.demo;
    if (!demo || this.registry.replicas.length > 0) return;
    if (!existsSync(demo.bundle)) {
      this.o.log(`console: no embedded demo replica at ${demo.bundle}; build it with npm run demo:build`);
      return;
    }
    this.busy = { what: 'starting', message: 'Importing the embedded demo replica (first start)…' };
    this.changed(true);
    const dir = replicaDir(this.o.dataDir, 'demo');
    await rm(dir, { recursive: true, force: true }); // left over from an interrupted first start
    await mkdir(replicaDir(this.o.dataDir, ''), { recursive: true });
    const r = await importBundle(demo.bundle, dir);
    if (r.manifest.genesisSha256 !== demo.genesisSha256) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the embedded demo bundle has genesis ${r.manifest.genesisSha256}, not the expected ${demo.genesisSha256}`);
    }
    this.registry.replicas.push({
      id: 'demo', name: 'Demo replica (embedded)', kind: 'demo', chainId: r.manifest.chainId, pinnedGenesis: demo.genesisSha256, storedGenesis: r.manifest.genesisSha256,
      endpoints: [], heights: this.heightsOf(r.manifest.heights), verification: { state: 'unverified', verifiedTo: null, failures: 0, at: null }, createdAt: now(),
    });
    this.busy = null;
    await this.openReplica('demo');
  }

  private heightsOf(h: { lowest: number; highest: number; completeHeight: number }): ReplicaSummary['heights'] {
    return { lowest: h.lowest, highest: h.highest, complete: h.completeHeight };
  }

  // ---------------------------------------------------------------- replicas and profiles

  private entry(id: string): ReplicaSummary {
    const e = this.registry.replicas.find((r) => r.id === id);
    if (!e) throw new ApiError('bad-request', `no replica ${JSON.stringify(id)}`);
    return e;
  }

  private requireIdle(what: string): void {
    if (this.sync.active) throw new ApiError('unavailable', `pause the sync before you ${what}`);
    if (this.verify.active) throw new ApiError('unavailable', `wait for the verification to finish (or cancel it) before you ${what}`);
  }

  private requireOpen(): OpenReplica {
    if (!this.open) throw new ApiError('unavailable', 'no replica is open');
    return this.open;
  }

  async openReplica(id: string): Promise<ConsoleStatus> {
    this.requireIdle('open another replica');
    const entry = this.entry(id);
    const dir = replicaDir(this.o.dataDir, id);
    await mkdir(dir, { recursive: true });
    await this.open?.index.close();
    this.open = null;
    const index = await openIndex(indexPathFor(dir), { log: this.o.log });
    const forks = (await readForkEvidence(dir)).map(forkViewOf).filter((f) => f !== null);
    this.open = { entry, dir, index, report: await readSavedReport(dir), participation: null };
    this.sync.reset(forks.slice(0, 100));
    this.verify.reset();
    await this.save();
    this.changed(true);
    if (entry.heights.complete > 0) void this.runVerify(false);
    return this.status();
  }

  async probe(endpoints: readonly string[]): Promise<GenesisProbe> {
    return probeGenesis(endpoints);
  }

  async createProfile(p: NewProfile): Promise<ConsoleStatus> {
    this.requireIdle('create a profile');
    if (p.endpoints.length === 0) throw new ApiError('bad-request', 'give at least one endpoint');
    const id = newReplicaId(p.name, this.registry.replicas.map((r) => r.id));
    this.registry.replicas.push({
      id, name: p.name, kind: 'network', chainId: p.chainId, pinnedGenesis: p.genesisSha256, storedGenesis: null, endpoints: [...p.endpoints],
      heights: { lowest: 0, highest: 0, complete: 0 }, verification: { state: 'unverified', verifiedTo: null, failures: 0, at: null }, createdAt: now(),
    });
    return this.openReplica(id);
  }

  // ---------------------------------------------------------------- sync

  startSync(): ConsoleStatus {
    const o = this.requireOpen();
    const e = o.entry;
    if (this.sync.active) return this.status();
    if (this.verify.active) throw new ApiError('unavailable', 'wait for the verification to finish (or cancel it) before syncing');
    if (e.kind !== 'network' || e.endpoints.length === 0 || !e.chainId || !e.pinnedGenesis) {
      throw new ApiError('bad-request', 'this replica has no network profile to sync from; create a profile (chain id, endpoints, pinned genesis) first');
    }
    void this.sync.start({ dir: o.dir, chainId: e.chainId, endpoints: e.endpoints, genesisSha256: e.pinnedGenesis }).then(async (outcome) => {
      if (this.open !== o) return;
      await this.refreshHeights(o);
      if (this.sync.view.state === 'failed' && this.sync.view.error) this.say('error', `Sync stopped: ${this.sync.view.error.message}`);
      // Verify what is new, also after a pause or a failure: what was written is durable.
      if (o.entry.heights.complete > 0 && (outcome.state !== 'failed' || o.entry.heights.complete > (o.entry.verification.verifiedTo ?? 0))) void this.runVerify(false);
    });
    return this.status();
  }

  pauseSync(): ConsoleStatus {
    this.sync.pause();
    return this.status();
  }

  private async refreshHeights(o: OpenReplica): Promise<void> {
    const store = await openStore(o.dir, { readOnly: true });
    try {
      const st = store.stats();
      o.entry.heights = { lowest: st.lowestHeight, highest: st.highestHeight, complete: st.completeHeight };
      o.entry.storedGenesis = store.genesisSha256;
    } finally {
      await store.close();
    }
    await this.save();
    this.changed(true);
  }

  // ---------------------------------------------------------------- verification

  startVerify(full: boolean): ConsoleStatus {
    const o = this.requireOpen();
    if (this.sync.active) throw new ApiError('unavailable', 'verification runs when the sync finishes or is paused');
    if (o.entry.heights.complete === 0) throw new ApiError('bad-request', 'the replica holds no blocks yet; sync it or import a bundle first');
    void this.runVerify(full);
    return this.status();
  }

  cancelVerify(): ConsoleStatus {
    this.verify.cancel();
    return this.status();
  }

  private async runVerify(full: boolean): Promise<void> {
    const o = this.open;
    if (!o || this.verify.active) return;
    const forkEvidence = await readForkEvidence(o.dir);
    const report = await this.verify.start({ dir: o.dir, index: o.index, pinnedGenesis: o.entry.pinnedGenesis, full, forkEvidence, ...(this.o.verifyThreads ? { threads: this.o.verifyThreads } : {}) });
    if (!report || this.open !== o) return;
    o.report = report;
    o.entry.verification = {
      state: report.failuresTotal > 0 || report.haltedBy ? 'failed' : report.ok ? 'verified' : 'partial',
      verifiedTo: report.heights.to,
      failures: report.failuresTotal,
      at: report.finishedAt,
    };
    if (report.genesisSha256) o.entry.storedGenesis = report.genesisSha256;
    await this.save();
    this.changed(true);
  }

  report(): ReportView | null {
    const r = this.open?.report;
    return r ? reportView(r) : null;
  }

  async participation(maxColumns: number): Promise<ParticipationView | null> {
    const o = this.open;
    if (!o || o.entry.heights.complete === 0) return null;
    const key = `${o.entry.heights.lowest}:${o.entry.heights.complete}:${maxColumns}`;
    if (o.participation?.key === key) return o.participation.value;
    const store = await openStore(o.dir, { readOnly: true });
    try {
      const value = await computeParticipation(store, maxColumns);
      o.participation = { key, value };
      return value;
    } finally {
      await store.close();
    }
  }

  // ---------------------------------------------------------------- export and import

  private async pathFor(given: string | null, kind: PickKind, suggested: string): Promise<string | null> {
    if (given !== null) return given;
    if (!this.o.pickPath) throw new ApiError('bad-request', 'type the path of the file (this host has no file dialog)');
    return this.o.pickPath(kind, suggested);
  }

  async exportReport(format: 'pdf' | 'json', path: string | null): Promise<ExportResultView> {
    const o = this.requireOpen();
    if (!o.report) throw new ApiError('unavailable', 'the replica has not been verified yet; nothing to export');
    const day = o.report.finishedAt.slice(0, 10);
    const chosen = await this.pathFor(path, format === 'pdf' ? 'save-pdf' : 'save-json', `custos-report-${o.report.chainId ?? 'replica'}-${day}.${format}`);
    if (chosen === null) return { path: null, bytes: 0, cancelled: true };
    const file = await checkOutputPath(chosen, `.${format}`);
    const bytes = format === 'json'
      ? Buffer.from(`${JSON.stringify(o.report, null, 2)}\n`)
      : renderReportPdf({ report: reportView(o.report, 10_000), participation: await this.participation(400), replicaName: o.entry.name, endpoints: o.entry.endpoints, generatedAt: new Date() });
    await writeFileAtomic(file, bytes);
    this.say('info', `Report written to ${file}`);
    return { path: file, bytes: bytes.length, cancelled: false };
  }

  async exportReplica(path: string | null): Promise<ExportResultView> {
    const o = this.requireOpen();
    const chosen = await this.pathFor(path, 'save-bundle', `${o.entry.chainId ?? o.entry.id}.bundle`);
    if (chosen === null) return { path: null, bytes: 0, cancelled: true };
    const file = await checkOutputPath(chosen, '.bundle');
    this.busy = { what: 'export', message: `Writing the bundle to ${file}…` };
    this.changed(true);
    try {
      const r = await exportBundle(o.dir, file);
      this.say('info', `Bundle written to ${file} (${r.manifest.heights.highest} heights)`);
      return { path: file, bytes: r.bytes, cancelled: false };
    } catch (e) {
      throw e instanceof BundleError ? new ApiError('bad-request', e.message) : e;
    } finally {
      this.busy = null;
      this.changed(true);
    }
  }

  async importReplica(path: string | null, pin: string | null): Promise<{ status: ConsoleStatus; cancelled: boolean }> {
    this.requireIdle('import a bundle');
    const chosen = await this.pathFor(path, 'open-bundle', 'replica.bundle');
    if (chosen === null) return { status: this.status(), cancelled: true };
    const file = await checkInputFile(chosen);
    const id = newReplicaId('import', this.registry.replicas.map((r) => r.id));
    const dir = replicaDir(this.o.dataDir, id);
    this.busy = { what: 'import', message: `Checking and unpacking ${file}…` };
    this.changed(true);
    try {
      await mkdir(replicaDir(this.o.dataDir, ''), { recursive: true });
      const r = await importBundle(file, dir).catch((e: unknown) => {
        throw e instanceof BundleError ? new ApiError('bad-request', `bundle refused: ${e.message}`) : e;
      });
      const m = r.manifest;
      if (pin !== null && m.genesisSha256 !== pin) {
        await rm(dir, { recursive: true, force: true });
        throw new ApiError('bad-request', `bundle refused: its genesis has SHA-256 ${m.genesisSha256}, not the pinned ${pin}`);
      }
      this.registry.replicas.push({
        id, name: `${m.chainId} (imported)`, kind: 'import', chainId: m.chainId, pinnedGenesis: pin, storedGenesis: m.genesisSha256, endpoints: [],
        heights: this.heightsOf(m.heights), verification: { state: 'unverified', verifiedTo: null, failures: 0, at: null }, createdAt: now(),
      });
      this.busy = null;
      await this.openReplica(id); // starts the full verification from the genesis (no checkpoint yet)
      return { status: this.status(), cancelled: false };
    } finally {
      this.busy = null;
      this.changed(true);
    }
  }

  // ---------------------------------------------------------------- explorer

  /** The open replica's index, for the explorer's read-only queries. */
  index(): IndexDb | null {
    return this.open?.index ?? null;
  }

  /** One stored /block result of the open replica (the explorer's raw view). */
  async rawBlock(height: number): Promise<Uint8Array | undefined> {
    const o = this.open;
    if (!o) return undefined;
    const store = await openStore(o.dir, { readOnly: true });
    try {
      return await store.get('block', height);
    } finally {
      await store.close();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.sync.pause();
    this.verify.cancel();
    await this.ready;
    await this.open?.index.close();
  }
}
