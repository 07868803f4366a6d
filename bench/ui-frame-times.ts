// Frame times of the live run view in Chromium while a run of 20 nodes streams about
// 10,000 messages a second: the run is started from the UI (YAML pasted into the editor,
// then Run), and once every node is up, every chart on the view draws data and 3 s more have
// passed, a requestAnimationFrame loop in the page records the interval between frames for
// 10 s. The load is bench/ui-load-node.ts, paced; the rate achieved in that window is counted
// afterwards from the recording itself.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sortedQuantile } from './support.js';
import { busiestRendererDelta, coresByRole, cpuSnapshot, rendererMainThreads, type CpuRole, type SchedTimes } from './cpu-shares.js';
import { longTaskCpu, type LongTaskCpu } from './long-task-cpu.js';
import { chartsDrawnInPage, launchBrowser, nodesUpInPage, PAGE_PROBES, repoRoot, startLabServer, tempDir, VIEWPORT, type LabServer } from './ui-support.js';
import type { Browser } from 'playwright-core';

export interface FrameTimes {
  nodes: number;
  targetMsgsPerSec: number;
  /** Messages sent (first copies) per second of run time within the measured window, from the recording. */
  achievedMsgsPerSec: number;
  frames: number;
  windowMs: number;
  frameMs: { p50: number; p95: number; p99: number; max: number };
  /** Frames longer than 33 ms, and the main thread's long tasks (> 50 ms) in the window. */
  slowFrames: number;
  longTasks: { count: number; totalMs: number; maxMs: number };
  /** The live page's long tasks from a Chromium trace: wall time against its main thread's own CPU time. */
  longTaskCpu: LongTaskCpu;
  /** Cores each role used over the window (of the machine's cores). */
  coresByRole: Record<CpuRole, number>;
  /** The live page's main thread over the window: time on a core, and time runnable but waiting for one. */
  pageMainThread: SchedTimes | null;
  /** Whether every chart still drew data at the end of the window. */
  chartsDrawn: Record<string, boolean>;
  /**
   * The floors: rAF intervals of a blank page in the same browser, alone before the run
   * (`idle`) and during the same window beside the live view (`duringRun`: the machine as
   * loaded by the run, without our page's work).
   */
  idleFrameMs: FrameStats;
  blankDuringRunFrameMs: FrameStats;
  /** Wall time of the whole section, ms. */
  sectionMs: number;
}

export interface FrameStats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  frames: number;
}

function frameStats(deltas: number[]): FrameStats {
  const sorted = Float64Array.from(deltas).sort();
  return { p50: sortedQuantile(sorted, 0.5), p95: sortedQuantile(sorted, 0.95), p99: sortedQuantile(sorted, 0.99), max: sorted[sorted.length - 1], frames: sorted.length };
}

/** A page with nothing to do but animation frames: the browser's own pacing. */
const BLANK_PAGE = '<!doctype html><title>blank</title><body></body>';

interface PageWindow {
  deltas: number[];
  startEpochMs: number;
  endEpochMs: number;
  longTasks: number[];
}

const IDLE_WINDOW_MS = 5000;

const experimentYaml = (nodes: number, perNodeRate: number, durationS: number) => `name: ui-bench-live
seed: 7
duration: ${durationS}s
nodes:
  count: ${nodes}
  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(repoRoot, 'dist/bench/ui-load-node.js'))}]
  env: { UI_BENCH_RATE: "${perNodeRate}" }
network:
  latency: { distribution: normal, mean: 5ms, jitter: 2ms }
  loss: 0.01
`;

/** Page-side: resolves after `ms` of rAF deltas, with the main thread's long tasks meanwhile. */
const collectFrames = (ms: number) => `new Promise((resolve) => {
  const deltas = [];
  const longTasks = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
    observer.observe({ type: 'longtask' });
  } catch {}
  const startEpochMs = Date.now();
  requestAnimationFrame((first) => {
    let last = first;
    const tick = (t) => {
      deltas.push(t - last);
      last = t;
      if (t - first < ${ms}) requestAnimationFrame(tick);
      else {
        observer?.disconnect();
        resolve({ deltas, startEpochMs, endEpochMs: Date.now(), longTasks });
      }
    };
    requestAnimationFrame(tick);
  });
})`;

interface Streamed {
  runId: number;
  window: PageWindow;
  chartsDrawn: Record<string, boolean>;
  idle: PageWindow;
  blankDuringRun: PageWindow;
  profile: unknown;
  longTaskCpu: LongTaskCpu;
  coresByRole: Record<CpuRole, number>;
  /** The live page's main thread over the window: time on a core, and time runnable but waiting for one. */
  pageMainThread: SchedTimes | null;
}

