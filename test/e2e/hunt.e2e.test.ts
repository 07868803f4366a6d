// Hunting across seeds in a real browser against `distlab serve`: the unsafe primary-backup
// lesson (async replication, the primary cut off at 5 s) simulated once per seed from the
// editor's Hunt…; the view follows the hunt to its end, groups the failing seeds by check,
// and one click on a failing seed opens its recorded run at the moment its check first fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, openLab, screenshot, type OpenLab } from './browser.js';

if (chromiumMissing) console.warn('hunt.e2e: skipped, /usr/bin/chromium is missing (apt-get install chromium)');

const SEEDS = { from: 1, to: 4 };

describe.skipIf(chromiumMissing)('hunting failing seeds in a browser', () => {
  let lab: OpenLab;
  let page: Page;

  beforeAll(async () => {
    lab = await openLab();
    page = lab.page;
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('hunts the unsafe primary-backup lesson, groups its failing seeds by check, and replays one at its failure', async () => {
    // The preset as it is, simulated.
    await page.locator('aside').getByRole('button', { name: 'primary-backup-async-loss' }).click();
    const yaml = page.getByLabel('Experiment YAML');
    const text = await yaml.inputValue();
    await yaml.fill(text.replace(/^seed: .*$/m, (line) => `${line}\nmode: simulate`));
    await page.getByText('Ready to run').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Hunt…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('From seed').fill(String(SEEDS.from));
    await dialog.getByLabel('To seed').fill(String(SEEDS.to));
    await dialog.getByText(`${SEEDS.to - SEEDS.from + 1} seeds to simulate.`).waitFor();
    await dialog.getByRole('button', { name: 'Start hunt' }).click();

    const view = page.getByTestId('hunt-view');
    await view.waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/hunts\/\d+$/);
    const progress = page.getByTestId('hunt-progress');
    await expect.poll(() => progress.getAttribute('data-running'), { timeout: 25_000, interval: 250 }).toBe('false');
    expect(await progress.getAttribute('data-done')).toBe(String(SEEDS.to - SEEDS.from + 1));

    // Grouped by check: each group names its check and lists its seeds; committed writes are lost.
    const groups = page.getByTestId('hunt-groups').locator('[data-check]');
    expect(await groups.count()).toBeGreaterThan(0);
    const checks = await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-check')));
    expect(checks.join(' ')).toMatch(/lost|linearizable/);
    const rows = page.getByTestId('hunt-failures').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    await screenshot(page, 'hunt1-failing-seeds');

    // A seed picked in a group is marked in the table; Replay opens its run at the failure.
    const firstSeed = await groups.first().locator('[data-seed]').first().getAttribute('data-seed');
    await groups.first().locator(`[data-seed="${firstSeed}"]`).click();
    const row = page.locator(`[data-testid="hunt-failures"] tr[data-seed="${firstSeed}"]`);
    expect(await row.getAttribute('class')).toContain('picked');
    await row.getByRole('button', { name: `Replay seed ${firstSeed}` }).click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => /^#\/runs\/\d+(\?t=[\d.]+s)?$/.test(location.hash), undefined, { timeout: 10_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'hunt2-replay-of-a-failing-seed');
  });

  it('raised no error in the page', () => {
    expect(lab.pageErrors).toEqual([]);
  });
});
