// Runs the presets that issue 11 judged the charts on, in browser mode, and takes a picture
// of every chart of each finished run in both themes, to look at as a student would.
// Not a test: it asserts nothing. Rerun it after changing a chart.
//
//   npm run build:core && npm run build:renderer && npx tsc -p bench/tsconfig.json
//   node scripts/chart-screenshots.mjs [preset …]
//
// Pictures go to docs/screenshots/charts/<preset>-<chart>-<theme>.png (one element each,
// and the whole window at 1280×800 as <preset>-window-<theme>.png). The Raft run also
// refreshes the README's docs/screenshots/replay-view.png: the light theme at 13 s, during
// the partition of the new leader.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const support = path.join(root, 'dist/bench/ui-support.js');
if (!existsSync(support)) throw new Error('dist/bench is missing: run `npx tsc -p bench/tsconfig.json` first (and build core and renderer)');
const { launchBrowser, startLabServer, tempDir, zoomUntilClockLabels } = await import(pathToFileURL(support).href);

const PRESETS = process.argv.slice(2).length ? process.argv.slice(2) : ['raft-leader-faults', 'fd-phi-accrual-pause', 'fd-heartbeat-pause', 'vector-clocks-reordering'];
const OUT = path.join(root, 'docs/screenshots/charts');
const CELLS = ['topology', 'latency', 'throughput', 'heartbeats', 'leadership', 'lag', 'throttle', 'histogram', 'spacetime'];

mkdirSync(OUT, { recursive: true });
const tmp = tempDir('distlab-shots-');
const server = await startLabServer(path.join(tmp.dir, 'runs.db'));
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(server.url);
  for (const preset of PRESETS) {
    await runPreset(page, preset);
    for (const theme of ['light', 'dark']) {
      await setTheme(page, theme);
      await shootRun(page, preset, theme);
    }
    await setTheme(page, 'light');
    if (preset === 'raft-leader-faults') await shootReplayView(page, 13_000);
  }
} finally {
  await browser.close();
  await server.stop();
  tmp.remove();
}

async function runPreset(page, preset) {
  await page.getByRole('button', { name: 'Experiments', exact: true }).first().click();
  await page.getByRole('button', { name: preset, exact: true }).click();
  await page.getByRole('button', { name: /^Run\b/ }).click();
  await page.getByTestId('run-view').waitFor();
  // Pictures of the finished run: its replay bar, and every chart at the end.
  await page.getByTestId('run-summary').waitFor({ timeout: 120_000 });
  await page.getByTestId('replay-bar').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1500);
  console.log(`${preset}: finished`);
}

async function setTheme(page, theme) {
  const now = await page.evaluate(() => document.documentElement.dataset.theme);
  if (now === theme) return;
  await page.getByRole('button', { name: `Switch to the ${theme} theme` }).click();
  await page.waitForTimeout(400);
}

async function shootRun(page, preset, theme) {
  const file = (name) => path.join(OUT, `${preset}-${name}-${theme}.png`);
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) if (el.scrollTop > 0) el.scrollTop = 0;
  });
  await page.waitForTimeout(500);
  await page.screenshot({ path: file('window') });
  await page.getByTestId('replay-bar').screenshot({ path: file('replay-bar') });
  // The replay bar sticks to the top while the page scrolls: in flow, it covers no chart.
  const unstick = await page.addStyleTag({ content: '.replay-bar { position: relative !important; top: auto !important; }' });
  for (const cell of CELLS) {
    const el = page.locator(`[data-cell="${cell}"]`);
    if (!(await el.count())) continue;
    await el.scrollIntoViewIfNeeded();
    // A chart out of sight keeps what it last drew until it comes back: give it a moment.
    await page.waitForTimeout(900);
    await el.screenshot({ path: file(cell) });
  }
  await shootZoomedOut(page, file);
  if (preset === 'vector-clocks-reordering') await shootClocks(page, file);
  await unstick.evaluate((el) => el.remove());
  console.log(`${preset}: ${theme} theme shot`);
}

/** The space-time diagram over 10 s, where arrows too close to draw apart fold into bands. */
async function shootZoomedOut(page, file) {
  const diagram = page.locator('[data-chart="space-time"]');
  const pick = diagram.getByLabel('Window');
  const before = await pick.inputValue();
  await diagram.scrollIntoViewIfNeeded();
  await pick.selectOption('10000');
  await page.waitForTimeout(1500);
  await diagram.screenshot({ path: file('spacetime-10s') });
  await pick.selectOption(before);
}

/** The clocks: labels on a zoomed-in space-time diagram, a tooltip, and the inspector's table. */
async function shootClocks(page, file) {
  const diagram = page.locator('[data-chart="space-time"]');
  await diagram.scrollIntoViewIfNeeded();
  const canvas = diagram.locator('canvas');
  await diagram.getByLabel('Window').selectOption('1000');
  await diagram.getByLabel('Clock labels').selectOption('lamport');
  await zoomUntilClockLabels(page, canvas);
  await page.waitForTimeout(600);
  await diagram.screenshot({ path: file('spacetime-lamport-labels') });
  await diagram.getByLabel('Clock labels').selectOption('vector');
  await zoomUntilClockLabels(page, canvas);
  await page.waitForTimeout(600);
  await diagram.screenshot({ path: file('spacetime-vector-labels') });
  await diagram.getByLabel('Clock labels').selectOption('none');
  await diagram.getByLabel('Window').selectOption('2000');
  await page.locator('[aria-label="Topology: nodes and links"] g.node[data-node="n1"]').click();
  await page.waitForTimeout(500);
  await page.getByRole('region', { name: 'Node inspector' }).screenshot({ path: file('inspector') });
}

/** The README's picture of the replay: the cursor moved to `atMs`, the window at 1440×900. */
async function shootReplayView(page, atMs) {
  const track = page.getByTestId('replay-track');
  const totalMs = Number(await track.getAttribute('data-total-ms'));
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) if (el.scrollTop > 0) el.scrollTop = 0;
  });
  // The summary folded away, as the README shows the replay: the topology and charts in sight.
  const hide = page.getByTestId('run-summary').getByRole('button', { name: 'Hide' });
  if (await hide.count()) await hide.click();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(400);
  const box = await track.boundingBox();
  await page.mouse.click(box.x + (atMs / totalMs) * box.width, box.y + box.height / 2);
  // Out of every chart, so that no tooltip covers one.
  await page.mouse.move(2, 860);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(root, 'docs/screenshots/replay-view.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'To the end' }).click();
}
