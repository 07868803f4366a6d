// How long a comparison of four recorded runs of 250,000 messages each takes to open: in
// Chromium, from the click on "Compare 4 runs" in the runs list until the compare view has
// drawn its table and charts (its data-ready mark, set on the first frame after they mount),
// in fresh pages; beside it the lab's share, `runs.compare` computed in this process on the
// same file. The recordings are those of the ui-open benchmark (`ping`'s shape), smaller.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../core/store/database.js';
import { compareData } from '../core/api/compare-data.js';
import { launchBrowser, startLabServer, tempDir, VIEWPORT, type LabServer } from './ui-support.js';
import { writeRecordedRun, type RecordedRun } from './ui-recorded-run.js';

export interface CompareOpen {
  runs: RecordedRun[];
  /** Click to the compare view drawn, ms, one per trial. */
  openMs: number[];
  /** runs.compare in this process, ms (median of 3), and its JSON size. */
  serverMs: number;
  payloadBytes: number;
  sectionMs: number;
}

const RUNS = 4;
const MESSAGES = 250_000;

/** Page-side: resolves with ms from the next click until the compare view is drawn. Ends in `0` (see ui-open-recorded). */
const ARM_TIMER = `window.__compareTimed = new Promise((resolve) => {
  document.addEventListener('click', () => {
    const t0 = performance.now();
    const check = () => {
      const now = performance.now();
      if (document.querySelector('[data-testid="compare-view"][data-ready="true"]')) resolve(now - t0);
      else if (now - t0 > 60000) resolve(NaN);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, { capture: true, once: true });
});
0`;

async function openOnce(browser: Browser, url: string, ids: number[]): Promise<number> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.getByRole('button', { name: 'Runs', exact: true }).first().click();
    for (const id of ids) await page.getByLabel(`Compare run #${id}`).check({ timeout: 15_000 });
    await page.evaluate(ARM_TIMER);
    await page.getByTestId('open-compare').click();
    const ms = (await page.evaluate('window.__compareTimed')) as number;
    if (!Number.isFinite(ms)) throw new Error('the compare view was not drawn within 60 s');
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
    return ms;
  } finally {
    await page.close();
  }
}

export async function uiCompareOpen({ trials = 3 } = {}): Promise<CompareOpen> {
  const started = performance.now();
  const tmp = tempDir('distlab-bench-ui-compare-');
  const dbPath = path.join(tmp.dir, 'runs.db');
  let server: LabServer | null = null;
  let browser: Browser | null = null;
  try {
    const runs: RecordedRun[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await writeRecordedRun(dbPath, 'ping', MESSAGES));
    const ids = runs.map((r) => r.runId);
    const db = openDatabase(dbPath);
    const times: number[] = [];
    let payloadBytes = 0;
    try {
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        payloadBytes = JSON.stringify(compareData(db, ids)).length;
        times.push(performance.now() - t0);
      }
    } finally {
      db.close();
    }
    server = await startLabServer(dbPath);
    browser = await launchBrowser();
    const openMs: number[] = [];
    for (let i = 0; i < trials; i++) openMs.push(await openOnce(browser, server.url, ids));
    return { runs, openMs, serverMs: times.sort((a, b) => a - b)[1], payloadBytes, sectionMs: performance.now() - started };
  } finally {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  }
}
