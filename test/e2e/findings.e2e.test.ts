// What a failing checker found, as the lab shows it: a history that cannot be linearized
// drawn per client, a transactional anomaly as its cycle of transactions, and the editor's
// options for the workload that produced them.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { chromiumMissing, openLab, repoRoot, screenshot, shootElement, type OpenLab } from './browser.js';
import { recordWithCli } from '../integration/helpers.js';

const preset = (name: string) => path.join(repoRoot, 'resources/experiments', `${name}.yaml`);

describe.skipIf(chromiumMissing)('checker findings in the lab', () => {
  let lab: OpenLab;
  let page: Page;
  let stale: number;
  let cycle: number;
  let lossy: number;

  beforeAll(async () => {
    lab = await openLab();
    page = lab.page;
    stale = recordWithCli(preset('maelstrom-lin-kv-stale'), lab.server.dbPath).runId;
    cycle = recordWithCli(preset('maelstrom-txn-write-cycle'), lab.server.dbPath).runId;
    lossy = recordWithCli(preset('maelstrom-g-counter-lossy'), lab.server.dbPath).runId;
  }, 90_000);

  afterAll(() => lab?.close());

  it('draws the operations that cannot be linearized, per client, and moves the replay to one clicked', async () => {
    await page.goto(`${lab.server.url.replace(/#.*$/, '')}#/runs/${stale}`);
    const timeline = page.getByTestId('linearizability-timeline');
    await timeline.waitFor({ timeout: 30_000 });
    await expect.poll(() => timeline.innerText()).toMatch(/cannot be linearized/);
    const blocking = timeline.locator('.bar.blocking');
    expect(await blocking.count()).toBe(1);
    expect(await blocking.innerText()).toMatch(/^r /);
    expect(await timeline.locator('.row').count()).toBeGreaterThan(1);
    await shootElement(timeline, 'f1-linearizability-timeline');
    const before = await page.getByTestId('replay-time').getAttribute('data-ms');
    await blocking.click();
    await expect.poll(() => page.getByTestId('replay-time').getAttribute('data-ms')).not.toBe(before);
  });

  it('lists a transactional anomaly with the cycle of transactions that proves it', async () => {
    await page.goto(`${lab.server.url.replace(/#.*$/, '')}#/runs/${cycle}`);
    const cycles = page.getByTestId('anomaly-cycles');
    await cycles.waitFor({ timeout: 30_000 });
    const text = await cycles.innerText();
    expect(text).toMatch(/G-single|G2-item|G1c|G0/);
    expect(text).toMatch(/T#\d+/);
    expect(text).toMatch(/(ww|wr|rw|realtime): /);
    expect(text).toMatch(/↺ back to T#\d+/);
    expect(await cycles.locator(':scope > li:not(.more)').count()).toBeLessThanOrEqual(3);
    await shootElement(cycles, 'f2-anomaly-cycles');
  });

  it('links the operations a simple check names to the replay: the counter’s final reads out of bounds', async () => {
    await page.goto(`${lab.server.url.replace(/#.*$/, '')}#/runs/${lossy}`);
    const op = page.getByTestId('finding-op').first();
    await op.waitFor({ timeout: 30_000 });
    const id = Number((await op.innerText()).slice(1));
    const db = new Database(lab.server.dbPath, { readonly: true });
    const record = db.prepare('select op, t_invoke_us from operations where run_id = ? and rowid = ?').get(lossy, id) as { op: string; t_invoke_us: number };
    db.close();
    expect(record.op).toBe('read');
    await op.click();
    await expect.poll(() => page.getByTestId('replay-time').getAttribute('data-ms')).toBe(String(record.t_invoke_us / 1000));
  });

  it('offers the transactional workload’s options in the editor', async () => {
    await page.goto(`${lab.server.url.replace(/#.*$/, '')}#/experiments`);
    await page.getByRole('button', { name: 'maelstrom-txn-list-append', exact: true }).click();
    const workload = page.locator('section', { has: page.getByRole('heading', { name: 'Workload' }) }).first();
    await workload.scrollIntoViewIfNeeded();
    await expect.poll(() => workload.innerText()).toMatch(/Consistency models/);
    expect(await workload.innerText()).toMatch(/Most operations per transaction/);
    await shootElement(workload, 'f3-editor-txn-workload');
  });

  it('raised no error in the page', () => {
    expect(lab.pageErrors).toEqual([]);
  });
});
