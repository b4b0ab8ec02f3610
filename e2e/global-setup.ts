// Builds the renderer if renderer/dist is missing or older than its sources, starts the
// headless host on a free port (--port 0), and hands its URL (with the token) to the tests in
// CUSTOS_URL. The host writes the URL to a 0600 file; the token is never printed here.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

async function ensureRendererBuilt(): Promise<void> {
  const index = resolve(root, 'renderer/dist/index.html');
  const sources = Math.max(newestMtime(resolve(root, 'renderer/src')), statSync(resolve(root, 'renderer/index.html')).mtimeMs, newestMtime(resolve(root, 'shared/api')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('[e2e] renderer/dist missing or stale: building it');
  await build({ configFile: resolve(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

async function waitFor(file: string, child: ReturnType<typeof spawn>, ms: number): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`headless host exited early with code ${child.exitCode}`);
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`headless host did not write ${file} within ${ms} ms`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  await ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'custos-e2e-'));
  const urlFile = join(dir, 'url');
  const child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'electron/host/serve.ts'), '--port', '0', '--url-file', urlFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out: string[] = [];
  const logFile = join(dir, 'host.log');
  writeFileSync(logFile, '', { mode: 0o600 });
  child.stdout?.on('data', (d: Buffer) => {
    out.push(d.toString());
    appendFileSync(logFile, d);
  });
  const url = await waitFor(urlFile, child, 20_000);
  process.env.CUSTOS_URL = url;
  process.env.CUSTOS_HOST_LOG = logFile;
  console.log(`[e2e] headless host up on ${new URL(url).host}`);

  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const log = out.join('');
    // The one place the token may appear in the host's output is its "Open:" line.
    const token = new URL(url).searchParams.get('token') ?? '';
    const leaks = log.split('\n').filter((l) => l.includes(token) && !l.startsWith('Open: '));
    rmSync(dir, { recursive: true, force: true });
    if (leaks.length) throw new Error(`headless host printed its token outside the Open: line (${leaks.length} lines)`);
  };
}
