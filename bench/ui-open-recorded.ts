// How long a recorded run of 1,000,000 messages takes to open in the UI: from the click on
// its "Open" button in the Runs tab until every chart of the run view shows data (ECharts'
// description of each chart lists its data, the space-time diagram counts the messages in
// view, the topology draws its nodes), timed in the page with performance.now() at the click
// and at the first animation frame that finds everything drawn. Each run is opened in a fresh
// page several times; the server's share (the runs.data answer, measured in this process on
// the same file) is reported beside it.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../core/store/database.js';
import { recordedRunDataInParallel } from '../core/api/recorded-data.js';
import { MetricsReader } from '../core/api/metrics-reader.js';
import { launchBrowser, PAGE_PROBES, startLabServer, tempDir, VIEWPORT, type LabServer } from './ui-support.js';
import { writeRecordedRun, type RecordedRun, type RecordingShape } from './ui-recorded-run.js';

export interface OpenTimes {
  run: RecordedRun;
  /** Click to every chart drawn, ms, one per trial (each in a fresh page). */
  openMs: number[];
  /** When each chart first showed data, ms after the click, in the slowest trial. */
  firstDataMs: Record<string, number>;
  /** runs.data computed in this process on the same file, ms (median of 3), and its JSON size. */
  serverMs: number;
  payloadBytes: number;
}

export interface RecordedOpen {
  shapes: Record<RecordingShape, OpenTimes>;
  /** Wall time of the whole section (writing the recordings included), ms. */
  sectionMs: number;
}

/**
 * Page-side: arms a timer that starts at the next click and resolves once every chart has
 * data. Ends in `0`: page.evaluate would otherwise wait for the promise it assigns.
 */
const ARM_OPEN_TIMER = `window.__openTimed = new Promise((resolve) => {
  document.addEventListener('click', () => {
    const t0 = performance.now();
    const firsts = {};
    const check = () => {
      const now = performance.now();
      const states = window.__bench.chartStates() ?? {};
      for (const [name, drawn] of Object.entries(states)) if (drawn && !(name in firsts)) firsts[name] = now - t0;
      if (window.__bench.chartsDrawn()) resolve({ openMs: now - t0, firsts });
      else if (now - t0 > 60000) resolve({ openMs: NaN, firsts, states });
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, { capture: true, once: true });
});
0`;

async function openOnce(browser: Browser, url: string, name: string): Promise<{ openMs: number; firsts: Record<string, number> }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.getByRole('button', { name: 'Runs', exact: true }).first().click();
    const open = page.getByRole('row', { name: new RegExp(`\\b${name}\\b`) }).getByRole('button', { name: 'Open' });
    await open.waitFor({ timeout: 15_000 });
    await page.evaluate(PAGE_PROBES);
    await page.evaluate(ARM_OPEN_TIMER);
    await open.click();
    const timed = (await page.evaluate('window.__openTimed')) as { openMs: number; firsts: Record<string, number>; states?: unknown };
    if (!Number.isFinite(timed.openMs)) throw new Error(`run ${name}: the charts showed no data within 60 s (${JSON.stringify(timed.states)})`);
    if (pageErrors.length) throw new Error(`the page failed: ${pageErrors.join('; ')}`);
    return timed;
  } finally {
    await page.close();
  }
}

/** runs.data as the lab answers it (metrics on a worker meanwhile), with its JSON: the median of 3. */
async function serverSide(dbPath: string, runId: number): Promise<{ serverMs: number; payloadBytes: number }> {
  const db = openDatabase(dbPath);
  const reader = new MetricsReader();
  try {
    const times: number[] = [];
    let payloadBytes = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      payloadBytes = JSON.stringify(await recordedRunDataInParallel(db, dbPath, runId, reader)).length;
      times.push(performance.now() - started);
    }
    return { serverMs: times.sort((a, b) => a - b)[1], payloadBytes };
  } finally {
    await reader.close();
    db.close();
  }
}

export async function uiOpenRecorded({ trials = 3 } = {}): Promise<RecordedOpen> {
  const sectionStart = performance.now();
  const tmp = tempDir('distlab-bench-ui-recorded-');
  const dbPath = path.join(tmp.dir, 'runs.db');
  let server: LabServer | null = null;
  let browser: Browser | null = null;
  try {
    const runs = { messages: await writeRecordedRun(dbPath, 'messages'), ping: await writeRecordedRun(dbPath, 'ping') };
    server = await startLabServer(dbPath);
    browser = await launchBrowser();
    const shapes = {} as Record<RecordingShape, OpenTimes>;
    for (const shape of ['messages', 'ping'] as const) {
      const run = runs[shape];
      const opened = [];
      for (let i = 0; i < trials; i++) opened.push(await openOnce(browser, server.url, run.name));
      const slowest = opened.reduce((a, b) => (b.openMs > a.openMs ? b : a));
      shapes[shape] = { run, openMs: opened.map((o) => o.openMs), firstDataMs: slowest.firsts, ...(await serverSide(dbPath, run.runId)) };
    }
    return { shapes, sectionMs: performance.now() - sectionStart };
  } finally {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  }
}
