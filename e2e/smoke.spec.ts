// Smoke test of the app shell in the headless host: shell and host kind, every screen
// reached with the keyboard (the built ones, and the honest empty state of the others), theme
// toggle, no console errors and no CSP violations, a screenshot per screen in light and dark
// at 1280 × 800.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';

// id, title, built (the others show an honest "not yet available" empty state)
const SCREENS = [
  ['sync', 'Networks and sync', true],
  ['verify', 'Verification', true],
  ['explorer', 'Explorer', true],
  ['provenance', 'Provenance', false],
  ['findings', 'Findings', false],
  ['governance', 'Governance', false],
  ['reports', 'Reports', false],
] as const;

const SHOTS = new URL('./artifacts/screens/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

function hostUrl(): string {
  const url = process.env.CUSTOS_URL;
  if (!url) throw new Error('CUSTOS_URL not set: run through e2e/playwright.config.ts (its globalSetup starts the host)');
  return url;
}

/** What the headless host printed so far (globalSetup tees it to CUSTOS_HOST_LOG). */
function hostLog(): string {
  return process.env.CUSTOS_HOST_LOG ? readFileSync(process.env.CUSTOS_HOST_LOG, 'utf8') : '';
}

interface Watch {
  errors: string[];
  csp: () => Promise<string[]>;
}

/** Records console errors, page errors and CSP violations (securitypolicyviolation events). */
async function watch(page: Page): Promise<Watch> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // Browser-side code is passed as strings: the e2e project is type-checked without DOM types.
  await page.addInitScript(`
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  `);
  return { errors, csp: async () => (await page.evaluate('window.__csp')) as string[] };
}

async function expectScreen(page: Page, id: string, label: string, built: boolean): Promise<void> {
  const screen = page.getByTestId(`screen-${id}`);
  await expect(screen).toBeVisible();
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText(label);
  if (built) {
    await expect(screen.getByTestId('availability')).toHaveCount(0);
  } else {
    await expect(screen.getByTestId('availability')).toHaveText('Not yet available');
    await expect(screen.getByRole('heading', { name: 'What this screen will do' })).toBeVisible();
    await expect(screen.getByTestId('next-step')).not.toBeEmpty();
  }
  await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page');
  expect(new URL(page.url()).hash || '#/sync').toBe(`#/${id}`); // no hash: the first screen
}

test.describe('app shell in the headless host', () => {
  test('shows the shell, reaches every screen with the keyboard, no errors or CSP violations', async ({ page }) => {
    const w = await watch(page);
    const response = await page.goto(hostUrl());
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");

    await expect(page.getByText('Custos', { exact: true })).toBeVisible();
    await expect(page.getByTestId('host-kind')).toContainText('Headless host');
    await expect(page.getByTestId('host-kind')).toHaveAttribute('data-host', 'headless');
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    await expect(page.getByTestId('status')).toContainText(/ping \d+ ms/);
    await expectScreen(page, 'sync', 'Networks and sync', true);

    // Tab order: skip link, theme toggle, then the seven nav items in order, each with a visible focus ring.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('theme-toggle')).toBeFocused();
    for (const [id] of SCREENS) {
      await page.keyboard.press('Tab');
      const item = page.getByTestId(`nav-${id}`);
      await expect(item).toBeFocused();
      await expect(item).toHaveCSS('outline-style', 'solid');
      await expect(item).toHaveCSS('outline-width', '2px');
    }
    await page.screenshot({ path: `${SHOTS}light-0-focus-ring.png` });

    // Enter on a focused nav item opens it and moves focus to the screen title.
    await page.getByTestId('nav-verify').focus();
    await page.keyboard.press('Enter');
    await expectScreen(page, 'verify', 'Verification', true);
    await expect(page.getByTestId('screen-verify').getByRole('heading', { level: 1 })).toBeFocused();

    // Alt+1 … Alt+7 reach every screen.
    for (const [i, [id, label, built]] of SCREENS.entries()) {
      await page.keyboard.press(`Alt+Digit${i + 1}`);
      await expectScreen(page, id, label, built);
      await page.screenshot({ path: `${SHOTS}light-${i + 1}-${id}.png` });
    }

    expect(await w.csp()).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test('theme toggle switches to dark, persists across a reload, and back', async ({ page }) => {
    const w = await watch(page);
    await page.goto(hostUrl());
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    const toggle = page.getByTestId('theme-toggle');
    await expect(toggle).toHaveAccessibleName('Switch to dark theme');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(toggle).toHaveText('Dark');
    expect(await page.evaluate("localStorage.getItem('custos.theme')")).toBe('dark');
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(22, 24, 27)');

    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    for (const [i, [id, label, built]] of SCREENS.entries()) {
      await page.keyboard.press(`Alt+Digit${i + 1}`);
      await expectScreen(page, id, label, built);
      await page.screenshot({ path: `${SHOTS}dark-${i + 1}-${id}.png` });
    }

    await page.getByTestId('theme-toggle').click();
    await expect(html).toHaveAttribute('data-theme', 'light');
    expect(await page.evaluate("localStorage.getItem('custos.theme')")).toBe('light');
    expect(await w.csp()).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  test.describe('with a dark system theme', () => {
    test.use({ colorScheme: 'dark' });
    test('starts dark when nothing is stored', async ({ page }) => {
      await page.goto(hostUrl());
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    });
  });

  test('the CSP is live: an injected inline script is blocked and reported', async ({ page }) => {
    const w = await watch(page);
    await page.goto(hostUrl());
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    const ran = await page.evaluate(`(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return window.__inlineRan === true;
    })()`);
    expect(ran).toBe(false);
    expect(await w.csp()).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem inline/)]));
  });

  test('refuses the page without its token, and the API socket from a foreign origin', async ({ page }) => {
    const url = new URL(hostUrl());
    const bare = await page.request.get(`${url.origin}/`);
    expect(bare.status()).toBe(401);
    expect(await bare.text()).toContain('access token missing or wrong');
    expect((await page.request.get(`${url.origin}/?token=wrong`)).status()).toBe(401);

    // A page from another origin that knows the token still cannot open the socket (Origin check),
    // and the host says why in its log. The foreign page is a real server on loopback (another
    // port), so Chromium's local-network-access checks do not stop it first: the host has to.
    const foreignServer = createServer((_req, res) => res.end('<!doctype html><title>foreign</title>'));
    await new Promise<void>((r) => foreignServer.listen(0, '127.0.0.1', r));
    const foreign = `http://127.0.0.1:${(foreignServer.address() as AddressInfo).port}`;
    test.info().attach('foreign origin', { body: foreign });
    await page.goto(`${foreign}/`);
    const wsUrl = `ws://${url.host}/api?token=${url.searchParams.get('token')}`;
    const outcome = await page.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket(${JSON.stringify(wsUrl)});
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    })`);
    foreignServer.close();
    expect(outcome).toBe('refused');
    await expect.poll(() => hostLog()).toContain(`refused WebSocket: foreign Origin "${foreign}"`);
  });

  test('the page opened without a token says what to do', async ({ page, context }) => {
    // The cookie from a first visit lets the app load without ?token=, but the API needs the token.
    await page.goto(hostUrl());
    await expect(page.getByTestId('connection')).toHaveText('Connected');
    const page2 = await context.newPage();
    await page2.goto(`${new URL(hostUrl()).origin}/#/explorer`);
    await expect(page2.getByTestId('no-host')).toContainText('opened without its access token');
    await expect(page2.getByTestId('connection')).toHaveText('Disconnected');
    await page2.screenshot({ path: `${SHOTS}light-8-no-token.png` });
  });
});
