// Replaying a recorded Raft run in the lab, in Debian's Chromium against `distlab serve`: the
// cursor dragged to before and after the leader's kill changes that node in the topology; the
// keyboard steps and jumps; a deep link lands on its moment and the cursor rewrites it; the
// page's state at an instant is what `distlab replay --at T --json` prints for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, screenshot, shootElement, startServer, type LabServer } from './browser.js';
import { runCli, tempDir, lastJsonLine } from '../integration/helpers.js';
import { formatRoute } from '../../renderer/src/stores/route.js';

if (chromiumMissing) process.stderr.write('replay.e2e: skipped, /usr/bin/chromium is missing (apt-get install chromium)\n');

const EXPERIMENT = `
name: replay-e2e-raft
seed: 31
duration: 5500ms
nodes: { count: 3, program: raft }
network: { latency: { distribution: normal, mean: 3ms, jitter: 1ms } }
faults:
  - { at: 3s, kill: leader }
  - { at: 4s, partition: leader }
  - { at: 4700ms, heal: true }
workload: { kind: kv, rate: 30, clients: 2, keys: 3, timeout: 500ms }
`;

interface Recorded {
  runId: number;
  spanMs: number;
  killed: string;
  killMs: number;
  /** An instant when the killed node was up and leading: between its election (or its start) and the kill. */
  leadingMs: number;
  exitMs: number;
  /** The first fault or election: where shift+→ goes from the start. */
  firstMarkMs: number;
  partitionMs: number;
}

