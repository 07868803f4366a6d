// Compare and Run again in a real browser against `distlab serve`, on real Raft runs recorded
// by the CLI: tick two runs in the runs list, open Compare, and find in its table exactly the
// numbers of `distlab compare --json`; export the report; then Run again from a run's view,
// and see the new run linked to its origin with the same seed, one click from the comparison.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, screenshot, shootElement, startServer, type LabServer } from './browser.js';
import { recordWithCli, runCli, tempDir } from '../integration/helpers.js';
import type { ComparedRun } from '../../core/analysis/compare.js';

const experiment = (heartbeat: number) => `name: raft-e2e-compare
seed: 41
duration: 5s
nodes:
  count: 3
  program: raft
  params: { heartbeatInterval: ${heartbeat} }
network:
  latency: { distribution: normal, mean: 3ms, jitter: 1ms }
  loss: 0.05
faults:
  - { at: 2s, kill: leader }
workload: { kind: kv, rate: 30, clients: 2, keys: 3, timeout: 1s }
`;

/** The table cell of one row and run, as the value the view was given (JSON in data-value). */
async function cell(page: Page, row: string, runId: number): Promise<unknown> {
  const text = await page.locator(`[data-testid="compare-table"] tr[data-row="${row}"] td[data-run="${runId}"]`).getAttribute('data-value');
  return text === null ? undefined : JSON.parse(text);
}

/** The rows the CLI's JSON gives directly, by the table's row keys. */
function expectedCells(r: ComparedRun): Record<string, unknown> {
  return {
    'latency.p50': r.latencyMs?.p50,
    'latency.p95': r.latencyMs?.p95,
    'latency.p99': r.latencyMs?.p99,
    'latency.max': r.latencyMs?.max,
    'ops.ok': r.ops?.ok,
    'msgs.perOperation': r.measurements.messagesPerOperation,
    'msgs.perNodePerSec': r.measurements.messagesPerNodePerSec,
    'elections.count': r.measurements.elections?.elections,
    'elections.splitVotes': r.measurements.elections?.splitVotes,
    'elections.ms.p50': r.measurements.elections?.electionMs?.p50,
    'setup.params.heartbeatInterval': String(r.label['params.heartbeatInterval']),
    status: r.status,
  };
}

