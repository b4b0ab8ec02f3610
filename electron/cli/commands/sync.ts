// custos sync --rpc URL[,URL...] --out DIR [--genesis-sha256 HEX] [--to HEIGHT] [--follow]
//            [--no-verify] [--scrub]
// Fills or resumes the replica through the sync engine (electron/services/sync), reporting
// progress, endpoint health and fork evidence on stderr, then verifies what is new.

import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeDamage, META_FILE, openStore, StoreLockedError, type ReplicaStore } from '../../services/store';
import {
  FORKS_FILE, SyncError, syncReplica, type EndpointHealth, type EndpointProblem, type SyncEvent, type SyncProgress, type SyncResult,
} from '../../services/sync';
import { bool, optional, parseHeight, parseSha256, parseThreads, parseUrls, required, type Parsed } from '../args';
import { COMMANDS } from '../commands';
import { CommandFailure, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors';
import type { Ctx } from '../main';
import { fmtCount, fmtDuration, fmtRanges, Progress } from '../term';
import { endpointLine } from './status';
import { verifyReplica } from './verification';

export async function runSync(p: Parsed, ctx: Ctx): Promise<number> {
  const spec = COMMANDS.sync!;
  if (!p.lists.rpc?.length) throw new UsageError('--rpc URL[,URL...] is required', 'sync');
  const endpoints = parseUrls(p.lists.rpc, 'rpc', 'sync');
  const dir = required(p, spec, 'out');
  const pinFlag = optional(p, 'genesis-sha256');
  const pin = pinFlag === undefined ? undefined : parseSha256(pinFlag, 'genesis-sha256', 'sync');
  const toFlag = optional(p, 'to');
  const to = toFlag === undefined ? undefined : parseHeight(toFlag, 'to', 'sync');
  const follow = bool(p, 'follow');
  const noVerify = bool(p, 'no-verify');
  const t = optional(p, 'threads');
  const threads = t === undefined ? undefined : parseThreads(t, 'threads', 'sync');
  const existed = await requireSyncDir(dir);

  let store: ReplicaStore;
  try {
    store = await openStore(dir);
  } catch (e) {
    if (e instanceof StoreLockedError) throw new CommandFailure(`${dir} is being written by another custos process (pid ${e.pid})`);
    throw new CommandFailure(`cannot open the replica store in ${dir}: ${(e as Error).message}`);
  }
  const progress = new Progress(ctx.err);
  let result: SyncResult | undefined;
  let failure: SyncError | undefined;
  try {
    const rep = store.openReport;
    for (const t of rep.truncated) progress.note(`store: cut ${fmtCount(t.bytes)} unacknowledged byte(s) at ${t.file} @ ${t.offset} (an interrupted write); those heights are fetched again`);
    if (rep.recoveredRecords) progress.note(`store: kept ${fmtCount(rep.recoveredRecords)} record(s) written but not yet acknowledged before an interruption`);
    for (const d of rep.damaged) progress.note(`store: DAMAGE ${describeDamage(d)}`);
    if (bool(p, 'scrub')) await scrub(store, progress);

    const notePin = makeGenesisNotice(dir);
    try {
      result = await syncReplica({
        store,
        endpoints,
        ...(pin !== undefined ? { genesisSha256: pin } : {}),
        ...(to !== undefined ? { to } : {}),
        follow,
        signal: ctx.signal,
        onProgress: (s) => progress.update(progressLine(s), s.phase === 'done'),
        onEvent: (e) => onEvent(e, progress, notePin, dir),
      });
    } catch (e) {
      if (!(e instanceof SyncError)) throw e;
      if (e.kind === 'bad-options') throw new UsageError(e.message, 'sync');
      failure = e;
      result = e.result;
    }
  } finally {
    progress.finish();
    const empty = store.genesisSha256 === null && store.stats().records === 0;
    await store.close();
    // Nothing was stored (no genesis yet): leave no directory behind that this run created.
    if (empty && !existed) await rm(dir, { recursive: true, force: true });
  }

  if (failure) {
    const beforeData = failure.kind === 'genesis-mismatch' || failure.kind === 'genesis-unavailable' || failure.kind === 'chain-id';
    if (result && !beforeData) ctx.out.write(summary(result, dir, 'stopped by a failure'));
    if (failure.kind === 'genesis-mismatch' && pin !== undefined) {
      const found = failure.message.match(/[0-9a-f]{64}/g)?.find((h) => h !== pin) ?? '(see above)';
      throw new CommandFailure(`genesis mismatch: expected sha256 ${pin} (--genesis-sha256), found ${found}\n  ${failure.message}`);
    }
    throw new CommandFailure(`${failure.kind}: ${failure.message}`);
  }
  const r = result!;
  if (r.stopped === 'aborted') {
    ctx.out.write(summary(r, dir, 'interrupted'));
    ctx.err.write(`custos sync: stopped; progress is saved (complete to ${fmtCount(r.completeHeight)}). Run the same command to resume${noVerify ? '' : `, or custos verify ${dir}`}.\n`);
    return EXIT_INTERRUPTED;
  }
  ctx.out.write(summary(r, dir, 'done'));
  if (noVerify) return EXIT_OK;
  if (ctx.signal.aborted) return EXIT_INTERRUPTED;
  ctx.err.write('verifying what is new …\n');
  const { code } = await verifyReplica(ctx, { dir, full: false, json: false, label: 'verify', ...(pin !== undefined ? { pin } : {}), ...(threads ? { threads } : {}) });
  return code === EXIT_OK ? EXIT_OK : code === EXIT_INTERRUPTED ? EXIT_INTERRUPTED : EXIT_FAILED;
}

/** The --out directory: absent, empty, or a replica (never some other non-empty directory). Returns whether it existed. */
async function requireSyncDir(dir: string): Promise<boolean> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) return false;
  if (!st.isDirectory()) throw new UsageError(`--out ${dir} is not a directory`, 'sync');
  const names = await readdir(dir);
  // A sync killed before its first flush leaves only store-owned files and no meta.json yet;
  // that is a replica to resume (its unacknowledged records are discarded on open).
  const foreign = names.filter((n) => !STORE_OWNED.has(n) && !/^\..*\.tmp$/.test(n));
  if (!names.includes(META_FILE) && foreign.length > 0) throw new UsageError(`--out ${dir} is not empty and not a Custos replica (no ${META_FILE})`, 'sync');
  return true;
}

