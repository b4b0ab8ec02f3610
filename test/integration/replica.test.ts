// The replica end to end, through the real `custos` command (bin/custos.mjs in child
// processes) against a live 4-validator devnet carrying consent-ledger transactions:
//   - sync from all four endpoints, verify (--json): zero failures, blocks, transactions and
//     signatures counted; more blocks come, sync again: only the new part is verified;
//   - a sync SIGKILLed at random points many times, resumed each time, ends with a replica
//     identical (same records, byte-identical payloads per kind and height) to an
//     uninterrupted sync of the same range, and verifies.
// One devnet for the whole file. Run alone with
//   npx vitest run -c vitest.integration.config.ts test/integration/replica.test.ts
// CUSTOS_KEEP_DEVNET=1 keeps the data directory; CUSTOS_REPLICA_KILLS=N changes the kill count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreeBasePort, startDevnet, type Devnet } from '../../network/devnet';
import { KIND_LIST, openStore } from '../../electron/services/store';
import type { VerificationReport } from '../../electron/services/verify';
import { playLedgerLoad } from '../support/ledger-load';
import { startLatencyProxy, type LatencyProxy } from '../support/latency-proxy';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'custos.mjs');
const KILLS = Number(process.env.CUSTOS_REPLICA_KILLS ?? 15);
/** Each interrupted run is held to this much wall time at most. */
const RUN_BOUND_MS = 60_000;

let home: string;
let net: Devnet;
let rpcs: string[];
let allFour: string;
/** The last block of the first workload. */
let lastTxHeight = 0;
const proxies: LatencyProxy[] = [];
const log = (l: string): void => console.log(`[replica-it] ${l}`);

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** stderr lines with the ms since spawn at which each arrived. */
  lines: { t: number; line: string }[];
  killed: boolean;
}

/** When to SIGKILL a run: `delayMs` after spawn, or after the first stderr line matching `after`. */
interface KillAt {
  after?: RegExp;
  delayMs: number;
}

/** Runs `custos ARGS` in a child process, SIGKILLing it at `kill` if it is still running then. */
function custos(args: string[], kill?: KillAt): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, CUSTOS_PROGRESS_INTERVAL_MS: '100', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines: CliRun['lines'] = [];
    let killed = false;
    let killer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      killer ??= setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          killed = true;
          child.kill('SIGKILL');
        }
      }, kill!.delayMs);
    };
    if (kill && !kill.after) arm();
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push({ t: performance.now() - t0, line });
        if (kill?.after?.test(line)) arm();
      }
    });
    const bound = setTimeout(() => child.kill('SIGKILL'), RUN_BOUND_MS);
    child.on('error', reject);
    // 'close': exited and reaped, so the store's LOCK names a dead pid
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(bound);
      resolveRun({ code, signal, stdout, stderr, ms: performance.now() - t0, lines, killed });
    });
  });
}

function ok(r: CliRun, what: string): void {
  if (r.code !== 0) expect.fail(`${what} exited ${r.code ?? r.signal}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`);
}

async function verifyJson(dir: string, ...extra: string[]): Promise<VerificationReport> {
  const r = await custos(['verify', dir, '--json', ...extra]);
  ok(r, `custos verify ${dir}`);
  return JSON.parse(r.stdout) as VerificationReport;
}

/** A height every node has, with the commit for it canonical (in the next block). */
async function settledHeight(): Promise<number> {
  const hs = await Promise.all(rpcs.map((_, i) => net.rpc(i).height()));
  return Number(hs.reduce((a, b) => (a < b ? a : b))) - 2;
}

/** Two replicas hold the same records: same heights, genesis, and byte-identical payloads per (kind, height). */
async function expectSameReplica(dirA: string, dirB: string): Promise<number> {
  const a = await openStore(dirA, { readOnly: true });
  const b = await openStore(dirB, { readOnly: true });
  try {
    const sa = a.stats();
    const sb = b.stats();
    expect(sa.damaged).toEqual([]);
    expect(sb.damaged).toEqual([]);
    expect(a.heights()).toEqual(b.heights());
    expect({ ...sa, dir: '', segments: 0, bytes: 0, ackedBytes: 0 }).toEqual({ ...sb, dir: '', segments: 0, bytes: 0, ackedBytes: 0 });
    expect(Buffer.from((await a.getGenesis())!).equals(Buffer.from((await b.getGenesis())!))).toBe(true);
    let compared = 0;
    for (let h = sa.lowestHeight; h <= sa.highestHeight; h++) {
      for (const k of KIND_LIST) {
        const pa = await a.get(k, h);
        const pb = await b.get(k, h);
        expect(pa === undefined, `${k} @ ${h} present in one replica only`).toBe(pb === undefined);
        if (pa && pb && !Buffer.from(pa).equals(Buffer.from(pb))) expect.fail(`${k} @ ${h}: payloads differ (${pa.length} vs ${pb.length} bytes)`);
        if (pa) compared++;
      }
    }
    return compared;
  } finally {
    await a.close();
    await b.close();
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'custos-replica-it-'));
  const basePort = await findFreeBasePort(4);
  net = await startDevnet({ home, validators: 4, basePort, emptyBlocksInterval: '0s', timeoutCommit: '100ms', log: (l) => console.log(`[devnet] ${l}`) });
  rpcs = net.nodes.map((n) => n.rpc);
  allFour = rpcs.join(',');
  const r = await playLedgerLoad({ rpc: rpcs, chainId: net.chainId, devnetSeed: net.seed, txs: 300, offchainDir: join(home, 'offchain'), concurrency: 32, log });
  log(`${r.ok} transactions (${r.via}) in blocks ${r.heights.first}–${r.heights.last} in ${r.seconds.toFixed(1)} s`);
  expect(r.ok).toBeGreaterThanOrEqual(250);
  expect(r.unexpected).toBe(0);
  lastTxHeight = r.heights.last;
  await net.waitForHeight(BigInt(r.heights.last + 3), { timeoutMs: 60_000 });
});

