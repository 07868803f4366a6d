// The ring view in a real browser: the preset sharded-kv-ring-join recorded by `distlab run`,
// opened in its replay before and after n6 joins. Before, the ring has 5·V arcs; after, 6·V,
// and keys on n6's arcs have taken its colour; every key tick has the colour of a member's
// arcs; the keys-per-node chart has its bars. The pictures go to test-results/screenshots/
// (ring-view.png, after the join, is docs/screenshots/ring-view.png).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, repoRoot, shootElement, startServer, type LabServer } from './browser.js';
import { recordWithCli } from '../integration/helpers.js';
import { nodeColor } from '../../renderer/src/components/charts/chart-kit.js';

const PRESET = path.join(repoRoot, 'resources/experiments/sharded-kv-ring-join.yaml');
const VNODES = 32;

if (chromiumMissing) console.warn('ring-view.e2e: skipped, /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(chromiumMissing)('the ring view of a sharded run', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let run: { runId: number; durationMs: number; joinMs: number; settledMs: number };

  beforeAll(async () => {
    server = await startServer();
    const summary = recordWithCli(PRESET, server.dbPath);
    const join = summary.measurements!.sharding!.changes[0];
    run = { runId: summary.runId, durationMs: summary.durationMs, joinMs: join.atMs, settledMs: join.atMs + (join.handoverMs ?? 0) + 300 };
    browser = await launchBrowser();
    // Tall enough for the ring's double-height cell to fit below the sticky replay bar.
    page = await browser.newPage({ viewport: { width: 1440, height: 1300 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const openAt = async (ms: number) => {
    await page.goto('about:blank');
    await page.goto(`${server.url.replace(/#.*$/, '')}#/runs/${run.runId}?t=${(ms / 1000).toFixed(3)}s`);
    const ring = page.getByTestId('ring-view');
    await ring.waitFor({ timeout: 30_000 });
    return ring;
  };
  const strokes = (ring: ReturnType<Page['getByTestId']>, selector: string) => ring.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('stroke')));

  it('before the join: five nodes\' arcs, and the keys in their owners\' colours', async () => {
    const ring = await openAt(run.joinMs - 300);
    await expect.poll(() => ring.locator('path.arc').count(), { timeout: 10_000 }).toBe(5 * VNODES);
    await expect.poll(() => ring.locator('line.key').count(), { timeout: 10_000 }).toBeGreaterThan(50);
    expect(await strokes(ring, 'line.key')).not.toContain(nodeColor('n6'));
    await shootElement(page.locator('[data-cell="ring"]'), 'ring-view-before-join');
  });

  it('after the join: n6\'s arcs appear and the keys handed over to it take its colour; keys per node beside it', async () => {
    const ring = await openAt(Math.min(run.settledMs, run.durationMs - 100));
    await expect.poll(() => ring.locator('path.arc').count(), { timeout: 10_000 }).toBe(6 * VNODES);
    await expect.poll(() => ring.locator('h3').textContent()).toMatch(new RegExp(`6 nodes, ${VNODES} virtual nodes each`));
    const arcColours = new Set(await strokes(ring, 'path.arc'));
    const keyColours = await strokes(ring, 'line.key');
    expect(keyColours).toContain(nodeColor('n6'));
    expect(keyColours.every((c) => arcColours.has(c))).toBe(true);
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
