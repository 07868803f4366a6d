// Issue 13's rate limiter in Chromium: a finished throttle-retry-storm run shows the rate
// limiting chart (and does not fold it away), its summary block, each node's bucket in the
// topology, and the selected node's bucket in the inspector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, openLabOnFinishedPreset, shootElement, type OpenLab } from './browser.js';

describe.skipIf(chromiumMissing)('a rate-limited run', () => {
  let lab: OpenLab;
  let page: Page;

  beforeAll(async () => {
    lab = await openLabOnFinishedPreset('throttle-retry-storm');
    page = lab.page;
  }, 120_000);

  afterAll(() => lab?.close());

  it('draws the rate limiting chart with the limit in its title, and does not fold it away', async () => {
    const chart = page.locator('[data-chart="throttle"]');
    await chart.waitFor();
    await expect.poll(() => chart.locator('[aria-label]').first().getAttribute('aria-label')).toMatch(/Rate limiting · limit 20\/s · accepted [\d.]+\/s · tried [\d.]+\/s/);
    const folded = page.locator('.folded');
    if (await folded.count()) expect(await folded.innerText()).not.toMatch(/rate limiting/);
    await shootElement(page.locator('[data-cell="throttle"]'), 'throttle-01-chart');
  });

  it('sums up accepted, rejected and attempts against the limit', async () => {
    const block = page.getByTestId('summary-throttle');
    const text = await block.innerText();
    expect(text).toMatch(/limit\s+20\/s/);
    expect(text).toMatch(/rejected\s+[1-9][\d.]*\/s/);
    expect(text).toMatch(/\(\d+ retries\)/);
  });

  it('shows each node’s bucket in the topology and the selected one’s in the inspector', async () => {
    expect(await page.getByTestId('topology-bucket').count()).toBe(2);
    await page.locator('[aria-label="Topology: nodes and links"] g.node[data-node="n1"]').click();
    await expect.poll(() => page.getByTestId('inspector-bucket').innerText()).toMatch(/^[\d.]+ of 5 tokens at 10\/s$/);
  });

  it('raised no error in the page', () => {
    expect(lab.pageErrors).toEqual([]);
  });
});