afterAll(async () => {
  for (const p of proxies.splice(0)) await p.close();
  await net?.stop();
  if (home && !process.env.CUSTOS_KEEP_DEVNET) rmSync(home, { recursive: true, force: true });
});

describe('custos sync and verify against a live devnet', () => {
  it('syncs from all four endpoints and verifies with zero failures; a second sync verifies only the new part', async () => {
    const dir = join(home, 'replica-a');
    const h1 = await settledHeight();
    const s1 = await custos(['sync', '--rpc', allFour, '--out', dir, '--to', String(h1), '--no-verify']);
    ok(s1, 'custos sync');
    expect(s1.stdout).toContain(`complete to height ${h1}`);
    expect(s1.stdout).toMatch(/forks\s+none/);
    expect(s1.stdout).toMatch(new RegExp(`cross-check ${h1} height\\(s\\) confirmed by a second endpoint`));

    const v1 = await verifyJson(dir);
    log(`verify to ${h1}: ${JSON.stringify(v1.counts)} in ${v1.durationMs} ms (${s1.ms.toFixed(0)} ms sync)`);
    expect(v1).toMatchObject({ ok: true, failuresTotal: 0, firstFailure: null, haltedBy: null, cancelled: false, forkEvidence: [] });
    expect(v1.failures).toEqual([]);
    expect(v1.heights).toEqual({ from: 1, to: h1 });
    expect(v1.run).toMatchObject({ from: 1, to: h1, blocks: h1, resumedFromCheckpoint: null, checkpoint: 'none' });
    expect(v1.counts.blocks).toBe(h1);
    expect(v1.counts.txs).toBeGreaterThanOrEqual(250);
    expect(v1.counts.txSignatures).toBe(v1.counts.txs);
    expect(v1.counts.commitSignatures).toBeGreaterThan(2 * h1); // > 2/3 of 4 validators sign each commit
    expect(v1.counts.signatures).toBe(v1.counts.commitSignatures + v1.counts.txSignatures);
    expect(v1.genesisSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.pinnedGenesisSha256).toBe(v1.genesisSha256); // pinned in profile.json by the first sync

    // More blocks, with more transactions in them; then sync again (verifying by default).
    const more = await playLedgerLoad({ rpc: rpcs, chainId: net.chainId, devnetSeed: net.seed, txs: 80, offchainDir: join(home, 'offchain'), concurrency: 32, log });
    expect(more.unexpected).toBe(0);
    await net.waitForHeight(BigInt(Math.max(more.heights.last, h1 + 10) + 3), { timeoutMs: 60_000 });
    const h2 = await settledHeight();
    const s2 = await custos(['sync', '--rpc', allFour, '--out', dir, '--to', String(h2)]);
    ok(s2, 'custos sync (resumed)');
    expect(s2.stdout).toContain(`this run    ${h2 - h1} height(s)`);
    // its report: this run verified h1+1..h2 only, after the checkpoint at h1
    expect(s2.stdout).toContain('VERIFIED: every check passed');
    expect(s2.stdout).toMatch(new RegExp(`heights\\s+1 to ${h2} verified \\(this run: ${h1 + 1} to ${h2}, resumed after the checkpoint at ${h1};`));

    const v2 = await verifyJson(dir);
    log(`verify to ${h2}: ${JSON.stringify(v2.counts)}, run ${JSON.stringify(v2.run)}`);
    expect(v2).toMatchObject({ ok: true, failuresTotal: 0, haltedBy: null });
    expect(v2.heights).toEqual({ from: 1, to: h2 });
    // nothing new since the sync's own verification: the checkpoint covers everything
    expect(v2.run).toMatchObject({ from: null, to: null, blocks: 0, resumedFromCheckpoint: h2, checkpoint: 'used' });
    expect(v2.counts.blocks).toBe(h2);
    expect(v2.counts.txs).toBeGreaterThanOrEqual(v1.counts.txs + more.ok);

    // a full re-verify from genesis agrees with the incremental one
    const full = await verifyJson(dir, '--full');
    expect(full).toMatchObject({ ok: true, failuresTotal: 0, heights: { from: 1, to: h2 } });
    expect(full.run).toMatchObject({ from: 1, to: h2, blocks: h2, checkpoint: 'full-reverify' });
    expect(full.counts).toEqual(v2.counts);
  });

  it(`survives ${KILLS} SIGKILLs at random points of a sync: the resumed replica is identical to an uninterrupted one and verifies`, async () => {
    // The first workload's blocks and some empty ones: a range that does not grow with a slow machine.
    const to = Math.min(await settledHeight(), Math.max(100, lastTxHeight + 5));
    const ref = join(home, 'replica-ref');
    const r0 = await custos(['sync', '--rpc', allFour, '--out', ref, '--to', String(to)]);
    ok(r0, 'uninterrupted custos sync');
    const refReport = await verifyJson(ref);
    expect(refReport).toMatchObject({ ok: true, heights: { from: 1, to } });

    // Latency in front of every endpoint (one request at a time each) stretches the fetch over
    // more of the run. Kills are aimed at each phase of a run in turn: start-up (store open and
    // repair, genesis, endpoint status), fetch and write, verification and its checkpoints.
    for (const u of rpcs) proxies.push(await startLatencyProxy(u, 60, 1));
    const slowFour = proxies.map((p) => p.url).join(',');
    const timed = await custos(['sync', '--rpc', slowFour, '--out', join(home, 'replica-timing'), '--to', String(to)]);
    ok(timed, 'timing run');
    const at = (re: RegExp): number => timed.lines.find((l) => re.test(l.line))?.t ?? timed.ms;
    const FETCHING = /^sync: \d/;
    const VERIFYING = /^verifying what is new/;
    const span = { start: at(FETCHING), fetch: at(VERIFYING) - at(FETCHING), verify: timed.ms - at(VERIFYING) };
    log(`uninterrupted run through the proxies: ${JSON.stringify(Object.fromEntries(Object.entries(span).map(([k, v]) => [k, Math.round(v)])))} ms`);

    let seed = Number(process.env.CUSTOS_REPLICA_SEED ?? Date.now() % 1_000_000);
    log(`kill schedule seed ${seed} (CUSTOS_REPLICA_SEED), heights 1–${to}`);
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Each round: a fresh replica, killed once while starting, twice while fetching, once
    // while verifying (each run resuming the one before), then a run left to finish.
    const schedule = (pos: number): KillAt => {
      switch (pos) {
        case 0: return { delayMs: random() * span.start };
        case 3: return { after: VERIFYING, delayMs: random() * span.verify };
        default: return { after: FETCHING, delayMs: random() * span.fetch };
      }
    };

    const phases: string[] = [];
    let kills = 0;
    let rounds = 0;
    let runs = 0;
    const t0 = performance.now();
    // Bounded, whatever the machine: about 16 uninterrupted runs' worth (15 kills take ~14).
    const budget = Math.min(150_000, Math.max(60_000, 16 * timed.ms));
    const timeLeft = (): boolean => performance.now() - t0 < budget;
    while (kills < KILLS && timeLeft()) {
      rounds++;
      const dir = join(home, `replica-killed-${rounds}`);
      const args = ['sync', '--rpc', slowFour, '--out', dir, '--to', String(to)];
      for (let pos = 0; pos < 4 && kills < KILLS; pos++) {
        const r = await custos(args, schedule(pos));
        runs++;
        if (!r.killed) {
          ok(r, 'resumed custos sync'); // it finished before the kill
          continue;
        }
        kills++;
        expect(r.signal).toBe('SIGKILL');
        phases.push(phaseOf(r.lines));
      }
      // resumed to the end: exit 0 means complete to `to` and verified (a failed check exits 1)
      const last = await custos(args);
      runs++;
      ok(last, 'final resumed sync');
      expect(last.stdout).toContain('VERIFIED: every check passed');
      const compared = await expectSameReplica(ref, dir);
      log(`round ${rounds}: ${compared} records identical to the uninterrupted replica`);
      if (kills >= KILLS || !timeLeft()) {
        const rep = await verifyJson(dir, '--full');
        expect(rep).toMatchObject({ ok: true, failuresTotal: 0, haltedBy: null, heights: { from: 1, to } });
        expect(rep.counts).toEqual(refReport.counts);
      }
    }
    const tally = phases.reduce<Record<string, number>>((m, p) => ((m[p] = (m[p] ?? 0) + 1), m), {});
    log(`${kills} kills over ${runs} runs in ${rounds} round(s), ${((performance.now() - t0) / 1000).toFixed(1)} s; killed while: ${JSON.stringify(tally)}`);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 10));
    expect(Object.keys(tally).length).toBeGreaterThanOrEqual(2);
  });
});

/** What a killed run was doing, from the last line it wrote on stderr. */
function phaseOf(lines: CliRun['lines']): string {
  const last = lines.at(-1)?.line ?? '';
  if (last === '') return 'starting';
  if (/^verif|checking checksums/.test(last)) return 'verifying';
  if (/^sync: \d/.test(last)) return 'fetching';
  return 'connecting';
}
