// WORK IN PROGRESS, not run by npm test: the form steps time out (see the closing note of the session that wrote it).
// The real UI in Chromium against `distlab serve`, with a real engine and real node
// processes: design an experiment in the form, run it, watch the charts fill, break the
// network from the UI, then find the run again and export it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, screenshot, startServer, type LabServer } from './browser.js';

const chart = (page: Page, name: string) => page.locator(`[data-chart="${name}"]`);
/** What ECharts says about the chart in the DOM (its title and data), once it has some. */
async function chartDescription(page: Page, name: string): Promise<string> {
  return (await chart(page, name).locator('[aria-label]').first().getAttribute('aria-label')) ?? '';
}
async function waitForChart(page: Page, name: string, pattern: RegExp, timeout = 20_000): Promise<string> {
  let text = '';
  await expect.poll(async () => (text = await chartDescription(page, name)), { timeout, interval: 250 }).toMatch(pattern);
  return text;
}
const look = (page: Page, node: string) => page.locator(`[aria-label="Topology: nodes and links"] g.node[data-node="${node}"]`).getAttribute('data-look');

describe.skipIf(chromiumMissing)('the lab in a browser, with real processes', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  let runId = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('designs an experiment in the form and runs it', { timeout: 60_000 }, async () => {
    await page.goto(server.url);
    await page.getByText('Pick a preset, or create an experiment').waitFor();
    await screenshot(page, '1-experiments');
    await page.getByRole('button', { name: /New experiment/ }).first().click();
    await page.getByLabel(/^Name/).fill('e2e-heartbeats');
    await page.getByLabel(/^Duration/).fill('16s');
    await page.getByLabel(/^Count/).fill('4');
    await page.getByLabel(/^Program/).selectOption('heartbeat');
    // The YAML follows the form.
    await expect.poll(() => page.getByLabel('Experiment YAML').inputValue()).toMatch(/program: heartbeat/);
    await expect.poll(() => page.getByLabel('Experiment YAML').inputValue()).toMatch(/count: 4/);
    await screenshot(page, '2-editor');
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await expect.poll(() => run.isEnabled(), { timeout: 5000 }).toBe(true);
    await run.click();
    await page.getByTestId('run-view').waitFor();
    runId = Number((await page.getByTestId('run-view').getAttribute('data-run-id')) ?? 0);
  });

  it('fills the heartbeat, clock and throughput charts with data from the run', async () => {
    await waitForChart(page, 'heartbeats', /suspicion/i);
    await waitForChart(page, 'throughput', /Messages per second/);
    await expect.poll(async () => (await chart(page, 'space-time').innerText()).match(/([\d,]+) messages in view/)?.[1]?.replace(/,/g, '') ?? '0', { timeout: 15_000 }).not.toBe('0');
    await screenshot(page, '3-live-run');
  });

  it('kills a node from the topology: it shows as crashed, then its peers suspect it', async () => {
    await page.locator('[aria-label="Topology: nodes and links"] g.node[data-node="n2"]').dispatchEvent('pointerdown');
    await page.getByRole('button', { name: 'Kill', exact: true }).click();
    await expect.poll(() => look(page, 'n2'), { timeout: 10_000 }).toMatch(/crashed|exited|down/);
    // The fixed-timeout detector suspects after 300 ms of silence; the chart reports the detection.
    await waitForChart(page, 'heartbeats', /detected|suspect/i, 15_000);
    await screenshot(page, '4-killed-and-suspected');
  });

  it('partitions with a Jepsen pattern, then heals', async () => {
    await page.getByRole('button', { name: 'Jepsen pattern' }).click();
    await page.getByRole('button', { name: 'majority', exact: true }).click();
    await expect.poll(() => page.locator('[aria-label="Topology: nodes and links"] line.cut').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, '5-partitioned');
    await page.getByRole('button', { name: /Heal the network/ }).click();
    await expect.poll(() => page.locator('[aria-label="Topology: nodes and links"] line.cut').count(), { timeout: 10_000 }).toBe(0);
  });

  it('ends with a summary, and the live faults are in the record', async () => {
    await page.getByTestId('run-summary').waitFor({ timeout: 30_000 });
    await screenshot(page, '6-summary');
  });

  it('opens the recorded run from the runs list, with its charts', async () => {
    await page.getByRole('button', { name: 'Runs', exact: true }).first().click();
    await page.getByText('e2e-heartbeats').first().click();
    await page.getByTestId('run-view').waitFor();
    await waitForChart(page, 'heartbeats', /detected|suspect/i);
    await waitForChart(page, 'throughput', /Messages per second/);
    await screenshot(page, '7-recorded-run');
  });

  it('runs a Raft preset: latency, lag and leader charts receive data', async () => {
    await page.getByRole('button', { name: 'Experiments', exact: true }).first().click();
    await page.getByText('raft-leader-faults').first().click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('run-view').waitFor();
    await waitForChart(page, 'latency', /Client latency.*p50/, 30_000);
    await waitForChart(page, 'lag', /Replication lag/, 30_000);
    await waitForChart(page, 'leader-term', /leader n\d/, 30_000);
    await screenshot(page, '8-raft-live');
    await page.getByRole('button', { name: /Stop/ }).first().click();
  });

  it('exports a run as CSV and the files are there', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'distlab-e2e-csv-'));
    await page.getByRole('button', { name: 'Runs', exact: true }).first().click();
    await page.getByRole('button', { name: /Export/ }).first().click();
    const folder = page.getByLabel(/folder/i).first();
    await folder.fill(out);
    await screenshot(page, '9-export');
    await page.getByRole('button', { name: /^Export( CSV)?$/ }).last().click();
    await expect.poll(() => readdirSync(out).filter((f) => f.endsWith('.csv')).sort(), { timeout: 20_000 }).toEqual(
      expect.arrayContaining(['events.csv', 'messages.csv', 'metrics.csv', 'operations.csv']),
    );
    const header = readFileSync(path.join(out, 'messages.csv'), 'utf8').split(/\r?\n/)[0];
    expect(header.startsWith('id,src,dest,type,t_send_ms,t_deliver_ms,fate,bytes')).toBe(true);
  });
});
