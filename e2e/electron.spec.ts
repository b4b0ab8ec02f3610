// The same shell in the Electron desktop host, driven with Playwright's _electron.
// Runs only where the Electron binary is installed (node_modules/electron/dist); elsewhere
// the test is skipped with a visible reason.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const HAVE_ELECTRON = existsSync(resolve(root, 'node_modules/electron/dist'));
const SHOTS = resolve(root, 'e2e/artifacts/screens');

test('desktop host: sandboxed renderer with the contract bridge, shell and host kind', async () => {
  if (!HAVE_ELECTRON) console.warn('[e2e] NOTE: Electron binary not present on this machine: electron.spec.ts skipped');
  test.skip(!HAVE_ELECTRON, 'Electron binary not present on this machine: skipped');
  test.setTimeout(120_000);

  // The layout Forge produces: .vite/build/{main.js,preload.cjs}, .vite/renderer/main_window/.
  for (const config of ['vite.main.config.ts', 'vite.preload.config.ts', 'vite.renderer.config.ts']) {
    await build({ configFile: resolve(root, config), logLevel: 'warn', mode: 'production' });
  }

  const app = await electron.launch({ args: [root], cwd: root, env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' } });
  try {
    const win = await app.firstWindow();
    const errors: string[] = [];
    win.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await expect(win.getByTestId('host-kind')).toHaveAttribute('data-host', 'electron');
    await expect(win.getByTestId('connection')).toHaveText('Connected');
    expect(await win.title()).toBe('Custos');

    // Only the contract crosses the bridge; no Node in the renderer.
    expect(await win.evaluate('Object.keys(window.custos).sort().join(",")')).toBe('call,on');
    expect(await win.evaluate('typeof require + "," + typeof process')).toBe('undefined,undefined');
    expect(await win.evaluate('window.custos.call("app.ping", { echo: "x", extra: 1 }).then((r) => r.error.code)')).toBe('bad-request');

    await win.keyboard.press('Alt+Digit2');
    await expect(win.getByTestId('screen-verify')).toBeVisible();
    mkdirSync(SHOTS, { recursive: true });
    await win.screenshot({ path: resolve(SHOTS, 'electron-verify.png') });
    expect(errors).toEqual([]);
  } finally {
    await app.close();
  }
});
