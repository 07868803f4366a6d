// How long a recorded run of 1,000,000 messages takes to open in the UI: from the click on
// its "Open" button in the Runs tab until every chart of the run view shows data (ECharts'
// description of each chart lists its data, the space-time diagram counts the messages in
// view, the topology draws its nodes), timed in the page with performance.now() at the click
// and at the first animation frame that finds everything drawn. Each run is opened in a fresh
// page several times; the server's share (the runs.data answer, measured in this process on
// the same file) is reported beside it.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
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
  /** The floor: the same rows read with better-sqlite3 alone, no processing (median of 3), ms. */
  rawReadMs: number;
  rawRows: number;
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

async function openOnce(browser: Browser, url: string, name: string, profileTo: string | null = null): Promise<{ openMs: number; firsts: Record<string, number> }> {
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
    const cdp = profileTo ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await open.click();
    const timed = (await page.evaluate('window.__openTimed')) as { openMs: number; firsts: Record<string, number>; states?: unknown };
    if (cdp) writeFileSync(profileTo!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    if (!Number.isFinite(timed.openMs)) throw new Error(`run ${name}: the charts showed no data within 60 s (${JSON.stringify(timed.states)})`);
    if (pageErrors.length) throw new Error(`the page failed: ${pageErrors.join('; ')}`);
    return timed;
  } finally {
    await page.close();
  }
}

/**
 * The floor: the rows runs.data reads, read with better-sqlite3 and nothing else — every
 * message's send time, delivery time and dup_of (the traffic chart's source), the first
 * messages, the events other than receives, every metric sample, the logs, operations,
 * faults and nodes — on one connection, in one thread, without grouping or reshaping.
 */
function rawRead(dbPath: string, runId: number): { ms: number; rows: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const queries = [
      'SELECT t_send_us, t_deliver_us, dup_of FROM messages WHERE run_id = ?',
      'SELECT id, src, dest, type, t_send_us, t_deliver_us, fate, body, dup_of FROM messages WHERE run_id = ? ORDER BY id LIMIT 2000',
      "SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND kind <> 'recv'",
      'SELECT t_us, node, name, value FROM metrics WHERE run_id = ?',
      'SELECT t_us, node, stream, line FROM logs WHERE run_id = ?',
      'SELECT t_invoke_us, t_complete_us, outcome, node FROM operations WHERE run_id = ?',
      'SELECT t_us, kind, detail_json, source FROM faults WHERE run_id = ?',
      'SELECT node FROM nodes WHERE run_id = ?',
    ].map((sql) => db.prepare(sql).raw());
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      rows = 0;
      for (const q of queries) rows += q.all(runId).length;
      times.push(performance.now() - started);
    }
    return { ms: times.sort((a, b) => a - b)[1], rows };
  } finally {
    db.close();
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
      const profileDir = process.env.BENCH_CPU_PROFILE;
      for (let i = 0; i < trials; i++) opened.push(await openOnce(browser, server.url, run.name, profileDir && i === trials - 1 ? path.join(profileDir, `ui-open-${shape}.cpuprofile`) : null));
      const slowest = opened.reduce((a, b) => (b.openMs > a.openMs ? b : a));
      const raw = rawRead(dbPath, run.runId);
      shapes[shape] = { run, openMs: opened.map((o) => o.openMs), firstDataMs: slowest.firsts, ...(await serverSide(dbPath, run.runId)), rawReadMs: raw.ms, rawRows: raw.rows };
    }
    return { shapes, sectionMs: performance.now() - sectionStart };
  } finally {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  }
}