describe.skipIf(chromiumMissing)('comparing runs and running again, in a browser', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const ids: number[] = [];
  let simulatedId = 0;

  beforeAll(async () => {
    server = await startServer();
    const dir = tempDir();
    for (const heartbeat of [50, 20]) {
      const file = path.join(dir, `raft-${heartbeat}.yaml`);
      writeFileSync(file, experiment(heartbeat));
      const summary = recordWithCli(file, server.dbPath);
      expect(summary.status).toBe('completed');
      ids.push(summary.runId);
    }
    // The first experiment again, simulated: a real run beside its simulation.
    const simulatedFile = path.join(dir, 'raft-50-simulated.yaml');
    writeFileSync(simulatedFile, `${experiment(50)}mode: simulate\n`);
    const simulated = recordWithCli(simulatedFile, server.dbPath);
    expect(simulated.status).toBe('completed');
    simulatedId = simulated.runId;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens Compare from two ticked runs, with the numbers of distlab compare --json', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    for (const id of ids) await page.getByLabel(`Compare run #${id}`).check();
    await page.getByTestId('open-compare').click();
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });

    const cli = runCli(['compare', String(ids[0]), String(ids[1]), '--db', server.dbPath, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const runs = JSON.parse(cli.stdout) as ComparedRun[];
    let checked = 0;
    for (const r of runs) {
      for (const [row, value] of Object.entries(expectedCells(r))) {
        if (value === undefined) continue;
        expect(await cell(page, row, r.runId), `${row} of run ${r.runId}`).toEqual(value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
    // The header names each run by what differs.
    expect(await page.getByTestId('run-label').allInnerTexts()).toEqual(['raft · heartbeatInterval 50', 'raft · heartbeatInterval 20']);
    // The cheaper run's messages per node per second is marked as the best (lowest) value.
    const cheaper = runs.reduce((a, b) => (b.measurements.messagesPerNodePerSec < a.measurements.messagesPerNodePerSec ? b : a)).runId;
    expect(await page.locator(`tr[data-row="msgs.perNodePerSec"] td[data-run="${cheaper}"]`).getAttribute('class')).toContain('best');
    await screenshot(page, 'c1-compare-top');
  });

  it('puts a real run beside its simulation, saying which is which', async () => {
    await page.goto(`${server.url}#/compare?runs=${ids[0]},${simulatedId}`);
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('run-mode').allInnerTexts()).toEqual(['real processes', 'simulated']);
    await expect.poll(() => page.getByTestId('compare-view').innerText()).toContain(`Real processes beside a simulation: #${ids[0]} ran as real processes, #${simulatedId} simulated.`);
    // Both ran the same workload against the same Raft: both answered clients and elected a leader again after the kill.
    for (const runId of [ids[0], simulatedId]) {
      expect(await cell(page, 'ops.ok', runId)).toBeGreaterThan(0);
      expect(await cell(page, 'elections.count', runId)).toBeGreaterThanOrEqual(2);
    }
    for (const name of ['latency', 'leadership']) await page.locator(`[data-compare-chart="${name}"]`).waitFor();
    await screenshot(page, 'c1b-compare-real-and-simulated');
    await page.goto(`${server.url}#/compare?runs=${ids.join(',')}`);
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
  });

  it('overlays the charts, aligns them on the first kill, and draws the diagrams side by side', async () => {
    for (const name of ['latency', 'cdf', 'throughput', 'leadership']) await page.locator(`[data-compare-chart="${name}"]`).waitFor();
    const description = await page.locator('[data-compare-chart="leadership"] [aria-label]').first().getAttribute('aria-label');
    // Each run in the legend by its id and what sets it apart.
    expect(description).toContain(`#${ids[0]} heartbeatInterval 50`);
    expect(description).toContain(`#${ids[1]} heartbeatInterval 20`);
    // Aligned on the first kill, each run's first leader (elected before the kill) moves to negative time.
    const firstX = async () => Number((await page.locator('[data-compare-chart="leadership"] [aria-label]').first().getAttribute('aria-label'))?.match(/The data is as follows: (-?[\d.]+)/)?.[1]);
    const before = await firstX();
    expect(before).toBeGreaterThan(0);
    await page.getByTestId('align').selectOption('kill');
    // Each run's series move back by the time of its own first kill.
    const offsets = page.locator('[data-offsets]');
    await expect.poll(async () => Number((await offsets.getAttribute('data-offsets'))?.split(',')[0])).toBeGreaterThanOrEqual(2000);
    const killMs = Number((await offsets.getAttribute('data-offsets'))!.split(',')[0]);
    await expect.poll(firstX).toBeCloseTo(before - killMs / 1000, 6);
    await page.locator('[data-compare-chart="cdf"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'c2-compare-charts');
    await shootElement(page.locator('[data-compare-chart="latency"]'), 'c2-compare-latency');
    await shootElement(page.locator('[data-compare-chart="leadership"]'), 'c3-compare-leadership');
    const diagrams = page.getByTestId('compare-space-time');
    await diagrams.scrollIntoViewIfNeeded();
    await expect.poll(async () => Number((await diagrams.innerText()).match(/([\d,]+) messages in view/)?.[1]?.replace(/,/g, '') ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
    await shootElement(diagrams, 'c4-compare-space-time');
    // With 5 % loss, over 5 s some message one run delivered was lost in the other: ringed in both.
    await diagrams.getByLabel('Window').selectOption('5000');
    await expect.poll(async () => Number((await diagrams.innerText()).match(/(\d+) differ/)?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
    await shootElement(diagrams, 'c4b-compare-space-time-5s');
    await page.getByTestId('toggle-yaml').click();
    await expect.poll(() => page.getByTestId('yaml-diff').innerText()).toMatch(/1 line differs from the baseline/);
    await shootElement(page.getByTestId('yaml-diff'), 'c5-compare-yaml');
  });

  it('exports the report as one HTML file with its charts inside, and the table as CSV', async () => {
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
    const htmlPath = path.join(tempDir(), html.suggestedFilename());
    await html.saveAs(htmlPath);
    const text = readFileSync(htmlPath, 'utf8');
    expect(html.suggestedFilename()).toBe(`distlab-compare-${ids.join('-')}.html`);
    expect(text).toMatch(/^<!doctype html>/);
    expect((text.match(/<img src="data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(text).not.toMatch(/<(script|link)\b/);
    const report = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await report.goto(`file://${htmlPath}`);
    await screenshot(report, 'c11-compare-report');
    await report.locator('figure').first().scrollIntoViewIfNeeded();
    await screenshot(report, 'c12-compare-report-charts');
    await report.close();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvPath = path.join(tempDir(), csv.suggestedFilename());
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath, 'utf8').split('\n');
    expect(lines[0]).toBe(`measurement,run ${ids[0]} raft-e2e-compare,run ${ids[1]} raft-e2e-compare`);
    const runs = JSON.parse(runCli(['compare', String(ids[0]), String(ids[1]), '--db', server.dbPath, '--json']).stdout) as ComparedRun[];
    expect(lines).toContain(`latency p99 (ms),${runs[0].latencyMs!.p99},${runs[1].latencyMs!.p99}`);
  });

  it('runs a recorded run again with its seed, linked to it, and compares the pair in one click', async () => {
    await page.getByRole('button', { name: `#${ids[0]} raft-e2e-compare` }).click();
    await page.getByTestId('run-again').click();
    const view = page.getByTestId('run-view');
    await expect.poll(async () => Number(await view.getAttribute('data-run-id')), { timeout: 10_000 }).toBeGreaterThan(ids[1]);
    const again = Number(await view.getAttribute('data-run-id'));
    await screenshot(page, 'c6-run-again-live');
    await expect.poll(async () => (await page.getByTestId('run-status').textContent())?.trim(), { timeout: 90_000 }).toBe('completed');
    const compare = page.getByTestId('compare-with-origin');
    await expect.poll(() => compare.isEnabled(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, 'c6-run-again-ended');
    const listed = JSON.parse(runCli(['runs', '--db', server.dbPath, '--json']).stdout) as Array<{ id: number; seed: number; originRunId: number | null }>;
    expect(listed.find((r) => r.id === again)).toMatchObject({ seed: 41, originRunId: ids[0] });
    await compare.click();
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="compare-table"] thead').innerText()).toMatch(new RegExp(`#${ids[0]}[\\s\\S]*#${again}`));
    await expect.poll(() => page.getByTestId('compare-view').innerText()).toMatch(/These runs share one experiment and one seed/);
    await screenshot(page, 'c7-compare-run-again');
  }, 150_000);

  it('compares a run with others from its view, and runs it with changes, linked to it', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    await page.locator('tbody tr').filter({ has: page.getByLabel(`Compare run #${ids[1]}`) }).getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('compare-with').click();
    const dialog = page.getByRole('dialog', { name: `Compare run #${ids[1]} with…` });
    await dialog.getByRole("checkbox", { name: new RegExp(`^#${ids[0]} `) }).check();
    await dialog.getByRole('button', { name: 'Compare 2 runs' }).click();
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('run-label').allInnerTexts()).toEqual(['raft · heartbeatInterval 20', 'raft · heartbeatInterval 50']);

    await page.getByRole('button', { name: `#${ids[1]} raft-e2e-compare` }).click();
    await page.getByRole('button', { name: /Run with changes/ }).click();
    const yaml = page.getByLabel('Experiment YAML');
    await expect.poll(() => yaml.inputValue()).toMatch(/heartbeatInterval: 20/);
    expect(await yaml.inputValue()).toMatch(/^seed: 41$/m);
    expect(await page.locator('body').textContent()).toContain(`From run #${ids[1]}`);
    await yaml.fill((await yaml.inputValue()).replace('heartbeatInterval: 20', 'heartbeatInterval: 30'));
    const run = page.getByRole('button', { name: /^Run\b/ });
    await expect.poll(() => run.isEnabled(), { timeout: 10_000 }).toBe(true);
    await run.click();
    const view = page.getByTestId('run-view');
    await expect.poll(async () => (await page.getByTestId('run-status').textContent())?.trim(), { timeout: 90_000 }).toBe('completed');
    const changed = Number(await view.getAttribute('data-run-id'));
    const listed = JSON.parse(runCli(['runs', '--db', server.dbPath, '--json']).stdout) as Array<{ id: number; seed: number; originRunId: number | null }>;
    expect(listed.find((r) => r.id === changed)).toMatchObject({ seed: 41, originRunId: ids[1] });
    await page.getByTestId('compare-with-origin').click();
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('run-label').allInnerTexts()).toEqual(['raft · heartbeatInterval 20', 'raft · heartbeatInterval 30']);
  }, 150_000);

  it('compares four runs at once', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    const boxes = page.locator('tbody input[type="checkbox"]');
    // Four real runs and the simulation of the first.
    await expect.poll(() => boxes.count()).toBe(5);
    for (let i = 0; i < 5; i++) await boxes.nth(i).uncheck();
    for (let i = 0; i < 4; i++) await boxes.nth(i).check();
    await page.getByTestId('open-compare').click();
    await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="compare-table"] thead th.run').count()).toBe(4);
    await screenshot(page, 'c8-compare-four');
    await page.locator('[data-compare-chart="leadership"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'c9-compare-four-charts');
    await page.getByTestId('compare-space-time').scrollIntoViewIfNeeded();
    await screenshot(page, 'c10-compare-four-space-time');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await page.locator('[data-compare-chart="latency"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'c13-compare-dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
  });

  it('labels a run in the runs list, stored with it and shown by distlab runs', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    await page.getByRole('button', { name: `Label run #${ids[0]}` }).click();
    await page.getByLabel(`Label of run #${ids[0]}`).fill('baseline');
    await page.getByLabel(`Note on run #${ids[0]}`).fill('heartbeat 50 ms');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('run-user-label').allInnerTexts()).toEqual(['baseline']);
    // The filter finds runs by their label too.
    await page.getByPlaceholder(/Filter/).fill('baseline');
    await expect.poll(() => page.getByRole('button', { name: /^Label run #/ }).count()).toBe(1);
    await page.getByPlaceholder(/Filter/).fill('');
    const cli = runCli(['runs', '--db', server.dbPath]);
    expect(cli.stdout).toMatch(/\[baseline\]/);
    await screenshot(page, 'c14-runs-labelled');
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
