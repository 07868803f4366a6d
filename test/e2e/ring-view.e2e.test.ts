// The ring view in a real browser: a sharded-kv run recorded by `distlab run`, opened at a
// moment of its replay; the ring draws every node's arcs (N·V of them) and a tick per key
// owned, the keys-per-node chart its bars. The picture of the ring goes to
// test-results/screenshots/ring-view.png (docs/screenshots/ring-view.png is a copy of it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, shootElement, startServer, type LabServer } from './browser.js';
import { recordWithCli } from '../integration/helpers.js';

const NODES = 5;
const VNODES = 8;
const RUN_YAML = `name: e2e-sharded-ring
seed: 4
duration: 8s
nodes: { count: ${NODES}, program: sharded-kv, params: { vnodes: ${VNODES} } }
network: { latency: { distribution: normal, mean: 3ms, jitter: 1ms } }
workload: { kind: kv, rate: 200, clients: 4, keys: 120, timeout: 1s, loop: open, mix: { read: 1, write: 4, cas: 0 } }
`;

if (chromiumMissing) console.warn('ring-view.e2e: skipped, /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(chromiumMissing)('the ring view of a sharded run', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let runId: number;

  beforeAll(async () => {
    server = await startServer();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'distlab-e2e-ring-')), 'ring.yaml');
    writeFileSync(file, RUN_YAML);
    runId = recordWithCli(file, server.dbPath).runId;
    browser = await launchBrowser();
    // Tall enough for the ring's double-height cell to fit below the sticky replay bar.
    page = await browser.newPage({ viewport: { width: 1440, height: 1300 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws each node\'s arcs and the keys coloured by owner at the replay cursor, with keys per node beside it', async () => {
    await page.goto(`${server.url.replace(/#.*$/, '')}#/runs/${runId}?t=7.900s`);
    const ring = page.getByTestId('ring-view');
    await ring.waitFor({ timeout: 30_000 });
    expect(await ring.locator('path.arc').count()).toBe(NODES * VNODES);
    await expect.poll(() => ring.locator('line.key').count(), { timeout: 10_000 }).toBeGreaterThan(30);
    // Every key tick takes the colour of a member's arcs.
    const arcColours = new Set(await ring.locator('path.arc').evaluateAll((els) => els.map((e) => e.getAttribute('stroke'))));
    const keyColours = new Set(await ring.locator('line.key').evaluateAll((els) => els.map((e) => e.getAttribute('stroke'))));
    expect([...keyColours].every((c) => arcColours.has(c))).toBe(true);
    await expect.poll(() => ring.locator('h3').textContent()).toMatch(new RegExp(`${NODES} nodes, ${VNODES} virtual nodes each`));
    await page.getByTestId('keys-per-node').waitFor();
    // Centred in the window, clear of the replay bar that sticks to the top of the charts.
    for (const cell of ['ring', 'keys']) {
      const element = page.locator(`[data-cell="${cell}"]`);
      await element.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shootElement(element, cell === 'ring' ? 'ring-view' : 'keys-per-node');
    }
    expect(pageErrors).toStrictEqual([]);
  });
});
