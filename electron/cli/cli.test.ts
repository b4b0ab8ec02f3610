// The custos CLI as a user runs it: `node bin/custos.mjs ...` in a child process, against
// replicas built with the store API from a real signed consent-ledger chain, and against
// loopback nodes (one of them behind a byzantine proxy) for `custos sync`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '../../shared/cometbft/bytes';
import { getBlock, indexPathFor, listBlocks, openIndex } from '../services/index';
import { lockBeside } from '../services/store';
import { cloneChain, type ReplicaChain } from '../../test/replica-chain';
import { startByzantineProxy } from '../../test/support/byzantine-proxy';
import type { FakeNode } from '../../test/support/fake-node';
import { runCli, serveChain, testChain, writeReplica, genesisSha } from './test-chain';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let tmp: string;
let chain: ReplicaChain;
let good: string; // a complete, good replica of `chain`
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'custos-cli-'));
  chain = testChain();
  good = join(tmp, 'good');
  await writeReplica(good, chain);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await rm(tmp, { recursive: true, force: true });
});

async function flipByte(file: string, offset: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, offset);
    b[0] = b[0]! ^ 0x01;
    await fh.write(b, 0, 1, offset);
  } finally {
    await fh.close();
  }
}

/** Each indexed block's verification status, and the failures the index holds for `height`. */
async function indexStatuses(dir: string, height?: number): Promise<{ statuses: Record<number, string>; failures: { check: string }[] }> {
  const ix = await openIndex(indexPathFor(dir), { log: () => undefined });
  try {
    const statuses: Record<number, string> = {};
    for (const b of listBlocks(ix, { limit: 1000 })) statuses[b.height] = b.verification;
    return { statuses, failures: height === undefined ? [] : (getBlock(ix, height)?.failures ?? []) };
  } finally {
    await ix.close();
  }
}

const all = (from: number, to: number, status: string): Record<number, string> =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [from + i, status]));

async function copyReplica(name: string, c: ReplicaChain = chain): Promise<string> {
  const dir = join(tmp, name);
  await writeReplica(dir, c);
  return dir;
}

describe('custos usage', () => {
  it('exits 2 naming the flag, argument or input that is wrong', async () => {
    const notReplica = join(tmp, 'not-a-replica');
    await mkdir(notReplica);
    await writeFile(join(notReplica, 'x.txt'), 'hello');
    const cases: [string[], RegExp][] = [
      [[], /usage: custos COMMAND/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['sync', '--rpc', 'http://127.0.0.1:1', '--out', join(tmp, 's'), '--bogus'], /unknown flag --bogus/],
      [['sync', '--out', join(tmp, 's')], /--rpc URL\[,URL\.\.\.\] is required/],
      [['sync', '--rpc', 'ftp://example.org', '--out', join(tmp, 's')], /--rpc: "ftp:\/\/example.org" is not an http or https URL/],
      [['sync', '--rpc', 'http://a,,http://b', '--out', join(tmp, 's')], /--rpc has an empty URL/],
      [['sync', '--rpc', 'http://127.0.0.1:1'], /--out DIR is required/],
      [['sync', '--rpc', 'http://127.0.0.1:1', '--out', join(tmp, 's'), '--to', '0'], /--to must be a positive integer height, got "0"/],
      [['sync', '--rpc', 'http://127.0.0.1:1', '--out', join(tmp, 's'), '--to', '12abc'], /--to must be a positive integer height/],
      [['sync', '--rpc', 'http://127.0.0.1:1', '--out', join(tmp, 's'), '--genesis-sha256', 'abc'], /--genesis-sha256 must be a SHA-256 in hex/],
      [['sync', '--rpc', 'http://127.0.0.1:1', '--out', notReplica], /--out .* is not empty and not a Custos replica/],
      [['sync', '--rpc', 'http://127.0.0.1:1', '--out', join(tmp, 's'), '--follow=yes'], /--follow takes no value/],
      [['verify'], /missing DIR/],
      [['verify', join(tmp, 'nope')], /no such directory/],
      [['verify', notReplica], /is not a Custos replica/],
      [['verify', good, 'extra'], /unexpected argument "extra"/],
      [['verify', good, '--threads', '0'], /--threads must be a number of threads/],
      [['verify', good, '--out'], /unknown flag --out/],
      [['status', good, '--json', '--json'], /--json given twice/],
      [['export', good], /--out FILE is required/],
      [['export', good, '--out'], /--out needs a value \(FILE\)/],
      [['export', good, '--out', tmp], /is a directory/],
      [['import', join(tmp, 'missing.bundle'), '--out', join(tmp, 'i')], /no such file/],
      [['import', join(good, 'meta.json'), '--out', notReplica], /--out .* exists and is not empty/],
    ];
    const results = [];
    for (let i = 0; i < cases.length; i += 6) results.push(...(await Promise.all(cases.slice(i, i + 6).map(([args]) => runCli(args)))));
    results.forEach((r, i) => {
      const [args, re] = cases[i]!;
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stdout, args.join(' ')).toBe('');
    });
    expect(existsSync(join(tmp, 's'))).toBe(false);
  }, 120_000);

  it('prints help for every command on stdout, exit 0', async () => {
    const names = ['sync', 'verify', 'export', 'import', 'status', 'index'];
    const results = await Promise.all([runCli(['--help']), ...names.map((n) => runCli([n, '--help']))]);
    expect(results.map((r) => r.code)).toEqual(names.map(() => 0).concat(0));
    expect(results[0]!.stdout).toMatch(/usage: custos COMMAND/);
    names.forEach((n, i) => expect(results[i + 1]!.stdout).toMatch(new RegExp(`usage: custos ${n} `)));
    expect(results[1]!.stdout).toMatch(/--genesis-sha256 HEX/);
  }, 60_000);
});