/** Names the store and the sync create in a replica directory before meta.json exists. */
const STORE_OWNED = new Set(['LOCK', 'segments', 'genesis.json', 'profile.json', 'sync-status.json', 'forks.jsonl']);

async function scrub(store: ReplicaStore, progress: Progress): Promise<void> {
  progress.note('store: checking every stored record against its checksum (--scrub) …');
  const r = await store.scrub((s) => progress.update(`scrub: ${s.segment} ${Math.floor((100 * s.bytesDone) / Math.max(1, s.bytesTotal))}%`));
  const bad = r.damaged.filter((d) => !d.superseded);
  progress.note(`store: scrubbed ${fmtCount(r.records)} record(s) in ${r.segments} segment(s): ${bad.length === 0 ? 'no damage' : `${bad.length} damaged`}${r.missing.length ? `; to re-fetch: ${fmtRanges(r.missing)}` : ''}`);
  for (const d of bad) progress.note(`store: DAMAGE ${describeDamage(d)}`);
}

const short = (endpoint: string): string => endpoint.replace(/^https?:\/\//, '');

function progressLine(s: SyncProgress): string {
  const eps = s.endpoints.map((e) => `${short(e.endpoint)} ${e.state === 'ok' ? `ok${e.latencyMs !== null ? ` ${Math.round(e.latencyMs)}ms` : ''}` : e.state === 'degraded' ? 'DEGRADED' : 'SET ASIDE'}`).join(' · ');
  switch (s.phase) {
    case 'connecting':
      return `sync: connecting to ${s.endpoints.length} endpoint(s)  | ${eps}`;
    case 'genesis':
      return `sync: fetching the genesis  | ${eps}`;
    case 'following':
      return `sync: following the head, complete to ${fmtCount(s.height)} (durable ${fmtCount(s.durableHeight)})  | ${eps}`;
    default: {
      const pct = s.target > 0 ? ` ${Math.floor((100 * s.height) / s.target)}%` : '';
      const forks = s.forks ? `  FORKS ${s.forks}` : '';
      return `sync: ${fmtCount(s.height)}/${fmtCount(s.target)}${pct} (durable ${fmtCount(s.durableHeight)})  ${s.blocksPerSecond.toFixed(1)} blocks/s  ETA ${fmtDuration(s.etaSeconds)}${forks}  | ${eps}`;
    }
  }
}

function problemText(p: EndpointProblem): string {
  const at = p.height !== undefined ? ` at height ${p.height}` : '';
  const check = p.check ? ` (${p.check})` : '';
  const ef = p.expected !== undefined || p.found !== undefined ? `; expected ${p.expected ?? '?'}, found ${p.found ?? '?'}` : '';
  return `${p.kind}${at}${check}: ${p.message}${ef}`;
}

/** The genesis notice: on first fetch without a pin, the hash and how to pin it. */
function makeGenesisNotice(dir: string): (e: Extract<SyncEvent, { type: 'genesis' }>, progress: Progress) => void {
  return (e, progress) => {
    if (e.pinned) {
      progress.note(`genesis: chain ${e.chainId}, sha256 ${e.sha256} matches --genesis-sha256${e.stored ? ` (fetched from ${e.from} via ${e.via})` : ''}`);
      return;
    }
    if (!e.stored) {
      progress.note(`genesis: chain ${e.chainId}, sha256 ${e.sha256} (from the replica; pass --genesis-sha256 to hold it to your pin)`);
      return;
    }
    progress.note(`genesis: chain ${e.chainId}, sha256 ${e.sha256}
  fetched from ${e.from} via ${e.via} and saved in ${join(dir, 'genesis.json')}.
  This hash is the replica's root of trust. Compare it with the one your consortium publishes
  (out of band), then pin it on every later run (and on custos verify and custos import):
    --genesis-sha256 ${e.sha256}`);
  };
}

function onEvent(e: SyncEvent, progress: Progress, notePin: ReturnType<typeof makeGenesisNotice>, dir: string): void {
  switch (e.type) {
    case 'genesis':
      notePin(e, progress);
      break;
    case 'endpoint':
      if (e.state === 'set-aside') progress.note(`endpoint ${e.endpoint} SET ASIDE: ${e.problem ? problemText(e.problem) : 'no reason given'}; the sync goes on from the others`);
      else if (e.state === 'degraded') progress.note(`endpoint ${e.endpoint} degraded: ${e.problem ? problemText(e.problem) : 'failing'}`);
      else progress.note(`endpoint ${e.endpoint} ok again`);
      break;
    case 'fork': {
      const ev = e.evidence;
      const sides = ev.sides.map((s) => `    block ${s.blockId} from ${s.endpoints.join(', ')}: ${s.certified ? 'CERTIFIED' : 'not certified'} (${s.verdict})`).join('\n');
      progress.note(`FORK EVIDENCE at height ${ev.height}: ${ev.sides.length} different signed headers (${ev.resolution})\n${sides}\n  ${ev.note}\n  evidence saved in ${join(dir, FORKS_FILE)}`);
      break;
    }
    default:
      break;
  }
}

function summary(r: SyncResult, dir: string, how: string): string {
  const L: string[] = [];
  L.push(`sync ${how}: ${dir} complete to height ${fmtCount(r.completeHeight)}${r.target ? ` (target ${fmtCount(r.target)})` : ''}`);
  if (r.chainId) L.push(`  chain       ${r.chainId}`);
  if (r.genesisSha256) L.push(`  genesis     sha256 ${r.genesisSha256}`);
  L.push(`  this run    ${fmtCount(r.heightsWritten)} height(s) in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.blocksPerSecond.toFixed(1)} blocks/s)`);
  if (r.heightsWritten) L.push(`  cross-check ${fmtCount(r.crossChecked)} height(s) confirmed by a second endpoint, ${fmtCount(r.singleSource)} from a single endpoint`);
  L.push(`  forks       ${r.forks.length === 0 ? 'none' : `${r.forks.length} (evidence in ${join(dir, FORKS_FILE)})`}`);
  L.push('  endpoints');
  for (const e of r.endpoints) L.push(`  ${endpointLine(e as EndpointHealth)}`);
  return `${L.join('\n')}\n`;
}
