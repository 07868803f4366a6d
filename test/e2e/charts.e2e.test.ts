// Issue 11's interactive parts on a finished vector-clocks-reordering run in Chromium: the
// clock labels of the space-time diagram, the inspector's vector clock table and process
// line, and the topology saying which moment it shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { zoomUntilClockLabels } from '../../bench/ui-support.js';
import { chromiumMissing, openLabOnFinishedPreset, shootElement, type OpenLab } from './browser.js';

describe.skipIf(chromiumMissing)('charts of a finished vector clock run', () => {
  let lab: OpenLab;
  let page: Page;

  beforeAll(async () => {
    lab = await openLabOnFinishedPreset('vector-clocks-reordering');
    page = lab.page;
  }, 120_000);

  afterAll(() => lab?.close());

  it('labels send dots with their clocks once zoomed in far enough, and asks to zoom in before', async () => {
    const diagram = page.locator('[data-chart="space-time"]');
    const canvas = diagram.locator('canvas');
    await diagram.scrollIntoViewIfNeeded();
    await diagram.getByLabel('Window').selectOption('10000');
    await diagram.getByLabel('Clock labels').selectOption('lamport');
    await expect.poll(() => canvas.getAttribute('data-clock-labels'), { timeout: 10_000 }).toBe('zoom-in');
    await expect.poll(() => diagram.getByTestId('space-time-note').innerText()).toContain('Zoom in');
    // Zooming in as the note says (ctrl + wheel over the diagram) until the labels fit.
    await zoomUntilClockLabels(page, canvas);
    await expect.poll(() => canvas.getAttribute('data-clock-labels'), { timeout: 5_000 }).toBe('drawn');
    expect(await diagram.getByTestId('space-time-note').count()).toBe(0);
    await shootElement(diagram, 'charts-01-lamport-labels');
    await diagram.getByLabel('Clock labels').selectOption('vector');
    await zoomUntilClockLabels(page, canvas);
    await expect.poll(() => canvas.getAttribute('data-clock-labels'), { timeout: 5_000 }).toBe('drawn');
    await shootElement(diagram, 'charts-01-vector-labels');
    await diagram.getByLabel('Clock labels').selectOption('none');
    await expect.poll(() => canvas.getAttribute('data-clock-labels')).toBe('off');
  });

  it('shows the selected node’s vector clock as a table, its own entry marked, and no bare "up"', async () => {
    await page.locator('[aria-label="Topology: nodes and links"] g.node[data-node="n2"]').click();
    const table = page.getByTestId('inspector-vclock');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['n1', 'n2', 'n3', 'n4']);
    for (const r of rows) expect(r).toMatch(/^n\d( \(own\))?\s+\d+$/);
    expect(await table.locator('tr.own').innerText()).toMatch(/^n2 \(own\)\s+[1-9]\d*$/);
    expect(await page.getByTestId('inspector-process').innerText()).toMatch(/exited when the run ended|exited with it/);
    await shootElement(page.getByRole('region', { name: 'Node inspector' }), 'charts-02-inspector');
  });

  it('says the topology shows the end of the run, or the replay cursor', async () => {
    await expect.poll(() => page.getByTestId('topology-moment').innerText()).toMatch(/the state at the (end of the run|replay cursor, \d:\d\d\.\d)/);
    await page.getByRole('button', { name: 'To the start' }).click();
    await expect.poll(() => page.getByTestId('topology-moment').innerText()).toMatch(/the state at the replay cursor, 0:00\.0/);
  });

  it('raised no error in the page', () => {
    expect(lab.pageErrors).toEqual([]);
  });
});
