// Moving the replay cursor on a recorded run of 1,000,000 messages, in Chromium: from the
// input (a pointer move while dragging the cursor on the timeline bar, or a key press that
// steps one event or jumps to the start or the end) to the end of the frame that shows the run at the new instant (topology,
// inspector, cursor lines on the charts, space-time diagram, logs). Timed in the page: the
// input event's own timestamp, and a task queued from the next animation frame, which runs
// once that frame (the view's own drawing included) is done. The floor is the same input on
// a blank page that only moves a line under the pointer, in the same browser.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startLabServer, tempDir, VIEWPORT, type LabServer } from './ui-support.js';
import { writeRecordedRun, type RecordedRun } from './ui-recorded-run.js';
import { sortedQuantile } from './support.js';

export interface Spread {
  p50: number;
  p95: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? { p50: sortedQuantile(sorted, 0.5), p95: sortedQuantile(sorted, 0.95), max: sorted[sorted.length - 1] } : { p50: NaN, p95: NaN, max: NaN };
}

export interface CursorMoves {
  run: RecordedRun;
  /** Input to finished frame, ms, per move. */
  dragMs: number[];
  keyMs: number[];
  /** Moves that did not change the cursor (should be none). */
  unchanged: number;
  floorMs: number[];
  p95: number;
  floorP95: number;
  sectionMs: number;
}

const DRAG_MOVES = 60;
const KEYS = ['End', 'ArrowLeft', 'ArrowRight', 'Home', 'ArrowRight', 'ArrowLeft'];
const KEY_MOVES = 30;
/** Time between inputs, ms: every move gets its own frame. */
const GAP_MS = 90;

/** Page-side: timestamps each pointer move and key press, and the end of the next frame after it. */
const ARM_TIMER = `(() => {
  window.__moves = [];
  const time = () => document.querySelector('[data-testid="replay-time"]')?.dataset.ms ?? null;
  const timed = (event) => {
    if (event.type === 'pointermove' && !(event.buttons & 1)) return;
    if (event.type === 'keydown' && !/^(Arrow|Home|End)/.test(event.key)) return;
    const t0 = event.timeStamp;
    const before = time();
    requestAnimationFrame(() => setTimeout(() => window.__moves.push({ kind: event.type, ms: performance.now() - t0, changed: time() !== before }), 0));
  };
  document.addEventListener('pointermove', timed, { capture: true });
  document.addEventListener('keydown', timed, { capture: true });
  return 0;
})()`;

const BLANK_PAGE = `<!doctype html><body style="margin:0;font:14px sans-serif">
<div id="track" style="position:absolute;left:100px;top:100px;width:1000px;height:34px;background:#eee"></div>
<div id="line" style="position:absolute;top:90px;height:60px;border-left:2px solid #000"></div>
<div id="text" style="position:absolute;left:100px;top:160px"></div></body>`;
const ARM_BLANK = `(() => {
  const line = document.getElementById('line');
  const text = document.getElementById('text');
  document.addEventListener('pointermove', (e) => { line.style.left = e.clientX + 'px'; text.textContent = String(e.clientX); }, { capture: true });
  return 0;
})()`;

