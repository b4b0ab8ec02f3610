// custos status DIR [--json]: what the replica holds, what was verified, how the endpoints
// fared at the last sync, and the last failure. Reads only (the store is opened read-only).

import { join } from 'node:path';
import { FORKS_FILE, SYNC_STATUS_FILE } from '../../services/sync';
import { describeDamage, lockHolder, lockNameFor, openStore, STORE_LOCK, readProfile, type DamageLocation, type NetworkProfile, type StoreStats } from '../../services/store';
import { INDEX_FILE } from '../../services/index';
import { CHECKPOINT_FILE, readCheckpoint, type FailureRecord } from '../../services/verify';
import type { HeightRange } from '../../services/store';
import { bool, type Parsed } from '../args';
import { CommandFailure, EXIT_OK } from '../errors';
import type { Ctx } from '../main';
import { readForks, readJsonFile, requireReplicaDir, type ProblemLike, type SyncStatusFile } from '../replica';
import { fmtBytes, fmtCount, fmtRanges } from '../term';

export interface StatusReport {
  format: 'custos-status/1';
  dir: string;
  chainId: string | null;
  genesis: {
    /** SHA-256 of the stored genesis.json (from the store's meta.json). */
    stored: string | null;
    /** The hash pinned in profile.json. */
    pinned: string | null;
    matches: boolean | null;
  };
  heights: { lowest: number; highest: number; complete: number; completeHeights: number; missing: HeightRange[] };
  store: { records: number; segments: number; bytes: number; ackedBytes: number; damaged: DamageLocation[]; droppedRanges: number };
  verified: {
    height: number;
    at: string;
    failuresTotal: number;
    firstFailure: FailureRecord | null;
  } | null;
  /** Why the verification checkpoint could not be read, if it could not. */
  verifiedProblem?: string;
  endpoints: string[];
  lastSync: {
    at: string | null;
    stopped: string | null;
    completeHeight: number | null;
    target: number | null;
    endpoints: NonNullable<SyncStatusFile['endpoints']>;
    lastFailure: SyncStatusFile['lastFailure'] | null;
  } | null;
  forks: { count: number; unreadable: number; file: string };
  lastFailure: { source: 'sync' | 'verify' | 'store'; message: string; at?: string; height?: number } | null;
  /** Writers at work on the replica now (their lock files, held by live processes). */
  running: { activity: 'sync' | 'verify' | 'index'; pid: number }[];
  problems: string[];
}

/** The writers' lock files (store/lock.ts): the store's, the verifier's checkpoint's, the index's. */
const LOCKS = [['sync', STORE_LOCK], ['verify', lockNameFor(CHECKPOINT_FILE)], ['index', lockNameFor(INDEX_FILE)]] as const;

async function runningIn(dir: string): Promise<StatusReport['running']> {
  const out: StatusReport['running'] = [];
  for (const [activity, name] of LOCKS) {
    const pid = await lockHolder(dir, name);
    if (pid !== null) out.push({ activity, pid });
  }
  return out;
}

