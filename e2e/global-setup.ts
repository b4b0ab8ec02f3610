// Before the suite: builds the renderer if it is missing or stale, starts a live devnet with
// a workload and a byzantine proxy (support/live-net.ts), and the headless host with a fresh
// data folder, so the console first imports and verifies the embedded demo replica. Hands the
// tests what they need in CUSTOS_* variables; the host's token only in CUSTOS_URL.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startHost } from './support/host';
import { startLiveNet, type LiveNet } from './support/live-net';

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
  await build({ configFile: resolve(root, 'vite.app.config.ts'), logLevel: 'warn' });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  await ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'custos-e2e-'));
  const out = join(dir, 'exports');
  mkdirSync(out);
  let live: LiveNet | null = null;
  try {
    live = await startLiveNet();
    process.env.CUSTOS_E2E_LIVE = JSON.stringify({ rpc: live.rpc, chainId: live.chainId, genesisSha256: live.genesisSha256, byzantine: live.byzantine, slow: live.slow });
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!;
    console.warn(`[e2e] NOTE: no live devnet (${why}); the live-network specs will be skipped`);
    process.env.CUSTOS_E2E_LIVE_SKIP = why;
  }
  const host = await startHost(root, dir, join(dir, 'data'));
  process.env.CUSTOS_URL = host.url;
  process.env.CUSTOS_HOST_LOG = host.logFile;
  process.env.CUSTOS_E2E_OUT = out;
  process.env.CUSTOS_E2E_TMP = dir;
  console.log(`[e2e] headless host up on ${new URL(host.url).host}`);

  return async () => {
    const log = await host.stop();
    await live?.stop();
    // The one place the token may appear in the host's output is its "Open:" line.
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const leaks = log.split('\n').filter((l) => l.includes(token) && !l.startsWith('Open: '));
    rmSync(dir, { recursive: true, force: true });
    if (leaks.length) throw new Error(`headless host printed its token outside the Open: line (${leaks.length} lines)`);
  };
}
