// The console's journeys, written once against a Playwright Page and run in both hosts
// (console.spec.ts in the headless host, electron.spec.ts in the desktop app). Each saves a
// screenshot of every screen it passes through.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { SHOTS, type LiveEnv } from './env';

const MINUTE = 60_000;

export type Shot = (name: string) => Promise<void>;

export function shooter(page: Page, prefix: string): Shot {
  return async (name) => {
    await page.screenshot({ path: join(SHOTS, `${prefix}-${name}.png`) });
  };
}

/** The embedded demo replica: imported on first start, verified, browsable. */
export async function demoFlow(page: Page, shot: Shot): Promise<void> {
  await page.keyboard.press('Alt+Digit1');
  const demo = page.getByTestId('replica-demo');
  await expect(demo).toBeVisible({ timeout: MINUTE });
  await expect(demo).toContainText('Verified', { timeout: 2 * MINUTE });
  await expect(page.getByTestId('replica-panel')).toContainText('matches the pin');
  await shot('1-networks-demo');

  await page.keyboard.press('Alt+Digit2');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified');
  await expect(page.getByTestId('count-failures')).toHaveText('0');
  await expect(page.getByTestId('checks').locator('tr[data-status=passed]')).toHaveCount(9);
  await expect(page.getByTestId('failures-none')).toBeVisible();
  await expect(page.getByTestId('heatmap').locator('rect.hm-cell').first()).toBeVisible();
  await expect(page.getByTestId('heatmap').locator('rect.hm-cell.is-absent').first()).toBeAttached();
  await expect(page.getByTestId('validator-changes')).toContainText('Validator set changed at height');
  await shot('2-verification-demo');

  await page.keyboard.press('Alt+Digit3');
  await expect(page.getByTestId('block-list').getByTestId('block-row').first()).toBeVisible();
  await expect(page.getByTestId('explorer-counts')).toContainText('heights verified');
  await shot('3-explorer-demo');
}

/** Opens a consent transaction and its block in the explorer, by searching an organisation. */
async function exploreConsent(page: Page, shot: Shot): Promise<void> {
  await page.keyboard.press('Alt+Digit3');
  const search = page.getByTestId('explorer-search');
  await search.fill('riverside');
  await search.press('Enter');
  await page.getByTestId('search-hit').filter({ hasText: 'Riverside' }).getByRole('link').first().click();
  await expect(page.getByTestId('party')).toBeVisible();
  await page.getByTestId('party').getByTestId('tx-row').filter({ has: page.locator('code', { hasText: 'consent.grant' }) }).first().getByRole('link').first().click();
  const tx = page.getByTestId('tx-detail');
  await expect(tx).toBeVisible();
  await expect(tx.getByTestId('tx-decoded')).toContainText('Purposes of use');
  await expect(tx.getByTestId('tx-decoded')).toContainText('Patient pseudonym');
  await expect(tx.getByTestId('tx-verification')).toHaveText('Verified');
  await expect(tx.getByTestId('raw')).toContainText('"kind": "consent.grant"');
  await shot('5-explorer-consent-tx');
  await tx.getByRole('link', { name: /^\d+$/ }).first().click();
  const block = page.getByTestId('block-detail');
  await expect(block).toBeVisible();
  await expect(block.getByTestId('block-verification')).toHaveText('Verified');
  await expect(block.getByTestId('tx-row').first()).toBeVisible();
  await expect(block.getByTestId('raw')).toContainText('"block_id"');
  await shot('6-explorer-block');
}

async function createProfile(page: Page, name: string, endpoints: string[], expectSha: string, shot: Shot | null): Promise<void> {
  await page.keyboard.press('Alt+Digit1');
  // Profiles are created when nothing runs (the demo's first verification may still be going).
  await expect(page.getByTestId('replica-demo')).toContainText('Verified', { timeout: 2 * MINUTE });
  await page.getByTestId('new-profile').click();
  await page.getByTestId('profile-endpoints').fill(endpoints.join('\n'));
  await page.getByTestId('profile-fetch').click();
  const sha = page.getByTestId('genesis-sha256').locator('.hash');
  await expect(sha).toHaveAttribute('data-full', expectSha, { timeout: 30_000 });
  await page.getByTestId('profile-name').fill(name);
  if (shot) await shot('1-new-profile-genesis');
  await expect(page.getByTestId('profile-pin')).toBeDisabled();
  await page.getByTestId('profile-compared').check();
  await page.getByTestId('profile-pin').click();
  await expect(page.getByTestId('replica-panel')).toContainText(name);
}