describe.skipIf(chromiumMissing)('replaying a recorded run in a browser', () => {
  let server: LabServer;
  let browser: Browser;
  let page: Page;
  let rec: Recorded;
  const pageErrors: string[] = [];

  const cli = (...args: string[]) => runCli([...args, '--db', server.dbPath], { timeoutMs: 60_000 });
  const replayJson = (tMs: number) => {
    const out = cli('replay', String(rec.runId), '--at', `${tMs}ms`, '--json');
    expect(out.code, out.stderr).toBe(0);
    return lastJsonLine(out.stdout) as { nodes: Record<string, { state: string; role?: string; term?: number; lamport?: number }>; partitions: string[][][]; inFlight: number };
  };
  const cursorMs = async () => Number(await page.getByTestId('replay-time').getAttribute('data-ms'));
  const node = (id: string) => page.locator(`[data-node="${id}"]`).first();

  /** Folds the run's summary away (when it shows), so the topology and the charts are in view. */
  async function hideSummary(): Promise<void> {
    const hide = page.getByTestId('run-summary').getByRole('button', { name: 'Hide' });
    await page.getByTestId('run-summary').waitFor({ timeout: 10_000 });
    if (await hide.count()) await hide.click();
  }

  /** Drags the cursor on the timeline bar to tMs. */
  async function dragTo(tMs: number): Promise<void> {
    const track = page.getByTestId('replay-track');
    const box = (await track.boundingBox())!;
    const totalMs = Number(await track.getAttribute('data-total-ms'));
    const x = (ms: number) => box.x + (ms / totalMs) * box.width;
    await page.mouse.move(x(Math.max(0, tMs - 400)), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x(tMs - 100), box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(x(tMs), box.y + box.height / 2, { steps: 2 });
    await page.mouse.up();
  }

  beforeAll(async () => {
    server = await startServer();
    const file = path.join(tempDir(), 'raft.yaml');
    writeFileSync(file, EXPERIMENT);
    const run = cli('run', file, '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { runId: number; durationMs: number };
    const db = new Database(server.dbPath, { readonly: true });
    try {
      const kill = db.prepare("SELECT t_us, detail_json FROM faults WHERE run_id = ? AND kind = 'kill'").get(summary.runId) as { t_us: number; detail_json: string };
      const killed = (JSON.parse(kill.detail_json) as { nodes: string[] }).nodes[0];
      // "kill: leader" finds no one when no leader was elected by then (a machine far too busy).
      expect(killed, `no leader to kill at 3 s: ${kill.detail_json}`).toMatch(/^n\d$/);
      const exitUs = db.prepare("SELECT MIN(t_us) FROM events WHERE run_id = ? AND node = ? AND kind = 'exit' AND t_us >= ?").pluck().get(summary.runId, killed, kill.t_us) as number;
      const election = db.prepare("SELECT MIN(t_us) FROM events WHERE run_id = ? AND kind = 'role' AND detail_json LIKE '%\"leader\"%'").pluck().get(summary.runId) as number;
      const partition = db.prepare("SELECT MIN(t_us) FROM faults WHERE run_id = ? AND kind LIKE 'partition%'").pluck().get(summary.runId) as number;
      const leading = db
        .prepare("SELECT MAX(t_us) FROM events WHERE run_id = ? AND node = ? AND t_us < ? AND (kind = 'up' OR (kind = 'role' AND detail_json LIKE '%\"leader\"%'))")
        .pluck()
        .get(summary.runId, killed, kill.t_us) as number;
      rec = { runId: summary.runId, spanMs: summary.durationMs, killed, killMs: kill.t_us / 1000, leadingMs: (leading + kill.t_us) / 2000, exitMs: exitUs / 1000, firstMarkMs: Math.min(election, kill.t_us) / 1000, partitionMs: partition / 1000 };
    } finally {
      db.close();
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // An error in a component is caught (the window says so in a toast) and logged: count it too.
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Distlab UI error')) pageErrors.push(message.text());
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the run from the runs list at its end, with the timeline bar', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    await page.getByRole('row', { name: /replay-e2e-raft/ }).getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('replay-bar').waitFor({ timeout: 20_000 });
    await expect.poll(cursorMs, { timeout: 10_000 }).toBeCloseTo(rec.spanMs, 3);
    // The summary folds away, so the topology and the charts are in view.
    await hideSummary();
    expect(await page.evaluate(() => location.hash)).toMatch(new RegExp(`^#/runs/${rec.runId}(\\?t=|$)`));
  });

  it('shows the leader up and leading before its kill, and crashed after it, when the cursor is dragged', async () => {
    await dragTo(rec.leadingMs);
    await expect.poll(cursorMs, { timeout: 5000 }).toBeLessThan(rec.killMs);
    await expect.poll(() => node(rec.killed).getAttribute('data-state'), { timeout: 5000 }).toBe('up');
    expect(await node(rec.killed).getAttribute('data-role')).toBe('leader');
    expect(await node(rec.killed).getAttribute('data-look')).toBe('leader');
    await screenshot(page, 'r1-replay-before-kill');

    await dragTo(rec.exitMs + 250);
    await expect.poll(cursorMs, { timeout: 5000 }).toBeGreaterThan(rec.exitMs);
    await expect.poll(() => node(rec.killed).getAttribute('data-state'), { timeout: 5000 }).toBe('crashed');
    expect(await node(rec.killed).getAttribute('data-look')).toBe('crashed');
    await expect.poll(() => node(rec.killed).textContent()).toMatch(/crashed/);
    await screenshot(page, 'r2-replay-after-kill');
  });

  it('steps and jumps with the keyboard', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('End');
    await expect.poll(cursorMs).toBeCloseTo(rec.spanMs, 3);
    await page.keyboard.press('Home');
    await expect.poll(cursorMs).toBe(0);
    // shift+→: the next fault or election (the first leader's election, normally).
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(cursorMs).toBeCloseTo(rec.firstMarkMs, 3);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(cursorMs).toBeGreaterThan(rec.firstMarkMs);
    const second = await cursorMs();
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(cursorMs).toBeCloseTo(rec.firstMarkMs, 3);
    // →, ←: one event forward (a send, a receive or a state change), then back to where it was.
    await page.keyboard.press('ArrowRight');
    await expect.poll(cursorMs).toBeGreaterThan(rec.firstMarkMs);
    const stepped = await cursorMs();
    expect(stepped).toBeLessThan(second);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(cursorMs).toBeCloseTo(rec.firstMarkMs, 3);
    // Space plays, space pauses.
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('replay-play').getAttribute('aria-label')).toBe('Pause');
    await expect.poll(cursorMs, { timeout: 5000 }).toBeGreaterThan(rec.firstMarkMs + 20);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('replay-play').getAttribute('aria-label')).toBe('Play');
  });

  it('zooms every time chart to a range brushed on the bar’s axis, and back to the whole run', async () => {
    const axis = page.getByTitle('Drag here to zoom every chart to a range');
    const box = (await axis.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const whole = page.getByRole('button', { name: 'Whole run' });
    await whole.waitFor({ timeout: 5000 });
    // The span the charts show is drawn on the bar, from about 30 % to 60 % of its width.
    const track = (await page.getByTestId('replay-track').boundingBox())!;
    const span = (await page.getByTestId('replay-track').locator('.window').boundingBox())!;
    expect((span.x - track.x) / track.width).toBeCloseTo(0.3, 1);
    expect((span.x + span.width - track.x) / track.width).toBeCloseTo(0.6, 1);
    await screenshot(page, 'r8-replay-zoomed');
    await whole.click();
    await expect.poll(() => whole.count()).toBe(0);
  });

  it('lands on the moment of a deep link, and the cursor rewrites the link', async () => {
    const at = Math.round(rec.partitionMs + 200);
    const link = `${server.url.replace(/#.*$/, '')}#/runs/${rec.runId}?t=${(at / 1000).toFixed(3)}s`;
    await page.goto('about:blank');
    await page.goto(link);
    await page.getByTestId('replay-bar').waitFor({ timeout: 20_000 });
    await expect.poll(cursorMs, { timeout: 10_000 }).toBe(at);
    await expect.poll(() => page.getByTestId('replay-time').textContent()).toBe(`${(at / 1000).toFixed(3)} s`);
    // The partition is in force: its cut links are drawn.
    await expect.poll(() => page.locator('svg line.cut').count(), { timeout: 5000 }).toBeGreaterThan(0);
    await hideSummary();
    await screenshot(page, 'r3-replay-deep-link-partition');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await expect.poll(cursorMs).toBeGreaterThan(at);
    const moved = await cursorMs();
    const hash = formatRoute({ kind: 'run', runId: rec.runId, live: false }, moved);
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 5000 }).toBe(hash);
    await page.getByTestId('replay-copy-link').click();
    await expect.poll(() => page.locator('body').innerText()).toContain(hash);
  });

  it('shows at an instant what distlab replay --at T --json prints for it', async () => {
    const at = Math.round(rec.partitionMs + 200);
    await page.goto(`${server.url.replace(/#.*$/, '')}#/runs/${rec.runId}?t=${(at / 1000).toFixed(3)}s`);
    await page.getByTestId('replay-bar').waitFor({ timeout: 20_000 });
    await expect.poll(cursorMs, { timeout: 10_000 }).toBe(at);
    const cli = replayJson(at);
    for (const [id, n] of Object.entries(cli.nodes)) {
      await expect.poll(() => node(id).getAttribute('data-state')).toBe(n.state);
      expect(await node(id).getAttribute('data-role')).toBe(n.role ?? null);
      expect(await node(id).getAttribute('data-term')).toBe(n.term === undefined ? null : String(n.term));
    }
    // The inspector's clocks and the count of messages in flight, from the lab at the cursor.
    const someone = Object.keys(cli.nodes).find((id) => cli.nodes[id].lamport !== undefined)!;
    await hideSummary();
    await node(someone).locator('circle.disc').click();
    const panel = page.getByTestId('cursor-state');
    await expect.poll(() => panel.getAttribute('data-current'), { timeout: 10_000 }).toBe('yes');
    await expect.poll(() => panel.getByTestId('cursor-node-state').textContent()).toBe(cli.nodes[someone].state);
    expect(await panel.getByTestId('cursor-lamport').textContent()).toBe(String(cli.nodes[someone].lamport));
    expect(await panel.getByTestId('cursor-in-flight').textContent()).toBe(`${cli.inFlight} messages`);
    // Every time chart carries the cursor line at that instant.
    const lines = page.getByTestId('time-cursor');
    await expect.poll(() => lines.count()).toBeGreaterThan(1);
    for (const s of await lines.evaluateAll((els) => els.filter((e) => (e as HTMLElement).style.display !== 'none').map((e) => (e as HTMLElement).dataset.s))) expect(Number(s)).toBeCloseTo(at / 1000, 6);
    await screenshot(page, 'r4-replay-inspector');
    await shootElement(page.getByTestId('replay-bar'), 'r5-replay-bar');
  });

  it('says so when a link names a time after the run or a run that does not exist', async () => {
    await page.goto(`${server.url.replace(/#.*$/, '')}#/runs/${rec.runId}?t=99s`);
    await page.getByTestId('replay-bar').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('replay-bar').innerText(), { timeout: 10_000 }).toMatch(/asks for 99\.000 s, but run #\d+ lasted/);
    await expect.poll(cursorMs).toBeCloseTo(rec.spanMs, 3);
    await page.goto(`${server.url.replace(/#.*$/, '')}#/runs/987`);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toMatch(/no run 987/);
    await expect.poll(() => page.getByTestId('run-missing').innerText()).toMatch(/There is no run #987 in this lab's database/);
    await screenshot(page, 'r6-replay-unknown-run');
  });

  it('turns a live run into a replay when it ends, with the cursor at its end, without reloading', async () => {
    await page.goto(server.url);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await page.getByRole('button', { name: 'Experiments', exact: true }).first().click();
    await page.getByRole('button', { name: 'echo-basic', exact: true }).click();
    await page.getByRole('button', { name: /^Run\b/ }).click();
    await page.getByTestId('run-view').waitFor();
    expect(await page.getByTestId('replay-bar').count()).toBe(0);
    await page.getByTestId('replay-bar').waitFor({ timeout: 60_000 });
    const span = Number(await page.getByTestId('replay-track').getAttribute('aria-valuemax'));
    expect(span).toBeGreaterThan(4000);
    await expect.poll(cursorMs, { timeout: 10_000 }).toBe(span);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    const runId = Number(await page.getByTestId('run-view').getAttribute('data-run-id'));
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 5000 }).toMatch(new RegExp(`^#/runs/${runId}`));
    await screenshot(page, 'r7-live-run-ended-into-replay');
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
