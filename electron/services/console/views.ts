// Mapping the services' own shapes onto the API views (shared/api/views): what crosses to
// the renderer is always a fresh plain object that its schema accepts.
import { VIEW_MAX_FAILURES, type EndpointView, type ForkView, type ReportView, type SyncView, type VerifyView } from '../../../shared/api';
import type { EndpointHealth, EndpointProblem, ForkEvidence } from '../sync';
import type { VerificationReport } from '../verify';

const clip = (s: string, max = 2000): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const finite = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);

export function idleSync(): SyncView {
  return {
    state: 'idle', phase: null, height: 0, durableHeight: 0, target: 0, blocksPerSecond: 0, etaSeconds: null, heightsWritten: 0,
    crossChecked: 0, singleSource: 0, endpoints: [], forks: [], error: null, startedAt: null, finishedAt: null,
  };
}

export function idleVerify(): VerifyView {
  return {
    state: 'idle', step: null, height: 0, from: 0, to: 0, done: 0, total: 0, blocksPerSecond: 0, etaSeconds: null, failures: 0,
    error: null, startedAt: null, finishedAt: null,
  };
}

function problemView(p: EndpointProblem | undefined): EndpointView['problem'] {
  if (!p) return null;
  return {
    kind: clip(p.kind, 40),
    message: clip(p.message),
    ...(p.height !== undefined ? { height: p.height } : {}),
    ...(p.check !== undefined ? { check: clip(p.check, 80) } : {}),
    ...(p.expected !== undefined ? { expected: clip(p.expected) } : {}),
    ...(p.found !== undefined ? { found: clip(p.found) } : {}),
    ...(p.at !== undefined ? { at: p.at } : {}),
  };
}

export function endpointView(e: EndpointHealth): EndpointView {
  return {
    endpoint: clip(e.endpoint, 300),
    state: e.state,
    latencyMs: e.latencyMs === null ? null : finite(e.latencyMs),
    blocksServed: e.blocksServed,
    requests: e.requests,
    failures: e.failures,
    latestHeight: e.latestHeight,
    problem: problemView(e.reason ?? e.lastError),
  };
}

export function forkView(ev: ForkEvidence): ForkView {
  return {
    height: ev.height,
    resolution: ev.resolution,
    note: clip(ev.note),
    detectedAt: ev.detectedAt,
    sides: ev.sides.slice(0, 20).map((s) => ({ blockId: clip(s.blockId, 200), endpoints: s.endpoints.slice(0, 20).map((e) => clip(e, 300)), certified: s.certified, verdict: clip(s.verdict) })),
  };
}

/** Fork evidence as found in forks.jsonl (parsed, untrusted shape): the fields the views need. */
export function forkViewOf(v: unknown): ForkView | null {
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Partial<ForkEvidence>;
  if (typeof e.height !== 'number' || !Array.isArray(e.sides)) return null;
  return forkView({
    height: e.height, chainId: String(e.chainId ?? ''), detectedAt: String(e.detectedAt ?? ''), knownValidatorsHash: '', note: String(e.note ?? ''),
    resolution: e.resolution === 'preferred' ? 'preferred' : 'unresolved',
    sides: e.sides.map((s) => ({ blockId: String(s?.blockId ?? ''), endpoints: Array.isArray(s?.endpoints) ? s.endpoints.map(String) : [], certified: s?.certified === true, verdict: String(s?.verdict ?? ''), commit: null })),
  });
}

/** The report for the renderer (`max` failures listed; the PDF lists more). */
export function reportView(r: VerificationReport, max = VIEW_MAX_FAILURES): ReportView {
  const f = (x: VerificationReport['failures'][number]) => ({
    height: x.height, check: clip(x.check, 80), expected: clip(x.expected, 1000), found: clip(x.found, 1000), ...(x.detail !== undefined ? { detail: clip(x.detail, 1000) } : {}),
  });
  return {
    format: r.format,
    tool: r.tool,
    ok: r.ok,
    chainId: r.chainId,
    genesisSha256: r.genesisSha256,
    pinnedGenesisSha256: r.pinnedGenesisSha256,
    heights: r.heights,
    run: {
      from: r.run.from, to: r.run.to, blocks: r.run.blocks, resumedFromCheckpoint: r.run.resumedFromCheckpoint, checkpoint: r.run.checkpoint,
      ...(r.run.checkpointNote ? { checkpointNote: clip(r.run.checkpointNote, 1000) } : {}),
      threads: r.run.threads, signatureMisses: r.run.signatureMisses,
    },
    replica: { ...r.replica, source: clip(r.replica.source, 1024) },
    counts: r.counts,
    firstFailure: r.firstFailure ? f(r.firstFailure) : null,
    failures: r.failures.slice(0, max).map(f),
    failuresTotal: r.failuresTotal,
    failuresOmitted: r.failuresOmitted + Math.max(0, r.failures.length - max),
    haltedBy: r.haltedBy ? f(r.haltedBy) : null,
    forkEvidence: r.forkEvidence.map(forkViewOf).filter((x): x is ForkView => x !== null).slice(0, 100),
    cancelled: r.cancelled,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: finite(r.durationMs),
    throughput: { blocksPerSecond: finite(r.throughput.blocksPerSecond), signaturesPerSecond: finite(r.throughput.signaturesPerSecond) },
  };
}