/** A live devnet: profile, pinned genesis, sync, verification to zero failures, explorer, report export. */
export async function liveFlow(page: Page, live: LiveEnv, outDir: string, shot: Shot): Promise<void> {
  await createProfile(page, 'Devnet (three nodes)', live.rpc.slice(0, 3), live.genesisSha256, shot);
  await page.getByTestId('sync-start').click();
  await expect(page.getByTestId('sync-state')).toHaveText(/Syncing|Up to date/);
  await expect(page.getByTestId('sync-state')).toHaveText('Up to date', { timeout: 2 * MINUTE });
  await expect(page.getByTestId('endpoint-row')).toHaveCount(3);
  await expect(page.getByTestId('endpoint-row').filter({ hasText: 'Healthy' })).toHaveCount(3);
  await expect(page.getByTestId('sync-summary')).toContainText('complete to height');
  await shot('2-networks-synced');

  await page.keyboard.press('Alt+Digit2');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'verified', { timeout: 2 * MINUTE });
  await expect(page.getByTestId('verify-badge')).toHaveText('Verified');
  await expect(page.getByTestId('count-failures')).toHaveText('0');
  await expect(page.getByTestId('summary')).toContainText(live.chainId);
  await shot('3-verification');

  // The report, as PDF and as JSON.
  const base = join(outDir, 'devnet-report');
  const nativeDialogs = (await page.getByTestId('export-path').count()) === 0;
  if (!nativeDialogs) await page.getByTestId('export-path').fill(base);
  await page.getByTestId('export-pdf').click();
  await expect(page.getByTestId('pdf-written')).toContainText(`${base}.pdf`);
  await page.getByTestId('export-json').click();
  await expect(page.getByTestId('json-written')).toContainText(`${base}.json`);
  await shot('4-verification-exported');
  const report = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { ok: boolean; chainId: string; failuresTotal: number; pinnedGenesisSha256: string; counts: { blocks: number; txs: number } };
  expect(report).toMatchObject({ ok: true, chainId: live.chainId, failuresTotal: 0, pinnedGenesisSha256: live.genesisSha256 });
  expect(report.counts.txs).toBeGreaterThan(100);
  const pdf = readFileSync(`${base}.pdf`);
  expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
  expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
  // Rendered by poppler, the way a reader would see it (kept as an artifact).
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', `${base}.pdf`, join(SHOTS, 'live-report-pdf')]);
  const png = join(SHOTS, 'live-report-pdf-1.png');
  expect(existsSync(png) && statSync(png).size > 5000).toBe(true);
  const text = execFileSync('pdftotext', ['-layout', `${base}.pdf`, '-']).toString();
  expect(text).toContain('VERIFIED');
  expect(text).toContain(live.genesisSha256);

  await exploreConsent(page, shot);
}

/** A profile with a byzantine endpoint: it is set aside, with the height and the check it failed. */
export async function byzantineFlow(page: Page, live: LiveEnv, shot: Shot): Promise<void> {
  await page.keyboard.press('Alt+Digit2');
  await expect(page.getByTestId('verify-badge')).not.toHaveText('Verifying…', { timeout: 2 * MINUTE });
  await createProfile(page, 'Devnet via a byzantine node', [live.byzantine.url, live.rpc[1]!], live.genesisSha256, null);
  await page.getByTestId('sync-start').click();
  const liar = page.getByTestId('endpoint-row').filter({ hasText: new URL(live.byzantine.url).host });
  await expect(liar).toHaveAttribute('data-state', 'set-aside', { timeout: 2 * MINUTE });
  const problem = page.getByTestId('endpoint-problem').filter({ hasText: live.byzantine.check }).first();
  await expect(problem.getByTestId('problem-height')).toHaveText(String(live.byzantine.height));
  await expect(problem).toContainText(live.byzantine.check);
  await expect(problem).toContainText('Expected');
  await expect(page.getByTestId('sync-state')).toHaveText('Up to date', { timeout: 2 * MINUTE });
  await shot('7-networks-byzantine');
  await problem.getByTestId('problem-height').click();
  await expect(page.getByTestId('block-detail')).toContainText(`Block ${live.byzantine.height}`, { timeout: MINUTE });
  await expect(page.getByTestId('block-dispute')).toContainText('was set aside at this height');
  await expect(page.getByTestId('block-verification')).toHaveText('Verified', { timeout: 2 * MINUTE });
  await shot('8-explorer-byzantine-height');
}

/** A slow network: live progress with rate and ETA, pause (progress kept), resume to the end. */
export async function pauseResumeFlow(page: Page, live: LiveEnv, shot: Shot): Promise<void> {
  await page.keyboard.press('Alt+Digit2');
  await expect(page.getByTestId('verify-badge')).not.toHaveText('Verifying…', { timeout: 2 * MINUTE });
  await createProfile(page, 'Devnet over a slow link', live.slow, live.genesisSha256, null);
  await page.getByTestId('sync-start').click();
  const progress = page.getByTestId('sync-progress');
  await expect(progress).toContainText('Fetching blocks', { timeout: 30_000 });
  // Heights fetched (the lighter segment) or written (the bar itself): the bar moves.
  const bar = progress.getByRole('progressbar');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow', { timeout: 1000 })) + Number(await bar.getAttribute('data-ahead', { timeout: 1000 })), { timeout: 30_000 }).toBeGreaterThan(0);
  await shot('9-networks-sync-progress');
  await expect(progress).toContainText(/ blocks\/s · ETA /);
  await page.getByTestId('sync-pause').click();
  await expect(page.getByTestId('sync-state')).toHaveText('Paused', { timeout: 30_000 });
  // Whatever was written before the pause stays (the engine flushes before it stops).
  await expect(page.getByTestId('sync-summary')).toContainText(/Paused .*: complete to height \d+ of \d+/);
  await shot('10-networks-sync-paused');
  // What was fetched is verified while paused; then the sync resumes where it stopped.
  const resume = page.getByTestId('sync-start');
  await expect(resume).toHaveText(/Resume sync/);
  await expect(resume).toBeEnabled({ timeout: 2 * MINUTE });
  await resume.click();
  await expect(page.getByTestId('sync-state')).toHaveText('Up to date', { timeout: 2 * MINUTE });
  const done = (await page.getByTestId('sync-summary').textContent()) ?? '';
  const m = /complete to height (\d+) of (\d+)/.exec(done);
  expect(m && m[1] === m[2]).toBe(true);
  await expect(page.getByTestId('replica-verification')).toHaveText('Verified', { timeout: 2 * MINUTE });
}