describe('custos status, export, import', () => {
  it('shows a replica, as text and as JSON', async () => {
    const text = await runCli(['status', good]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/chain\s+custos-replica-test/);
    expect(text.stdout).toContain(`sha256 ${await genesisSha(chain)} (pinned; genesis.json matches)`);
    expect(text.stdout).toMatch(/stored\s+heights 1\.\.12, complete to 12/);
    expect(text.stdout).toMatch(/verified\s+not yet/);
    expect(text.stdout).toMatch(/last failure\s+none/);
    const json = await runCli(['status', good, '--json']);
    expect(json.code).toBe(0);
    const s = JSON.parse(json.stdout) as Json;
    expect(s).toMatchObject({
      chainId: chain.chainId,
      genesis: { stored: await genesisSha(chain), matches: true },
      heights: { lowest: 1, highest: 12, complete: 12, missing: [] },
      store: { records: 48, damaged: [] },
      verified: null,
      endpoints: ['http://127.0.0.1:26657'],
      lastFailure: null,
      running: [],
    });
    expect(text.stdout).not.toMatch(/running now/);
  });

  it('names the writers at work on a replica: their locks, held by live processes', async () => {
    const release = await lockBeside(join(good, 'verify-checkpoint.bin'), 'being verified');
    try {
      writeFileSync(join(good, 'index.sqlite.lock'), String(spawnSync(process.execPath, ['-e', '']).pid)); // a dead holder
      const s = JSON.parse((await runCli(['status', good, '--json'])).stdout) as Json;
      expect(s['running']).toEqual([{ activity: 'verify', pid: process.pid }]);
      expect((await runCli(['status', good])).stdout).toMatch(new RegExp(`running now\\s+verify \\(pid ${process.pid}\\)`));
    } finally {
      await release!();
      rmSync(join(good, 'index.sqlite.lock'), { force: true });
    }
  });

  it('exports a bundle and imports it: checked, unpacked and fully verified', async () => {
    const bundle = join(tmp, 'good.bundle');
    const ex = await runCli(['export', good, '--out', bundle]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toMatch(/exported .* to .*good\.bundle/);
    expect(ex.stdout).toMatch(/heights 1\.\.12 \(complete to 12\), 48 records/);
    expect((await stat(bundle)).size).toBeGreaterThan(1000);
    expect((await runCli(['export', good, '--out', bundle])).code).toBe(2); // exists, no --force
    expect((await runCli(['export', good, '--out', bundle, '--force'])).code).toBe(0);

    const into = join(tmp, 'imported');
    const im = await runCli(['import', bundle, '--out', into, '--threads', '1', '--genesis-sha256', await genesisSha(chain)]);
    expect(im.code, im.stderr).toBe(0);
    expect(im.stdout).toMatch(/checked .* and unpacked into/);
    expect(im.stdout).toMatch(/VERIFIED: every check passed/);
    expect(im.stderr).toMatch(/imported and verified \(12 blocks\)/);
    const st = JSON.parse((await runCli(['status', into, '--json'])).stdout) as Json;
    expect(st).toMatchObject({ heights: { complete: 12 }, verified: { height: 12, failuresTotal: 0 } });

    // --json: the verification report and nothing else on stdout
    const into2 = join(tmp, 'imported-json');
    const ij = await runCli(['import', bundle, '--out', into2, '--json', '--threads', '1']);
    expect(ij.code, ij.stderr).toBe(0);
    expect(JSON.parse(ij.stdout)).toMatchObject({ ok: true, heights: { from: 1, to: 12 }, counts: { blocks: 12 } });
    // a genesis other than the pinned one is refused, and nothing is kept
    const into3 = join(tmp, 'imported-wrong-pin');
    const wp = await runCli(['import', bundle, '--out', into3, '--genesis-sha256', 'ab'.repeat(32)]);
    expect(wp.code).toBe(1);
    expect(wp.stderr).toMatch(/bundle refused: genesis: expected sha256 (ab){32} \(--genesis-sha256\), found [0-9a-f]{64}/);
    expect(existsSync(into3)).toBe(false);
  }, 120_000);

  it('refuses a tampered or truncated bundle with the reason (exit 1), writing nothing', async () => {
    const bundle = join(tmp, 'to-tamper.bundle');
    expect((await runCli(['export', good, '--out', bundle])).code).toBe(0);
    const size = (await stat(bundle)).size;

    const flipped = join(tmp, 'flipped.bundle');
    await writeFile(flipped, await readFile(bundle));
    await flipByte(flipped, Math.floor(size * 0.6)); // inside the segment data
    const into = join(tmp, 'from-flipped');
    const r = await runCli(['import', flipped, '--out', into]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bundle refused: segment 000001\.seg: SHA-256 mismatch \(expected [0-9a-f]{64}, found [0-9a-f]{64}\)/);
    expect(existsSync(into)).toBe(false);

    const cut = join(tmp, 'cut.bundle');
    await writeFile(cut, await readFile(bundle));
    await truncate(cut, size - 100);
    const t = await runCli(['import', cut, '--out', into]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/bundle refused: .*truncated/);
    expect(existsSync(into)).toBe(false);

    const junk = join(tmp, 'junk.bundle');
    await writeFile(junk, 'not a bundle at all, but long enough to hold a header of sixty-four bytes or so …');
    const j = await runCli(['import', junk, '--out', into]);
    expect(j.code).toBe(1);
    expect(j.stderr).toMatch(/bundle refused: header: not a Custos bundle/);
  });
});

describe('custos index', () => {
  it('indexes the replica into DIR/index.sqlite, then only what is new; --rebuild starts over', async () => {
    const dir = await copyReplica('indexed');
    const first = await runCli(['index', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/indexed heights 1\.\.12 \(12 height\(s\)/);
    expect(existsSync(join(dir, 'index.sqlite'))).toBe(true);
    expect((await runCli(['index', dir])).stdout).toMatch(/nothing new to index/);
    const re = await runCli(['index', dir, '--rebuild', '--json']);
    expect(re.code).toBe(0);
    expect(JSON.parse(re.stdout)).toMatchObject({ update: { heights: 12, rebuilt: 'requested' }, counts: { lastHeight: 12, blocks: 12, txs: chain.txCount } });
  }, 60_000);
});

describe('custos verify', () => {
  it('exits 0 with the report as JSON on a good replica; a resumed run verifies nothing new', async () => {
    const dir = await copyReplica('verify-good');
    const r = await runCli(['verify', dir, '--json', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Json; // stdout holds the JSON and nothing else
    expect(report).toMatchObject({ ok: true, failuresTotal: 0, heights: { from: 1, to: 12 }, counts: { blocks: 12, txs: chain.txCount, validatorChanges: 1 } });
    expect(r.stderr).toMatch(/verified to 12/);
    const again = await runCli(['verify', dir, '--threads', '1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/VERIFIED/);
    expect(again.stdout).toMatch(/this run: nothing new/);

    // The per-height results are in the index (DIR/index.sqlite) for the explorer.
    expect(r.stderr).toMatch(/verify: index .*index\.sqlite holds heights up to 12; recorded the result of 12 height\(s\)/);
    const ix = JSON.parse((await runCli(['index', dir, '--json'])).stdout) as Json;
    expect(ix).toMatchObject({ update: { heights: 0 }, counts: { lastHeight: 12, blocks: 12, verification: { verified: 12, failed: 0, failures: 0 } } });
    expect((await indexStatuses(dir)).statuses).toEqual(all(1, 12, 'verified'));
    // A new index file gets the earlier results from the report (the run resumed after its checkpoint).
    await rm(join(dir, 'index.sqlite'));
    const third = await runCli(['verify', dir, '--threads', '1']);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/recorded the result of 12 height\(s\)/);
    expect((await indexStatuses(dir)).statuses).toEqual(all(1, 12, 'verified'));
  }, 60_000);

  it('exits 1 when a check fails: a changed signature (valid checksums) is caught at its height and check', async () => {
    const c = cloneChain(chain);
    const sig = (c.heights[7]!.commit as Json).signed_header.commit.signatures[1];
    const b = fromBase64(sig.signature);
    b[5] = b[5]! ^ 1;
    sig.signature = toBase64(b);
    const dir = await copyReplica('verify-badsig', c);
    const r = await runCli(['verify', dir, '--json', '--threads', '1']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toMatchObject({ height: 8, check: 'commit.signature' });
    const text = await runCli(['verify', dir, '--full', '--threads', '1']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAILED: 1 failure\(s\), first at height 8 \(commit\.signature\)/);
    // The index marks height 8 failed, with its check, and every other height verified.
    expect(text.stderr).toMatch(/recorded the result of 12 height\(s\), 1 failed/);
    const { statuses, failures } = await indexStatuses(dir, 8);
    expect(statuses).toEqual({ ...all(1, 12, 'verified'), 8: 'failed' });
    expect(failures).toEqual([expect.objectContaining({ check: 'commit.signature' })]);
  }, 60_000);

  it('exits 1 on one changed byte in the stored replica, also after it was verified (checksum pass)', async () => {
    const dir = await copyReplica('verify-tampered');
    expect((await runCli(['verify', dir, '--threads', '1'])).code).toBe(0);
    const seg = join(dir, 'segments', '000001.seg');
    await flipByte(seg, Math.floor((await stat(seg)).size / 2));
    const r = await runCli(['verify', dir, '--json', '--threads', '1']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.ok).toBe(false);
    expect(report.firstFailure.check).toBe('replica.corrupt');
    expect(report.firstFailure.found).toMatch(/segments\/000001\.seg @ \d+\+\d+ \(\w+ @ \d+\): payload checksum mismatch/);
    const st = JSON.parse((await runCli(['status', dir, '--json'])).stdout) as Json;
    expect(st.verified.height).toBe(12);
    // The damaged height is marked failed in the index (replica.corrupt); the others stay verified.
    const bad = report.firstFailure.height as number;
    expect(bad).toBeGreaterThanOrEqual(1);
    const { statuses, failures } = await indexStatuses(dir, bad);
    expect(statuses).toEqual({ ...all(1, 12, 'verified'), [bad]: 'failed' });
    expect(failures).toEqual([expect.objectContaining({ check: 'replica.corrupt' })]);
  }, 60_000);
});

describe('custos sync', () => {
  let nodes: FakeNode[];
  let tip = 7;
  beforeAll(async () => {
    nodes = [await serveChain(chain, () => tip), await serveChain(chain, () => tip)];
    cleanups.push(...nodes.map((n) => () => n.close()));
  });

  it('syncs from two endpoints, prints the genesis hash to pin, verifies; a second run fetches and verifies only what is new', async () => {
    const dir = join(tmp, 'synced');
    const rpc = nodes.map((n) => n.url).join(',');
    const first = await runCli(['sync', '--rpc', rpc, '--out', dir, '--threads', '1']);
    expect(first.code, first.stderr).toBe(0);
    const sha = await genesisSha(chain);
    expect(first.stderr).toContain(`sha256 ${sha}`);
    expect(first.stderr).toContain(`--genesis-sha256 ${sha}`);
    expect(first.stderr).toMatch(/sync: \d+\/6/);
    expect(first.stdout).toMatch(/sync done: .* complete to height 6/);
    expect(first.stdout).toMatch(/VERIFIED/);
    expect(first.stdout).toMatch(/this run: 1 to 6/);

    tip = 12;
    const second = await runCli(['sync', '--rpc', rpc, '--out', dir, '--genesis-sha256', sha, '--threads', '1']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/matches --genesis-sha256/);
    expect(second.stdout).toMatch(/complete to height 11/);
    expect(second.stdout).toMatch(/this run\s+5 height\(s\)/);
    expect(second.stdout).toMatch(/this run: 7 to 11, resumed after the checkpoint at 6/);

    const st = JSON.parse((await runCli(['status', dir, '--json'])).stdout) as Json;
    expect(st).toMatchObject({ chainId: chain.chainId, genesis: { stored: sha, pinned: sha }, heights: { complete: 11 }, verified: { height: 11, failuresTotal: 0 }, lastFailure: null });
    expect(st.lastSync.endpoints.map((e: Json) => e.state)).toEqual(['ok', 'ok']);
    const text = (await runCli(['status', dir])).stdout;
    expect(text).toMatch(/verified\s+up to 11 of 11, no failures/);
    expect(text).toContain(nodes[0]!.url);
    // Both runs recorded their heights in the index.
    expect(second.stderr).toMatch(/index .* holds heights up to 11; recorded the result of 5 height\(s\)/);
    expect((await indexStatuses(dir)).statuses).toEqual(all(1, 11, 'verified'));
  }, 120_000);

  it('resumes a replica directory left by a sync killed before its first flush (no meta.json yet)', async () => {
    const dir = join(tmp, 'killed-early');
    await mkdir(join(dir, 'segments'), { recursive: true });
    await writeFile(join(dir, 'LOCK'), '999999999\n');
    await writeFile(join(dir, '.meta.json.1.abcd.tmp'), '{');
    const r = await runCli(['sync', '--rpc', nodes[0]!.url, '--out', dir, '--to', '3', '--no-verify']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/complete to height 3/);
    expect(existsSync(join(dir, 'meta.json'))).toBe(true);
  }, 60_000);

  it('refuses a genesis other than the pinned one (exit 1, expected and found), storing nothing', async () => {
    const dir = join(tmp, 'wrong-pin');
    const r = await runCli(['sync', '--rpc', nodes[0]!.url, '--out', dir, '--genesis-sha256', 'cd'.repeat(32)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`genesis mismatch: expected sha256 (cd){32} \\(--genesis-sha256\\), found ${await genesisSha(chain)}`));
    expect(existsSync(dir)).toBe(false);
  });

  it('sets a lying endpoint aside with its reason and completes from the honest one', async () => {
    tip = 12;
    const liar = await startByzantineProxy(nodes[1]!.url, [{ kind: 'tx-byte', height: 4 }]);
    cleanups.push(() => liar.close());
    const dir = join(tmp, 'byzantine');
    // The first work unit goes to the first endpoint: the liar serves the blocks.
    const r = await runCli(['sync', '--rpc', `${liar.url},${nodes[0]!.url},${nodes[1]!.url}`, '--out', dir, '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(liar.fired('tx-byte')).toBeGreaterThan(0);
    expect(r.stderr).toMatch(new RegExp(`endpoint ${liar.url.replace(/[.:/]/g, '\\$&')} SET ASIDE: bad-data at height 4 \\(header\\.data_hash\\)`));
    expect(r.stdout).toMatch(/complete to height 11/);
    expect(r.stdout).toMatch(/VERIFIED/);
    const st = JSON.parse((await runCli(['status', dir, '--json'])).stdout) as Json;
    expect(st.lastSync.endpoints.find((e: Json) => e.endpoint === liar.url)).toMatchObject({ state: 'set-aside', reason: { kind: 'bad-data', height: 4, check: 'header.data_hash' } });
  }, 120_000);

  it('stops cleanly on Ctrl-C while following the head (exit 130, progress saved)', async () => {
    tip = 12;
    const dir = join(tmp, 'follow');
    let sent = false;
    const r = await runCli(['sync', '--rpc', nodes.map((n) => n.url).join(','), '--out', dir, '--follow'], {
      onStderr: (_chunk, child) => {
        if (!sent && /following the head/.test(_chunk)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/stopping \(progress is saved/);
    expect(r.stdout).toMatch(/sync interrupted: .* complete to height 11/);
    const st = JSON.parse((await runCli(['status', dir, '--json'])).stdout) as Json;
    expect(st.heights.complete).toBe(11);
  }, 60_000);
});
