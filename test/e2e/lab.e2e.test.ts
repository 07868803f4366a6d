// The real UI in Chromium against `distlab serve`, with a real engine and real node
// processes: design an experiment in the form, run it, watch the charts fill, break the
// network from the UI, then find the run again and export it.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, screenshot, shootElement, startServer, type LabServer } from './browser.js';
import { seriesValues, seriesWithData } from './chart-description.js';

const chart = (page: Page, name: string) => page.locator(`[data-chart="${name}"]`);
/** What ECharts writes about a chart into the DOM: its title, then every series with its first data. */
async function chartDescription(page: Page, name: string): Promise<string> {
  return (await chart(page, name).locator('[aria-label]').first().getAttribute('aria-label')) ?? '';
}
/** Polls until the chart's series carries at least `atLeast` numbers, and one of them is above `above`. */
async function waitForSeries(page: Page, name: string, series: string, { above = 0, timeout = 20_000 } = {}): Promise<number[]> {
  // A chart out of sight keeps what it last drew until it comes back into view.
  await chart(page, name).scrollIntoViewIfNeeded();
  let values: number[] = [];
  await expect
    .poll(async () => Math.max(-Infinity, ...(values = seriesValues(await chartDescription(page, name), series))), { timeout, interval: 250, message: `${name}: series ${series}` })
    .toBeGreaterThan(above);
  return values;
}
/**
 * Polls until the throughput chart's title reports a peak of at least `atLeast` msgs/s. Its aria
 * text lists only the first points, which are zero when the nodes were slow to start.
 */
async function waitForPeakRate(page: Page, atLeast: number): Promise<void> {
  const peak = async () => {
    const text = (await chartDescription(page, 'throughput')).match(/peak ([\d.]+)(k?)\/s/);
    return text ? Number(text[1]) * (text[2] ? 1000 : 1) : 0;
  };
  await expect.poll(peak, { timeout: 20_000, interval: 250, message: 'throughput: peak rate' }).toBeGreaterThanOrEqual(atLeast);
}
async function waitForTitle(page: Page, name: string, pattern: RegExp, timeout = 20_000): Promise<void> {
  await chart(page, name).scrollIntoViewIfNeeded();
  await expect.poll(async () => (await chartDescription(page, name)).match(/This is a chart about "([^"]*)"/)?.[1] ?? '', { timeout, interval: 250 }).toMatch(pattern);
}
const topology = (page: Page) => page.locator('[aria-label="Topology: nodes and links"]');
const look = (page: Page, node: string) => topology(page).locator(`g.node[data-node="${node}"]`).getAttribute('data-look');
const faultEntry = (page: Page, text: string) => page.getByRole('region', { name: 'Fault timeline' }).getByRole('listitem').filter({ hasText: text });
const messagesInView = async (page: Page) => Number((await chart(page, 'space-time').innerText()).match(/([\d,]+) messages? in view/)?.[1]?.replace(/,/g, '') ?? 0);

