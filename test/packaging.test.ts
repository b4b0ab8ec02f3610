// The Electron build of the Node services, without Electron: the main target is built the way
// `electron-forge package` builds it (Forge's Vite config generator over vite.main.config.ts)
// into a temporary folder outside the project — no node_modules above it, as in the packaged
// app, which ships .vite/ only. Then plain Node loads the build's services.js (no tsx, no
// loader), verifies small replicas on the bundled worker threads, and records the results in
// the sql.js index with the bundled sql-wasm.wasm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '../shared/cometbft/bytes';
import { writeReplica } from '../electron/cli/test-chain';
import { buildReplicaChain, cloneChain } from './replica-chain';
import { buildMain } from './support/build-main';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let tmp: string;
let out: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'custos-packaging-'));
  out = join(tmp, 'build');
  await buildMain(out);
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The bare (package) specifiers a built file imports, statically or dynamically. */
function bareImports(code: string): string[] {
  // Rollup writes each static import on one line at the top level.
  const specs = [
    ...[...code.matchAll(/^(?:import|export)\b[^'"\n]*?["']([^"'\n]+)["'];?\s*$/gm)].map((m) => m[1]!),
    ...[...code.matchAll(/\bimport\(\s*["']([^"'\n]+)["']\s*\)/g)].map((m) => m[1]!),
  ];
  return specs.filter((s) => !s.startsWith('.') && !s.startsWith('/'));
}

/** A built file and every chunk it imports, transitively. */
async function closure(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const visit = async (name: string): Promise<void> => {
    if (seen.has(name)) return;
    const code = await readFile(join(out, name), 'utf8');
    seen.set(name, code);
    for (const m of code.matchAll(/["']\.\/([^"']+\.js)["']/g)) await visit(m[1]!);
  };
  await visit(entry);
  return seen;
}

const BUILTIN = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('the main-process build (Forge + vite.main.config.ts)', () => {
  it('emits main.js, services.js, the verifier workers and sql-wasm.wasm side by side; only main.js needs Electron; no package is left to node_modules', async () => {
    const files = await readdir(out);
    for (const f of ['main.js', 'services.js', 'prepare-worker.js', 'chain-worker.js', 'sql-wasm.wasm']) expect(files, f).toContain(f);
    expect(files.filter((f) => !f.endsWith('.js') && f !== 'sql-wasm.wasm')).toEqual([]); // one flat folder: code and the .wasm
    const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    expect((await readFile(join(out, 'sql-wasm.wasm'))).equals(await readFile(wasm))).toBe(true);

    for (const entry of ['services.js', 'prepare-worker.js', 'chain-worker.js']) {
      for (const [name, code] of await closure(entry)) {
        expect(bareImports(code).filter((s) => !BUILTIN.has(s)), `${entry} → ${name}`).toEqual([]);
        expect(code, name).not.toMatch(/\btsx\b.*(loader|register|esm\/api)/);
      }
    }
    // main.js is what Electron loads: Electron itself, Node built-ins, and nothing else.
    for (const [name, code] of await closure('main.js')) {
      expect(bareImports(code).filter((s) => !BUILTIN.has(s) && s !== 'electron'), name).toEqual([]);
    }
  });

  it('runs in plain Node: verifies replicas on the bundled worker threads and records per-height results with the bundled WASM', async () => {
    const chain = buildReplicaChain({ heights: 8 });
    const good = join(tmp, 'good');
    await writeReplica(good, chain);
    const bad = cloneChain(chain);
    const sig = (bad.heights[3]!.commit as Json).signed_header.commit.signatures[0];
    const b = fromBase64(sig.signature);
    b[7] = b[7]! ^ 1;
    sig.signature = toBase64(b);
    const tampered = join(tmp, 'tampered');
    await writeReplica(tampered, bad);

    const probe = join(tmp, 'probe.mjs');
    await writeFile(probe, PROBE);
    const r = await runNode([probe, join(out, 'services.js'), good, tampered]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as Json;
    expect(res.wasm).toBe(join(out, 'sql-wasm.wasm')); // not node_modules: there is none above the build
    const statuses = (s: string, except: Record<number, string> = {}): Json => Object.fromEntries(Array.from({ length: 8 }, (_, i) => [i + 1, except[i + 1] ?? s]));
    expect(res.results[0]).toMatchObject({ ok: true, heights: { from: 1, to: 8 }, threads: 2, blocks: statuses('verified') });
    expect(res.results[1]).toMatchObject({ ok: false, firstFailure: { height: 4, check: 'commit.signature' }, blocks: statuses('verified', { 4: 'failed' }) });
    expect(existsSync(join(good, 'index.sqlite'))).toBe(true);
  }, 60_000);
});

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A bare environment: no NODE_OPTIONS (no loader such as tsx), run from the temporary folder.
    const child = spawn(process.execPath, args, { cwd: tmp, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run by plain Node: argv = services.js, then replica directories. Prints one JSON line. */
const PROBE = `
import { pathToFileURL } from 'node:url';
const [bundle, ...dirs] = process.argv.slice(2);
const { verify, index, store } = await import(pathToFileURL(bundle).href);
const results = [];
for (const dir of dirs) {
  const batches = [];
  const report = await verify.runVerification({ dir, threads: 2, onHeights: (b) => batches.push(b) });
  const ix = await index.openIndex(index.indexPathFor(dir), { log: () => {} });
  const st = await store.openStore(dir, { readOnly: true });
  await index.updateIndex(st, ix);
  await st.close();
  const failures = new Map();
  for (const b of batches) for (const f of b.failures) failures.set(f.height, [...(failures.get(f.height) ?? []), f]);
  const rows = [];
  for (const b of batches) for (let h = b.from; h <= b.to; h++) rows.push({ height: h, failures: failures.get(h) ?? [] });
  await index.recordVerification(ix, rows);
  const blocks = Object.fromEntries(index.listBlocks(ix, { limit: 100 }).map((b) => [b.height, b.verification]));
  await ix.close();
  results.push({ ok: report.ok, heights: report.heights, threads: report.run.threads, firstFailure: report.firstFailure, blocks });
}
console.log(JSON.stringify({ wasm: index.sqlWasmPath(), results }));
`;
