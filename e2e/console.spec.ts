// The console end to end in the headless host (Debian's Chromium): the embedded demo replica
// opens verified; on a live devnet with a workload a new profile pins the genesis, syncs,
// verifies to zero failures, explores a block and a consent transaction and exports the report;
// a profile with a byzantine endpoint shows that endpoint set aside at the right height; a
// slow network shows live progress and pauses and resumes.
import { expect, test, type Page } from '@playwright/test';
import { exportDir, hostUrl, liveEnv } from './support/env';
import { byzantineFlow, demoFlow, liveFlow, pauseResumeFlow, shooter } from './support/flows';

test.describe.configure({ mode: 'serial' });

let page: Page;
const errors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(hostUrl());
  await expect(page.getByTestId('connection')).toHaveText('Connected');
});

test.afterAll(async () => {
  await page.close();
});

test('the embedded demo replica opens verified', async () => {
  test.setTimeout(180_000);
  await demoFlow(page, shooter(page, 'headless-demo'));
  expect(errors).toEqual([]);
});

test('a live devnet: pin the genesis, sync, verify, explore, export the report', async () => {
  const { env, skip } = liveEnv();
  if (!env) console.warn(`[e2e] NOTE: live devnet spec skipped: ${skip}`);
  test.skip(!env, `no live devnet: ${skip}`);
  test.setTimeout(300_000);
  await liveFlow(page, env!, exportDir(), shooter(page, 'headless-live'));
  expect(errors).toEqual([]);
});

test('a byzantine endpoint is set aside with the height and check it failed', async () => {
  const { env, skip } = liveEnv();
  test.skip(!env, `no live devnet: ${skip}`);
  test.setTimeout(240_000);
  await byzantineFlow(page, env!, shooter(page, 'headless-live'));
  expect(errors).toEqual([]);
});

test('a slow network: live progress, pause and resume', async () => {
  const { env, skip } = liveEnv();
  test.skip(!env, `no live devnet: ${skip}`);
  test.setTimeout(240_000);
  await pauseResumeFlow(page, env!, shooter(page, 'headless-live'));
  expect(errors).toEqual([]);
});