/** Sweeps the pointer along n1's lane until it lands on a send or receive; returns the tip's text. */
async function hoverFirstEvent(page: Page): Promise<string> {
  const canvas = chart(page, 'space-time').locator('canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const laneY = Number((await canvas.getAttribute('data-lanes'))?.match(/\bn1:(\d+)/)?.[1]);
  expect(laneY).toBeGreaterThan(0);
  const tip = chart(page, 'space-time').locator('.tip');
  for (let x = 60; x < box.width - 12; x += 2) {
    await page.mouse.move(box.x + x, box.y + laneY);
    if (await tip.isVisible()) return tip.innerText();
  }
  throw new Error('no event found on the lane of n1');
}

describe.skipIf(chromiumMissing)('the lab in a browser, with real processes', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let sentInRun = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('designs an experiment in the form, saves it, and runs it', async () => {
    await page.goto(server.url);
    await page.getByText('Pick a preset, or create an experiment').waitFor();
    await screenshot(page, '01-experiments-empty');
    await page.getByRole('button', { name: /New experiment/ }).first().click();
    await page.getByLabel(/^Duration/).fill('16s');
    await page.getByLabel(/^Count/).fill('4');
    await page.getByLabel(/^Program/).selectOption('heartbeat');
    await page.getByLabel(/^Kind/).selectOption('none');
    // A bad value is named next to its field, and Run waits until it is fixed.
    const run = page.getByRole('button', { name: /^Run\b/ });
    await page.getByLabel(/^Duration/).fill('soon');
    await expect.poll(() => run.isDisabled(), { timeout: 5000 }).toBe(true);
    const durationProblem = page.locator('.field.invalid', { hasText: 'Duration' }).getByRole('alert');
    await expect.poll(() => durationProblem.innerText(), { timeout: 5000 }).toMatch(/\S/);
    await screenshot(page, '02-editor-invalid');
    await page.getByLabel(/^Duration/).fill('16s');
    // The YAML follows the form.
    const yaml = () => page.getByLabel('Experiment YAML').inputValue();
    await expect.poll(yaml).toMatch(/duration: 16s/);
    await expect.poll(yaml).toMatch(/count: 4/);
    await expect.poll(yaml).toMatch(/program: heartbeat/);
    await expect.poll(yaml).not.toMatch(/workload/);
    await screenshot(page, '03-editor');
    // Saved, it is listed and named; nothing is left to discard later.
    await page.getByRole('button', { name: /Save as/ }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('e2e-heartbeats');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(yaml).toMatch(/name: e2e-heartbeats/);
    await expect.poll(() => run.isEnabled(), { timeout: 5000 }).toBe(true);
    await run.click();
    await page.getByTestId('run-view').waitFor();
    expect(await page.getByTestId('run-status').innerText()).toMatch(/live/i);
  });

  it('fills the heartbeat, clock and throughput charts with data from the run', async () => {
    // Silence per peer as n1 sees it, as a fraction of the 300 ms timeout: below 1 while all is well.
    const silence = await waitForSeries(page, 'heartbeats', 'n2');
    expect(Math.max(...silence.filter((_, i) => i % 2 === 1))).toBeLessThan(1);
    await waitForPeakRate(page, 20);
    await waitForSeries(page, 'throughput', 'sent');
    await waitForSeries(page, 'throughput', 'delivered');
    await expect.poll(() => messagesInView(page), { timeout: 15_000 }).toBeGreaterThan(10);
    // Space pauses the live view and resumes following.
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('follow').innerText()).toMatch(/Follow/);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('follow').innerText()).toMatch(/Pause view/);
    await screenshot(page, '04-live-run');
    await shootElement(chart(page, 'space-time'), '04b-space-time');
  });

  it('kills a node from the topology: it shows as crashed, then its peers suspect it', async () => {
    // Select it in the topology, then k, and k again to confirm.
    await topology(page).locator('g.node[data-node="n2"]').click();
    await page.keyboard.press('k');
    await page.getByRole('alertdialog', { name: 'Kill n2?' }).waitFor();
    await page.keyboard.press('k');
    await expect.poll(() => look(page, 'n2'), { timeout: 10_000 }).toBe('crashed');
    // The fixed-timeout detector suspects after 300 ms of silence: every live peer says so,
    // and the suspicion chart reports when the kill was detected.
    const suspectedBy = page.locator('dt:text-is("suspected by") + dd');
    await expect.poll(() => suspectedBy.innerText(), { timeout: 10_000 }).toBe('n1, n3, n4');
    await waitForTitle(page, 'heartbeats', /n2 (?:\w+: n\d+ )?detected(?: it)? after \d+ ms/, 10_000);
    await expect.poll(() => faultEntry(page, 'kill n2').count()).toBe(1);
    await screenshot(page, '05-killed-and-suspected');
    await shootElement(chart(page, 'heartbeats'), '05b-heartbeats');
  });

  it('partitions with a Jepsen pattern, then heals', async () => {
    await page.getByRole('button', { name: 'Jepsen pattern' }).click();
    await page.getByRole('button', { name: 'majority', exact: true }).click();
    await expect.poll(() => topology(page).locator('line.cut').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => faultEntry(page, 'partition majority').count()).toBe(1);
    await screenshot(page, '06-partitioned');
    await page.getByRole('button', { name: /Heal the network/ }).click();
    await expect.poll(() => topology(page).locator('line.cut').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => faultEntry(page, 'heal').count()).toBe(1);
  });

  it('comes back to the live run from the runs list with all of it so far', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    await page.getByRole('row', { name: /e2e-heartbeats/ }).getByRole('button', { name: 'Watch' }).click();
    await page.getByTestId('run-view').waitFor();
    expect(await page.getByTestId('run-status').innerText()).toMatch(/live/i);
    for (const fault of ['kill n2', 'partition majority', 'heal']) await expect.poll(() => faultEntry(page, fault).count()).toBe(1);
    // The throughput line starts at the run's first second, not when the view opened again.
    await waitForPeakRate(page, 20);
    const sent = await waitForSeries(page, 'throughput', 'sent');
    expect(sent[0]).toBeLessThan(1);
    await waitForTitle(page, 'heartbeats', /n2 (?:\w+: n\d+ )?detected(?: it)? after \d+ ms/);
  });

  it('ends with a summary: checks, detection, and the live faults in the record', async () => {
    await page.getByTestId('run-summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-status').innerText()).toMatch(/completed/i);
    const summary = await page.getByTestId('run-summary').innerText();
    expect(summary).toMatch(/clock-condition/);
    expect(summary).toMatch(/kill n2 at [\d.]+ s: first after \d+ ms/);
    sentInRun = Number((await page.getByTestId('count-sent').innerText()).replace(/,/g, ''));
    expect(sentInRun).toBeGreaterThan(100);
    await screenshot(page, '07-summary');
  });

  it('opens the recorded run from the runs list, with its charts', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    const row = page.getByRole('row', { name: /e2e-heartbeats/ });
    await row.waitFor();
    await screenshot(page, '08-runs-list');
    await row.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('run-view').waitFor();
    await waitForTitle(page, 'heartbeats', /n2 (?:\w+: n\d+ )?detected(?: it)? after \d+ ms/);
    await waitForPeakRate(page, 20);
    await expect.poll(() => messagesInView(page)).toBeGreaterThan(10);
    expect(Number((await page.getByTestId('count-sent').innerText()).replace(/,/g, ''))).toBe(sentInRun);
    for (const fault of ['kill n2', 'partition majority', 'heal']) expect(await faultEntry(page, fault).count()).toBe(1);
    await screenshot(page, '09-recorded-run');
    // Hovering an event on the space-time diagram shows its Lamport clock and its causal cone.
    const tip = await hoverFirstEvent(page);
    expect(tip).toMatch(/Lamport clock of the send: \d+|sent at Lamport \d+/);
    expect(tip).toMatch(/\d+ events happened before/);
    // …and the sender's vector clock, with the events concurrent with it.
    expect(tip).toMatch(/vector clock: \[(n\d+:\d+ ?)+\]/);
    expect(tip).toMatch(/\d+ concurrent with it/);
    await shootElement(chart(page, 'space-time'), '09b-space-time-hover');
  });

  it('finds messages on the space-time diagram, and hides a message type with one click', async () => {
    const diagram = chart(page, 'space-time');
    const types = diagram.getByRole('group', { name: /Message types/ });
    const heartbeat = types.getByRole('button', { name: /^heartbeat \d/ });
    await heartbeat.waitFor();
    const before = await messagesInView(page);
    // The search counts every heartbeat n1 sent to n2 in the recording, and walks through them.
    const runId = Number(await page.getByTestId('run-view').getAttribute('data-run-id'));
    const db = new Database(server.dbPath, { readonly: true });
    const expected = db.prepare("SELECT COUNT(*) FROM messages WHERE run_id = ? AND type = 'heartbeat' AND src = 'n1' AND dest = 'n2'").pluck().get(runId) as number;
    db.close();
    await diagram.getByLabel('Find messages').fill('type:heartbeat src:n1 dest:n2');
    await diagram.getByLabel('Find messages').press('Enter');
    await expect.poll(() => diagram.getByTestId('search-status').innerText()).toBe(`1 of ${expected.toLocaleString('en-US')}`);
    await diagram.getByLabel('Find messages').press('Enter');
    await expect.poll(() => diagram.getByTestId('search-status').innerText()).toBe(`2 of ${expected.toLocaleString('en-US')}`);
    await shootElement(diagram, '09c-space-time-search');
    await diagram.getByLabel('Find messages').press('Escape');
    // Hiding heartbeats leaves fewer messages in view; showing them again brings them back.
    await heartbeat.click();
    await expect.poll(() => heartbeat.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => messagesInView(page)).toBeLessThan(before);
    await heartbeat.click();
    await expect.poll(() => messagesInView(page)).toBeGreaterThan(0);
  });

  it('runs a Raft preset: latency, lag and leader charts receive data', async () => {
    await page.getByRole('button', { name: 'Experiments', exact: true }).first().click();
    await page.getByRole('button', { name: 'raft-leader-faults', exact: true }).click();
    await page.getByRole('button', { name: /^Run\b/ }).click();
    await page.getByTestId('run-view').waitFor();
    await waitForSeries(page, 'latency', 'p50', { timeout: 30_000 });
    // The title counts the binned operations; the aria text lists only the first bins, which can all be empty.
    await waitForTitle(page, 'latency-histogram', /operations per bin, [1-9][\d,]* ok/, 30_000);
    await waitForTitle(page, 'leader-term', /leader n\d/, 30_000);
    await waitForSeries(page, 'leader-term', 'term', { timeout: 30_000 });
    await expect.poll(async () => seriesWithData(await chartDescription(page, 'lag')).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, '10-raft-live');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForTimeout(300);
    await screenshot(page, '10e-raft-live-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await shootElement(chart(page, 'lag'), '10b-lag');
    await shootElement(chart(page, 'leader-term'), '10c-leader-term');
    await shootElement(chart(page, 'latency'), '10d-latency');
    await page.getByRole('button', { name: /Stop run/ }).click();
    await page.getByTestId('run-summary').waitFor({ timeout: 30_000 });
    await screenshot(page, '11-raft-summary');
  });

  it('exports the first run as CSV and the files hold the recording', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'distlab-e2e-csv-'));
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    await page.getByRole('row', { name: /e2e-heartbeats/ }).getByRole('button', { name: 'Export…' }).click();
    await page.getByRole('dialog').getByLabel('Folder').fill(out);
    await page.getByRole('dialog').getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('dialog').getByText(/Wrote \d+ files/).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByRole('dialog').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await page.waitForTimeout(300);
    await screenshot(page, '12-export');
    const files = readdirSync(out).filter((f) => f.endsWith('.csv'));
    expect(files).toEqual(expect.arrayContaining(['events.csv', 'messages.csv', 'metrics.csv', 'operations.csv', 'faults.csv']));
    const messages = readFileSync(path.join(out, 'messages.csv'), 'utf8').trim().split(/\r?\n/);
    expect(messages[0].startsWith('id,src,dest,type,t_send_ms,t_deliver_ms,fate,bytes')).toBe(true);
    expect(messages.length - 1).toBe(sentInRun);
    const faults = readFileSync(path.join(out, 'faults.csv'), 'utf8');
    expect(faults).toMatch(/kill/);
    expect(faults).toMatch(/heal/);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