export async function runStatus(p: Parsed, ctx: Ctx): Promise<number> {
  const dir = p.positionals[0]!;
  await requireReplicaDir(dir, 'status');
  const report = await gatherStatus(dir);
  ctx.out.write(bool(p, 'json') ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
  return EXIT_OK;
}

export async function gatherStatus(dir: string): Promise<StatusReport> {
  const problems: string[] = [];
  let profile: NetworkProfile | undefined;
  try {
    profile = await readProfile(dir);
  } catch (e) {
    problems.push((e as Error).message);
  }
  let st: StoreStats;
  let missing: HeightRange[];
  try {
    const store = await openStore(dir, { readOnly: true });
    try {
      st = store.stats();
      missing = st.highestHeight > 0 ? store.missing(st.lowestHeight, st.highestHeight) : [];
    } finally {
      await store.close();
    }
  } catch (e) {
    throw new CommandFailure(`cannot read the replica store in ${dir}: ${(e as Error).message}`);
  }

  const sync = await readJsonFile<SyncStatusFile>(join(dir, SYNC_STATUS_FILE));
  if (sync.problem) problems.push(sync.problem);
  const s = sync.value;
  const forks = await readForks(dir, FORKS_FILE);
  if (forks.unreadable) problems.push(`${forks.unreadable} unreadable line(s) in ${FORKS_FILE}`);

  let verified: StatusReport['verified'] = null;
  let verifiedProblem: string | undefined;
  const cp = await readCheckpoint(join(dir, CHECKPOINT_FILE));
  if (cp && 'problem' in cp) verifiedProblem = `${CHECKPOINT_FILE}: ${cp.problem}`;
  else if (cp) {
    const h = cp.header;
    if (st.genesisSha256 !== null && h.genesisSha256 !== st.genesisSha256) verifiedProblem = `${CHECKPOINT_FILE} was made for another genesis`;
    else verified = { height: h.height, at: h.createdAt, failuresTotal: h.failuresTotal, firstFailure: h.firstFailure };
  }
  if (verifiedProblem) problems.push(verifiedProblem);

  const pinned = profile?.genesisSha256 ?? null;
  const damaged = st.damaged.filter((d) => !d.superseded);

  // The last failure: the most recent of the sync's and the verifier's; else store damage.
  const candidates: NonNullable<StatusReport['lastFailure']>[] = [];
  if (s?.lastFailure) candidates.push({ source: 'sync', message: s.lastFailure.message, ...(s.lastFailure.at ?? s.updatedAt ? { at: s.lastFailure.at ?? s.updatedAt } : {}) });
  if (verified && verified.failuresTotal > 0 && verified.firstFailure) {
    const f = verified.firstFailure;
    candidates.push({ source: 'verify', message: `${f.check} at height ${f.height}: expected ${f.expected}, found ${f.found}`, at: verified.at, height: f.height });
  }
  candidates.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  let lastFailure = candidates[0] ?? null;
  if (!lastFailure && damaged.length > 0) {
    const d = damaged[damaged.length - 1]!;
    lastFailure = { source: 'store', message: describeDamage(d), ...(d.height !== undefined ? { height: d.height } : {}) };
  }

  return {
    format: 'custos-status/1',
    dir,
    chainId: profile?.chainId ?? s?.chainId ?? null,
    genesis: { stored: st.genesisSha256, pinned, matches: st.genesisSha256 === null || pinned === null ? null : st.genesisSha256 === pinned },
    heights: { lowest: st.lowestHeight, highest: st.highestHeight, complete: st.completeHeight, completeHeights: st.completeHeights, missing },
    store: { records: st.records, segments: st.segments, bytes: st.bytes, ackedBytes: st.ackedBytes, damaged, droppedRanges: st.dropped.length },
    verified,
    ...(verifiedProblem ? { verifiedProblem } : {}),
    endpoints: profile?.endpoints ?? [],
    lastSync: s ? {
      at: s.updatedAt ?? null,
      stopped: s.stopped ?? null,
      completeHeight: s.completeHeight ?? null,
      target: s.target ?? null,
      endpoints: s.endpoints ?? [],
      lastFailure: s.lastFailure ?? null,
    } : null,
    forks: { count: forks.evidence.length, unreadable: forks.unreadable, file: join(dir, FORKS_FILE) },
    lastFailure,
    running: await runningIn(dir),
    problems,
  };
}

export function endpointLine(e: NonNullable<SyncStatusFile['endpoints']>[number]): string {
  const parts = [e.endpoint, e.state];
  if (e.latencyMs !== null) parts.push(`${Math.round(e.latencyMs)} ms`);
  parts.push(`served ${fmtCount(e.blocksServed)} blocks`);
  if (e.latestHeight !== null) parts.push(`tip ${fmtCount(e.latestHeight)}`);
  if (e.failures) parts.push(`${fmtCount(e.failures)} failure(s)`);
  const r: ProblemLike | undefined = e.reason ?? (e.state !== 'ok' ? e.lastError : undefined);
  let line = `  ${parts.join('  ')}`;
  if (r) {
    const at = r.height !== undefined ? ` at ${r.height}` : '';
    const check = r.check ? ` (${r.check})` : '';
    const ef = r.expected !== undefined || r.found !== undefined ? `; expected ${r.expected ?? '?'}, found ${r.found ?? '?'}` : '';
    line += `\n      ${r.kind}${at}${check}: ${r.message}${ef}`;
  }
  return line;
}

export function formatStatus(r: StatusReport): string {
  const L: string[] = [];
  const row = (k: string, v: string): void => void L.push(`${k.padEnd(14)}${v}`);
  row('replica', r.dir);
  if (r.running.length) row('running now', r.running.map((w) => `${w.activity} (pid ${w.pid})`).join(', '));
  row('chain', r.chainId ?? '(unknown)');
  const g = r.genesis;
  if (g.stored === null) row('genesis', 'none stored yet');
  else if (g.pinned === null) row('genesis', `sha256 ${g.stored} (not pinned)`);
  else if (g.matches) row('genesis', `sha256 ${g.stored} (pinned; genesis.json matches)`);
  else row('genesis', `MISMATCH: pinned ${g.pinned}, genesis.json has ${g.stored}`);
  const h = r.heights;
  if (h.highest === 0) row('stored', 'no heights yet');
  else {
    row('stored', `heights ${fmtCount(h.lowest)}..${fmtCount(h.highest)}, complete to ${fmtCount(h.complete)} ` +
      `(${fmtCount(h.completeHeights)} complete heights; ${fmtCount(r.store.records)} records in ${r.store.segments} segment(s), ${fmtBytes(r.store.bytes)})`);
    if (h.missing.length) row('missing', fmtRanges(h.missing));
  }
  if (r.verified) {
    const v = r.verified;
    const f = v.failuresTotal === 0 ? 'no failures'
      : `${fmtCount(v.failuresTotal)} FAILURE(S), first at height ${v.firstFailure?.height ?? '?'} (${v.firstFailure?.check ?? '?'})`;
    row('verified', `up to ${fmtCount(v.height)} of ${fmtCount(h.highest)}, ${f} (checkpoint ${v.at})`);
  } else row('verified', r.verifiedProblem ? `unknown (${r.verifiedProblem})` : 'not yet (custos verify DIR)');
  if (r.lastSync) {
    const s = r.lastSync;
    const upTo = s.completeHeight !== null ? `, complete to ${fmtCount(s.completeHeight)}${s.target ? ` of ${fmtCount(s.target)}` : ''}` : '';
    row('last sync', `${s.at ?? '?'} (${s.stopped ?? '?'}${upTo})`);
    L.push('endpoints');
    if (s.endpoints.length === 0) L.push('  (none recorded)');
    for (const e of s.endpoints) L.push(endpointLine(e));
  } else {
    row('last sync', 'none recorded');
    row('endpoints', r.endpoints.length ? r.endpoints.join(', ') : '(none)');
  }
  row('forks', r.forks.count === 0 ? 'none' : `${r.forks.count} piece(s) of fork evidence in ${r.forks.file}`);
  if (r.store.damaged.length === 0) row('damage', 'none found');
  else {
    row('damage', `${r.store.damaged.length} damaged record(s) (custos sync re-fetches them):`);
    for (const d of r.store.damaged.slice(0, 5)) L.push(`  ${describeDamage(d)}`);
    if (r.store.damaged.length > 5) L.push(`  … ${r.store.damaged.length - 5} more`);
  }
  const lf = r.lastFailure;
  row('last failure', lf ? `${lf.source}${lf.at ? ` ${lf.at}` : ''}: ${lf.message}` : 'none');
  for (const p of r.problems) row('problem', p);
  return `${L.join('\n')}\n`;
}
