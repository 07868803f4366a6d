// The README's CAP comparison: records cap-cp-raft and cap-ap-quorum with the CLI into a
// fresh database, opens their comparison in Chromium through `distlab serve`, and saves the
// table rows that tell the lesson and the availability-by-side chart to docs/screenshots/.
// Needs `npm run build` and /usr/bin/chromium. Usage: node scripts/cap-screenshots.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin/distlab.js');
const out = path.join(root, 'docs/screenshots');
const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'distlab-cap-')), 'runs.db');
const ROWS = ['latency.p50', 'latency.p99', 'consistency.availability', 'consistency.majority', 'consistency.minority', 'consistency.staleReads', 'consistency.afterHeal.conflicts', 'consistency.afterHeal.lostWrites', 'check.linearizability'];

const ids = ['cap-cp-raft', 'cap-ap-quorum'].map((preset) => {
  const run = spawnSync(process.execPath, [cli, 'run', path.join(root, 'resources/experiments', `${preset}.yaml`), '--db', db, '--json'], { encoding: 'utf8' });
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1));
  console.log(preset, `run ${summary.runId}`, summary.status, JSON.stringify(summary.measurements.consistency));
  return summary.runId;
});

const server = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const match = text.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
    if (match) resolve(match[0]);
  });
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(url);
  await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
  for (const id of ids) await page.getByLabel(`Compare run #${id}`).check();
  await page.getByTestId('open-compare').click();
  await page.locator('[data-testid="compare-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
  await page.evaluate((rows) => {
    for (const tr of document.querySelectorAll('[data-testid="compare-table"] tbody tr')) {
      if (!rows.includes(tr.getAttribute('data-row') ?? '')) tr.style.display = 'none';
    }
  }, ROWS);
  await page.getByTestId('compare-table').screenshot({ path: path.join(out, 'cap-compare-table.png') });
  const sides = page.locator('[data-compare-chart="sides"]');
  await sides.scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await sides.screenshot({ path: path.join(out, 'cap-compare-sides.png') });
  console.log(`saved ${path.join(out, 'cap-compare-table.png')} and cap-compare-sides.png`);
} finally {
  await browser.close();
  server.kill('SIGINT');
}
