// A real crash test: a child process appends and flushes in a loop; it is SIGKILLed at random
// moments, reopened (repairing any torn tail) and resumed, many times. At the end the store must
// hold exactly the records of an uninterrupted run, and no acknowledged height may ever be lost.

import { afterAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIND_LIST, openStore } from './index';
import { payloadFor } from './test-records';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const KILLS = 30;
const N = 2600; // heights
const MAX_ADVANCE = 80; // a run is killed by this many heights past its start at the latest, so N outlasts the kills
const SEG = 4 << 20;
const FLUSH_EVERY = 4;
const MAX_LEN = 6000;
const BIG_EVERY = 97; // a ~1 MiB block_results now and then, so kills land inside large writes

interface Run {
  acked: number;
  done: boolean;
  truncatedAtOpen: number;
  recoveredAtOpen: number;
}

function run(dir: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(N), String(SEG), String(FLUSH_EVERY), String(MAX_LEN), String(BIG_EVERY)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r: Run = { acked: 0, done: false, truncatedAtOpen: 0, recoveredAtOpen: 0 };
    let out = '';
    let err = '';
    let start = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const [word, a, b, c] = out.slice(0, nl).split(' ');
        out = out.slice(nl + 1);
        if (word === 'acked') {
          r.acked = Number(a);
          if (killAfterMs !== undefined && r.acked >= start + MAX_ADVANCE) child.kill('SIGKILL');
        }
        if (word === 'done') r.done = true;
        if (word === 'ready') {
          start = Number(a);
          r.truncatedAtOpen = Number(b);
          r.recoveredAtOpen = Number(c);
          if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || (code === 0 && r.done)) resolve(r);
      else reject(new Error(`child exited ${code ?? signal}: ${err}`));
    });
  });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it(`survives ${KILLS} SIGKILLs and ends identical to an uninterrupted run`, async () => {
  const t0 = performance.now();
  const [dir, refDir] = [await mkdtemp(join(tmpdir(), 'custos-crash-')), await mkdtemp(join(tmpdir(), 'custos-ref-'))];
  dirs.push(dir, refDir);
  const reference = run(refDir); // the uninterrupted run, in parallel
  let kills = 0;
  let repairs = 0;
  let recovered = 0;
  let acked = 0;
  let checks = 0;
  while (kills < KILLS) {
    const r = await run(dir, 5 + Math.random() * 120);
    repairs += r.truncatedAtOpen;
    recovered += r.recoveredAtOpen;
    acked = Math.max(acked, r.acked);
    if (r.done) break;
    kills++;
    if (kills % 3 !== 0) continue; // otherwise the child repairs on its own next open
    // Reopen here: repair, then nothing acknowledged is lost and nothing invalid is readable.
    const s = await openStore(dir, { segmentSize: SEG });
    repairs += s.openReport.truncated.length;
    recovered += s.openReport.recoveredRecords;
    const complete = s.stats().completeHeight;
    expect(complete).toBeGreaterThanOrEqual(acked);
    expect(s.openReport.damaged).toEqual([]);
    expect((await s.scrub()).damaged).toEqual([]);
    for await (const { height, payloads } of s.iterate(1, complete)) {
      for (const k of KIND_LIST) if (!Buffer.from(payloads[k]!).equals(payloadFor(k, height, MAX_LEN, BIG_EVERY))) expect.fail(`${k}@${height} differs`);
    }
    await s.close();
    checks++;
  }
  const killedBy = acked;
  const last = await run(dir);
  expect(last.done).toBe(true);
  expect((await reference).done).toBe(true);

  const [a, b] = [await openStore(dir, { readOnly: true }), await openStore(refDir, { readOnly: true })];
  expect(a.heights()).toEqual([{ from: 1, to: N }]);
  expect(a.stats().records).toBe(b.stats().records);
  expect((await a.scrub()).damaged).toEqual([]);
  const ib = b.iterate(1, N);
  let n = 0;
  for await (const x of a.iterate(1, N)) {
    const y = (await ib.next()).value!;
    expect(x.height).toBe(y.height);
    for (const k of KIND_LIST) if (!Buffer.from(x.payloads[k]!).equals(y.payloads[k]!)) expect.fail(`${k}@${x.height} differs from the uninterrupted run`);
    n++;
  }
  expect(n).toBe(N);
  const s = a.stats();
  console.log(`crash test: ${kills} SIGKILLs, ${repairs} torn tails cut, ${recovered} unacknowledged records recovered, killed up to height ~${killedBy}/${N}, ${checks} parent checks, ${s.segments} segments, ${(s.bytes / 2 ** 20).toFixed(1)} MiB, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  expect(kills).toBe(KILLS);
}, 60_000);