/** Starts the run from the UI, waits until it streams into every chart, and records the frames. */
async function streamAndMeasure(dbPath: string, nodes: number, totalRate: number, windowMs: number, warmupMs: number): Promise<Streamed> {
  let server: LabServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startLabServer(dbPath);
    browser = await launchBrowser();
    // The floor, first: a blank page alone in this browser on this machine.
    const blank = await browser.newPage({ viewport: VIEWPORT });
    await blank.setContent(BLANK_PAGE);
    const idle = (await blank.evaluate(collectFrames(IDLE_WINDOW_MS))) as PageWindow;
    const page = await browser.newPage({ viewport: VIEWPORT });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await page.getByRole('button', { name: /New experiment/ }).first().click();
    // Long enough to outlast bring-up, warm-up and the window; stopped as soon as the window closes.
    const durationS = Math.ceil((warmupMs + windowMs) / 1000) + 30;
    await page.getByLabel('Experiment YAML').fill(experimentYaml(nodes, totalRate / nodes, durationS));
    const run = page.getByRole('button', { name: /^Run\b/ });
    // The editor validates the pasted text before Run is enabled.
    await run.and(page.locator(':enabled')).waitFor({ timeout: 10_000 });
    await run.click();
    const view = page.getByTestId('run-view');
    await view.waitFor({ timeout: 15_000 });
    const runId = Number(await view.getAttribute('data-run-id'));
    await page.evaluate(PAGE_PROBES);
    // Streaming at full rate: every node is up and every chart draws data; then a warm-up.
    await page.waitForFunction(nodesUpInPage, nodes, { timeout: 60_000, polling: 250 });
    await page.waitForFunction(chartsDrawnInPage, null, { timeout: 60_000, polling: 250 });
    await page.waitForTimeout(warmupMs);
    const cdp = process.env.BENCH_CPU_PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    // BENCH_TRACE=dir: a Chromium performance trace of the window (style, layout, paint, raster by frame).
    // Without it, a trace of top-level tasks only: cheap, and enough to split long tasks into work and waiting.
    const tracePath = process.env.BENCH_TRACE ? path.join(process.env.BENCH_TRACE, 'ui-live.trace.json') : undefined;
    const categories = tracePath ? ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink', 'cc', 'gpu'] : ['toplevel'];
    await browser.startTracing(page, { path: tracePath, categories });
    const cpuBefore = cpuSnapshot();
    const renderersBefore = rendererMainThreads();
    // The live view's frames, and the blank page's beside it over the same window.
    const [window, blankDuringRun] = (await Promise.all([page.evaluate(collectFrames(windowMs)), blank.evaluate(collectFrames(windowMs))])) as [PageWindow, PageWindow];
    const cores = coresByRole(cpuBefore, cpuSnapshot(), window.endEpochMs - window.startEpochMs);
    const pageMainThread = busiestRendererDelta(renderersBefore, rendererMainThreads());
    const profile = cdp ? (await cdp.send('Profiler.stop')).profile : null;
    const trace = await browser.stopTracing();
    const chartsDrawn = (await page.evaluate('window.__bench.chartStates()')) as Record<string, boolean>;
    if (!/live/i.test(await page.getByTestId('run-status').innerText())) throw new Error('the run ended before the frame-time window closed');
    await page.getByRole('button', { name: /Stop run/ }).click();
    await page.getByTestId('run-status').filter({ hasNotText: /live/i }).waitFor({ timeout: 30_000 });
    if (pageErrors.length) throw new Error(`the page failed: ${pageErrors.join('; ')}`);
    return { runId, window, chartsDrawn, idle, blankDuringRun, profile, longTaskCpu: longTaskCpu(trace.toString('utf8')), coresByRole: cores, pageMainThread };
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

export async function uiFrameTimes({ nodes = 20, totalRate = 10_000, windowMs = 10_000, warmupMs = 3000 } = {}): Promise<FrameTimes> {
  const sectionStart = performance.now();
  const tmp = tempDir('distlab-bench-ui-live-');
  try {
    const dbPath = path.join(tmp.dir, 'runs.db');
    const { runId, window, chartsDrawn, idle, blankDuringRun, profile, longTaskCpu: taskCpu, coresByRole: cores, pageMainThread } = await streamAndMeasure(dbPath, nodes, totalRate, windowMs, warmupMs);
    if (profile) writeFileSync(path.join(process.env.BENCH_CPU_PROFILE!, 'ui-live.cpuprofile'), JSON.stringify(profile));
    // The rate achieved: first copies sent within the window, from the recording.
    const db = new Database(dbPath, { readonly: true });
    const startedAtMs = db.prepare('SELECT started_at_ms FROM runs WHERE id = ?').pluck().get(runId) as number;
    const fromUs = (window.startEpochMs - startedAtMs) * 1000;
    const toUs = (window.endEpochMs - startedAtMs) * 1000;
    const sent = db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ? AND dup_of IS NULL AND t_send_us >= ? AND t_send_us < ?').pluck().get(runId, fromUs, toUs) as number;
    db.close();
    const sorted = Float64Array.from(window.deltas).sort();
    return {
      nodes,
      targetMsgsPerSec: totalRate,
      achievedMsgsPerSec: sent / ((toUs - fromUs) / 1e6),
      frames: sorted.length,
      windowMs: window.endEpochMs - window.startEpochMs,
      frameMs: { p50: sortedQuantile(sorted, 0.5), p95: sortedQuantile(sorted, 0.95), p99: sortedQuantile(sorted, 0.99), max: sorted[sorted.length - 1] },
      slowFrames: sorted.filter((d) => d > 33).length,
      longTasks: { count: window.longTasks.length, totalMs: window.longTasks.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...window.longTasks) },
      longTaskCpu: taskCpu,
      coresByRole: cores,
      pageMainThread,
      chartsDrawn,
      idleFrameMs: frameStats(idle.deltas),
      blankDuringRunFrameMs: frameStats(blankDuringRun.deltas),
      sectionMs: performance.now() - sectionStart,
    };
  } finally {
    tmp.remove();
  }
}