async function drag(page: Page, box: { x: number; y: number; width: number; height: number }, moves: number, seed: number): Promise<void> {
  let r = seed;
  const next = () => ((r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) {
    await page.mouse.move(box.x + box.width * (0.02 + 0.96 * next()), y);
    await page.waitForTimeout(GAP_MS);
  }
  await page.mouse.up();
}

async function takeMoves(page: Page): Promise<Array<{ kind: string; ms: number; changed: boolean }>> {
  const moves = (await page.evaluate('window.__moves.splice(0)')) as Array<{ kind: string; ms: number; changed: boolean }>;
  return moves;
}

/** `recording`: an existing recording to use instead of writing one (to try changes quickly). */
export async function uiReplayCursor(recording?: { dbPath: string; run: RecordedRun }): Promise<CursorMoves> {
  const sectionStart = performance.now();
  const tmp = tempDir('distlab-bench-ui-replay-');
  const dbPath = recording?.dbPath ?? path.join(tmp.dir, 'runs.db');
  let server: LabServer | null = null;
  let browser: Browser | null = null;
  try {
    const run = recording?.run ?? (await writeRecordedRun(dbPath, 'ping'));
    server = await startLabServer(dbPath);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: VIEWPORT });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('Distlab UI error')) pageErrors.push(m.text());
    });
    await page.goto(`${server.url.replace(/#.*$/, '')}#/runs/${run.runId}?t=30s`);
    await page.getByTestId('replay-bar').waitFor({ timeout: 60_000 });
    const time = page.getByTestId('replay-time');
    for (const started = Date.now(); (await time.getAttribute('data-ms')) !== '30000'; ) {
      if (Date.now() - started > 60_000) throw new Error(`the deep link did not put the cursor at 30 s (it is at ${await time.getAttribute('data-ms')} ms)`);
      await page.waitForTimeout(100);
    }
    // The summary folds away: the topology, the charts and the logs are what a cursor moves.
    await page.getByTestId('run-summary').getByRole('button', { name: 'Hide' }).click();
    const track = page.getByTestId('replay-track');
    const box = (await track.boundingBox())!;
    // Warm up: the first seeks read the run's keyframes on the server; the page compiles its code.
    await drag(page, box, 10, 7);
    await page.waitForTimeout(3000);
    await page.evaluate(ARM_TIMER);
    // BENCH_WS=1: what the page asks the lab during the drag (method, count, bytes answered).
    const wsStats = process.env.BENCH_WS ? new Map<string, { count: number; bytes: number }>() : null;
    if (wsStats) {
      const methodOf = new Map<number, string>();
      page.on('websocket', () => {});
      const cdpWs = await page.context().newCDPSession(page);
      await cdpWs.send('Network.enable');
      cdpWs.on('Network.webSocketFrameSent', (e) => {
        const m = JSON.parse(e.response.payloadData) as { id: number; method: string };
        methodOf.set(m.id, m.method);
      });
      cdpWs.on('Network.webSocketFrameReceived', (e) => {
        const id = /"id":(\d+)/.exec(e.response.payloadData)?.[1];
        const method = (id && methodOf.get(Number(id))) ?? 'event';
        const s = wsStats.get(method) ?? { count: 0, bytes: 0 };
        s.count++;
        s.bytes += e.response.payloadData.length;
        wsStats.set(method, s);
      });
    }
    const profileTo = process.env.BENCH_CPU_PROFILE ? path.join(process.env.BENCH_CPU_PROFILE, 'ui-replay.cpuprofile') : null;
    const cdp = profileTo ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    // BENCH_TRACE=dir: a Chromium performance trace of the drag (style, layout, paint by frame).
    const tracePath = process.env.BENCH_TRACE ? path.join(process.env.BENCH_TRACE, 'ui-replay.trace.json') : null;
    if (tracePath) await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink', 'cc'] });
    await drag(page, box, DRAG_MOVES, 11);
    if (tracePath) await browser.stopTracing();
    if (wsStats) process.stdout.write(`   asked during the drag: ${[...wsStats].map(([m, s]) => `${m} ×${s.count} ${Math.round(s.bytes / 1024)} KiB`).join(', ')}\n`);
    if (cdp) writeFileSync(profileTo!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    for (let i = 0; i < KEY_MOVES; i++) {
      // Jumps to the end and the start (each a new window of messages), and steps from there, each of them a move.
      await page.keyboard.press(KEYS[i % KEYS.length]);
      await page.waitForTimeout(GAP_MS);
    }
    await page.waitForTimeout(500);
    const moves = await takeMoves(page);
    if (pageErrors.length) throw new Error(`the page failed: ${pageErrors.join('; ')}`);
    await page.close();

    // The floor: the same drag on a blank page that draws a line under the pointer.
    const blank = await browser.newPage({ viewport: VIEWPORT });
    await blank.setContent(BLANK_PAGE);
    await blank.evaluate(ARM_BLANK);
    await blank.evaluate(ARM_TIMER);
    await drag(blank, { x: 100, y: 100, width: 1000, height: 34 }, DRAG_MOVES, 11);
    await blank.waitForTimeout(300);
    const floor = await takeMoves(blank);
    await blank.close();

    const dragMs = moves.filter((m) => m.kind === 'pointermove').map((m) => m.ms);
    const keyMs = moves.filter((m) => m.kind === 'keydown').map((m) => m.ms);
    const floorMs = floor.map((m) => m.ms);
    return {
      run,
      dragMs,
      keyMs,
      unchanged: moves.filter((m) => !m.changed).length,
      floorMs,
      p95: spread([...dragMs, ...keyMs]).p95,
      floorP95: spread(floorMs).p95,
      sectionMs: performance.now() - sectionStart,
    };
  } finally {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  }
}
