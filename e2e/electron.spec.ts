// The same journeys in the Electron desktop host, driven with Playwright's _electron: the
// sandboxed window with the contract bridge, the embedded demo replica verified, and (with
// the live devnet of global-setup.ts) profile, sync, verification, explorer, report export and
// the byzantine endpoint. Runs only where the Electron binary is installed
// (node_modules/electron/dist); elsewhere every test says it skipped, and why.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { build } from 'vite';
import { exportDir, liveEnv, SHOTS } from './support/env';
import { byzantineFlow, demoFlow, liveFlow, pauseResumeFlow, shooter } from './support/flows';

const root = fileURLToPath(new URL('..', import.meta.url));
const HAVE_ELECTRON = existsSync(resolve(root, 'node_modules/electron/dist'));
const WHY = 'Electron binary not present on this machine (node_modules/electron/dist)';

test.describe.configure({ mode: 'serial' });

let app: ElectronApplication | null = null;
let win: Page;
let dataDir = '';
const errors: string[] = [];

test.beforeAll(async () => {
  if (!HAVE_ELECTRON) {
    console.warn(`[e2e] NOTE: ${WHY}: electron.spec.ts skipped`);
    return;
  }
  test.setTimeout(180_000);
  // The layout Forge produces: .vite/build/{main.js,preload.cjs,…}, .vite/renderer/main_window/.
  for (const config of ['vite.main.config.ts', 'vite.preload.config.ts', 'vite.renderer.config.ts']) {
    await build({ configFile: resolve(root, config), logLevel: 'warn', mode: 'production' });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'custos-e2e-electron-'));
  // Its own data folder (so the demo is imported on this first start), and typed paths instead
  // of native dialogs, which Playwright cannot drive.
  app = await electron.launch({ args: [root], cwd: root, env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1', CUSTOS_DATA_DIR: dataDir, CUSTOS_NO_DIALOGS: '1' } });
  win = await app.firstWindow();
  await win.setViewportSize({ width: 1280, height: 800 });
  win.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('desktop host: sandboxed renderer with the contract bridge, shell and host kind', async () => {
  test.skip(!HAVE_ELECTRON, WHY);
  await expect(win.getByTestId('host-kind')).toHaveAttribute('data-host', 'electron');
  await expect(win.getByTestId('connection')).toHaveText('Connected');
  expect(await win.title()).toBe('Custos');
  // Only the contract crosses the bridge; no Node in the renderer.
  expect(await win.evaluate('Object.keys(window.custos).sort().join(",")')).toBe('call,on');
  expect(await win.evaluate('typeof require + "," + typeof process')).toBe('undefined,undefined');
  expect(await win.evaluate('window.custos.call("app.ping", { echo: "x", extra: 1 }).then((r) => r.error.code)')).toBe('bad-request');
  expect(await win.evaluate('window.custos.call("report.export", { format: "pdf", path: "relative.pdf" }).then((r) => r.error.code)')).toBe('bad-request');
  mkdirSync(SHOTS, { recursive: true });
});

test('desktop host: the embedded demo replica opens verified', async () => {
  test.skip(!HAVE_ELECTRON, WHY);
  test.setTimeout(180_000);
  await demoFlow(win, shooter(win, 'electron-demo'));
  expect(errors).toEqual([]);
});

test('desktop host: a live devnet, end to end', async () => {
  const { env, skip } = liveEnv();
  test.skip(!HAVE_ELECTRON, WHY);
  test.skip(!env, `no live devnet: ${skip}`);
  test.setTimeout(300_000);
  await liveFlow(win, env!, exportDir(), shooter(win, 'electron-live'));
  await byzantineFlow(win, env!, shooter(win, 'electron-live'));
  await pauseResumeFlow(win, env!, shooter(win, 'electron-live'));
  expect(errors).toEqual([]);
});
