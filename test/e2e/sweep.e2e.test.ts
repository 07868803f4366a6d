import { lastJsonLine } from '../integration/helpers.js';
// The sweep view in a real browser: a sweep recorded by `distlab sweep` (a phi threshold,
// 2 values × 2 repeats), its plot with one point per combination, a point's runs; the
// export dialog's formats (ShiViz, Perfetto, JSON Lines) written by the lab; and a chart
// saved as PNG and as SVG from its corner menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, repoRoot, screenshot, shootElement, startServer, type LabServer } from './browser.js';
import { SHIVIZ_REGEX } from '../../core/export/shiviz.js';

const SWEEP_YAML = `name: e2e-phi-sweep
seed: 11
duration: 5s
nodes: { count: 3, program: phi-accrual }
network: { latency: { distribution: normal, mean: 10ms, jitter: 8ms }, loss: 0.05 }
faults:
  - { at: 2500ms, pause: n3 }
  - { at: 4s, resume: n3 }
sweep:
  nodes.params.threshold: [3, 12]
  repeat: 2
`;

if (chromiumMissing) console.warn('sweep.e2e: skipped, /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(chromiumMissing)('the sweep view, the export formats and chart saving in a browser', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let sweep: { sweepId: number; combinations: Array<{ values: Record<string, unknown>; runIds: number[]; measurements: Record<string, { median: number }> }> };

  beforeAll(async () => {
    server = await startServer();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'distlab-e2e-sweep-'));
    const file = path.join(dir, 'sweep.yaml');
    writeFileSync(file, SWEEP_YAML);
    // Recorded into the server's database while it runs, as a person would from a terminal.
    const out = spawnSync(process.execPath, [path.join(repoRoot, 'bin/distlab.js'), 'sweep', file, '--db', server.dbPath, '--json'], { encoding: 'utf8', timeout: 240_000 });
    expect(out.status, out.stderr).not.toBeNull();
    sweep = lastJsonLine(out.stdout);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the sweep above the runs and plots one point per combination', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    const card = page.getByTestId('sweep-list').locator(`[data-sweep-id="${sweep.sweepId}"]`);
    await card.waitFor({ timeout: 20_000 });
    expect(await card.innerText()).toMatch(/nodes\.params\.threshold: 3, 12 × 2 repeats/);
    await screenshot(page, 's1-runs-with-sweeps');
    await card.click();
    const chart = page.locator('[data-chart="sweep"]');
    await chart.waitFor({ timeout: 20_000 });
    // The measurement every run has, on the left; one point (median over 2 repeats) per combination.
    await page.getByLabel('Measurement on the left axis').selectOption('messagesPerNodePerSec');
    await expect.poll(() => chart.getAttribute('data-points')).toBe(String(sweep.combinations.length));
    expect(sweep.combinations).toHaveLength(2);
    // The table holds the same medians as distlab sweep --json.
    const rows = page.getByTestId('sweep-table').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const text = await rows.nth(i).innerText();
      expect(text).toContain(String(sweep.combinations[i].values['nodes.params.threshold']));
      expect(text).toContain(String(Math.round(sweep.combinations[i].measurements.messagesPerNodePerSec.median * 100) / 100));
    }
    // The classic trade-off: detection time on the left, false suspicions on the right.
    const measures = await page.getByLabel('Measurement on the left axis').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    if (measures.includes('detectionFirstP50Ms') && measures.includes('falseSuspicions')) {
      await page.getByLabel('Measurement on the left axis').selectOption('detectionFirstP50Ms');
      await page.getByLabel('Measurement on the right axis').selectOption('falseSuspicions');
      const expected = sweep.combinations.filter((c) => c.measurements.falseSuspicions).length;
      await expect.poll(() => chart.getAttribute('data-right-points')).toBe(String(expected));
    }
    await page.waitForTimeout(300);
    await screenshot(page, 's2-sweep-view');
    await shootElement(page.locator('[data-cell="sweep"]'), 's2b-sweep-chart');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, 's2c-sweep-view-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('lists a point’s runs when it is clicked, and opens one', async () => {
    await page.getByLabel('Measurement on the left axis').selectOption('messagesPerNodePerSec');
    await page.getByLabel('Measurement on the right axis').selectOption({ label: 'none' });
    // ECharts draws on a canvas: the chart says where each point is; click the second one.
    const chart = page.locator('[data-chart="sweep"]');
    await expect.poll(async () => ((await chart.getAttribute('data-point-pixels')) ?? '').split(';').filter(Boolean).length).toBe(2);
    const points = (await chart.getAttribute('data-point-pixels'))!.split(';').map((p) => p.split(',').map(Number));
    const second = points.find((p) => p[2] === 1)!;
    await chart.locator('canvas').first().click({ position: { x: second[0], y: second[1] } });
    const panel = page.getByTestId('sweep-point-runs');
    await panel.waitFor({ timeout: 5000 });
    const ids = sweep.combinations[1].runIds;
    for (const id of ids) expect(await panel.innerText()).toContain(`#${id}`);
    // Selecting a combination in the table lists its runs too.
    await page.getByTestId('sweep-table').locator('tbody tr').nth(0).click();
    await expect.poll(() => panel.innerText()).toContain(`#${sweep.combinations[0].runIds[0]}`);
    await page.getByTestId('sweep-table').locator('tbody tr').nth(1).click();
    await screenshot(page, 's3-sweep-point-runs');
    await panel.getByRole('button', { name: 'Open' }).first().click();
    await page.getByTestId('run-view').waitFor();
    expect(await page.getByTestId('run-view').getAttribute('data-run-id')).toBe(String(ids[0]));
  });

  it('saves a chart as PNG and as SVG from its corner menu', async () => {
    const cell = page.locator('[data-cell="throughput"]');
    await cell.locator('canvas').first().waitFor({ timeout: 20_000 });
    await page.locator('[data-cell="heartbeats"]').scrollIntoViewIfNeeded();
    await screenshot(page, 's4a-run-view-save-corners');
    await cell.scrollIntoViewIfNeeded();
    await cell.getByRole('button', { name: 'Save this chart as an image' }).click();
    const [png] = await Promise.all([page.waitForEvent('download'), cell.getByRole('menuitem', { name: 'Save as PNG' }).click()]);
    expect(png.suggestedFilename()).toMatch(/^run-\d+-throughput\.png$/);
    const pngBytes = readFileSync((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pngBytes.length).toBeGreaterThan(2000);
    await cell.getByRole('button', { name: 'Save this chart as an image' }).click();
    const [svg] = await Promise.all([page.waitForEvent('download'), cell.getByRole('menuitem', { name: 'Save as SVG' }).click()]);
    expect(svg.suggestedFilename()).toMatch(/^run-\d+-throughput\.svg$/);
    const svgText = readFileSync((await svg.path())!, 'utf8');
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svgText).toContain('Messages per second');
    expect(svgText).toMatch(/<path /);
    // Look at the saved SVG as a browser draws it.
    const viewer = await browser.newPage({ viewport: { width: 900, height: 400 } });
    await viewer.setContent(`<body style="margin:0">${svgText}</body>`);
    await screenshot(viewer, 's4b-saved-throughput-svg');
    await viewer.close();
    // The space-time diagram is a canvas: PNG only, and its menu says so.
    const spaceTime = page.locator('[data-cell="spacetime"]');
    await spaceTime.scrollIntoViewIfNeeded();
    await spaceTime.getByRole('button', { name: 'Save this chart as an image' }).click();
    await spaceTime.getByText('PNG only').waitFor();
    await shootElement(spaceTime, 's4-space-time-save-menu');
    const [diagram] = await Promise.all([page.waitForEvent('download'), spaceTime.getByRole('menuitem', { name: 'Save as PNG' }).click()]);
    expect(readFileSync((await diagram.path())!).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('exports a run as ShiViz, Perfetto and JSON Lines from the export dialog', async () => {
    const runId = sweep.combinations[0].runIds[0];
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    const expected = { shiviz: 'run.shiviz.log', perfetto: 'run.trace.json', jsonl: 'run.jsonl' } as const;
    for (const [format, file] of Object.entries(expected)) {
      const out = mkdtempSync(path.join(os.tmpdir(), `distlab-e2e-${format}-`));
      await page.getByRole('row', { name: new RegExp(`^Compare run #${runId}\\b`) }).getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId(`export-format-${format}`).check();
      await dialog.getByLabel('Folder').fill(out);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByText('Wrote 1 file').waitFor({ timeout: 30_000 });
      if (format === 'shiviz') await screenshot(page, 's5-export-shiviz');
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect(readdirSync(out)).toEqual([file]);
      const text = readFileSync(path.join(out, file), 'utf8');
      if (format === 'shiviz') {
        expect(text.split('\n')[0]).toBe(SHIVIZ_REGEX);
        expect(text).toMatch(/^n1 \{"n1":1\}$/m);
        expect(text).toMatch(/ send heartbeat to n\d \(message \d+\)/);
      } else if (format === 'perfetto') {
        expect(JSON.parse(text).traceEvents.some((e: { ph: string; name: string }) => e.ph === 'i' && e.name === 'pause n3')).toBe(true);
      } else {
        expect(JSON.parse(text.split('\n')[0])).toMatchObject({ table: 'runs', id: runId });
      }
    }
  });

  it('says clearly when the export folder cannot be written', async () => {
    const runId = sweep.combinations[0].runIds[0];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'distlab-e2e-blocked-'));
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    await page.getByRole('row', { name: new RegExp(`^Compare run #${runId}\\b`) }).getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('export-format-perfetto').check();
    await dialog.getByLabel('Folder').fill(path.join(blocker, 'inside'));
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/^The folder .* cannot be created: a part of the path is a file, not a folder$/).waitFor({ timeout: 20_000 });
    await screenshot(page, 's6-export-unwritable');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('runs a sweep file from the editor with Run sweep, and follows it in the sweep view', async () => {
    await page.getByRole('button', { name: '+ New' }).click();
    const yaml = page.getByLabel('Experiment YAML');
    await yaml.fill('name: e2e-editor-sweep\nseed: 2\nduration: 2s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 20, clients: 1 }\nsweep:\n  network.loss: [0, 0.3]\n');
    await page.getByText('A sweep: 2 combinations × 1 = 2 runs').waitFor({ timeout: 10_000 });
    const run = page.getByRole('button', { name: /^Run sweep\b/ });
    await expect.poll(() => run.isEnabled(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, 's7-editor-sweep');
    await run.click();
    const view = page.getByTestId('sweep-view');
    await view.waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: /Stop sweep/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, 's8-sweep-running');
    // Followed until it completes (the view re-reads a running sweep every few seconds).
    await expect.poll(() => page.getByTestId('sweep-status').innerText(), { timeout: 120_000, interval: 1000 }).toBe('completed');
    await page.getByLabel('Measurement on the left axis').selectOption('messagesPerNodePerSec');
    await expect.poll(() => page.locator('[data-chart="sweep"]').getAttribute('data-points'), { timeout: 10_000 }).toBe('2');
    expect(await page.getByTestId('sweep-table').locator('tbody tr').count()).toBe(2);
  }, 180_000);

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
