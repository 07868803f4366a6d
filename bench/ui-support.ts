// The UI benchmarks' harness, also the e2e tests': a real `distlab serve` on its own database,
// Debian's Chromium driven by playwright-core, and the few page probes both benchmarks share. Everything started here is stopped by the caller in a finally.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** The checkout: above dist/bench when compiled, above bench/ when the e2e tests run it from source. */
export const repoRoot = findRepoRoot(import.meta.dirname);
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) if (existsSync(path.join(dir, 'bin/distlab.js'))) return dir;
  throw new Error(`no Distlab checkout above ${from}`);
}
export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1440, height: 900 };
export const chromiumMissing = (): boolean => !existsSync(CHROMIUM);

export interface LabServer {
  url: string;
  stop(): Promise<void>;
}

/** A fresh temporary folder, removed (with everything in it) by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `distlab serve --db dbPath` on a free port and resolves with the URL it prints. */
export async function startLabServer(dbPath: string): Promise<LabServer> {
  if (!existsSync(path.join(repoRoot, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing: run `npm run build:renderer` first');
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/distlab.js'), 'serve', '--db', dbPath, '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`distlab serve printed no URL: ${out}`)), 15_000);
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      child.stderr!.on('data', (chunk) => (out += chunk));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`distlab serve exited with ${code}: ${out}`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the UI benchmarks drive Debian's Chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * Page-side source (a string, so no DOM types are needed here) of `chartsDrawn()`: true once
 * every chart in the run view shows data. ECharts writes a description of each chart into an
 * aria-label ("… The first 10 items are: …" / "The data is as follows: …") as it renders its
 * series; the space-time canvas says "N messages in view"; the topology draws one g.node per
 * node. `nodesUp()` counts the topology's nodes drawn as up.
 */
export const PAGE_PROBES = `
window.__bench = {
  chartStates() {
    const view = document.querySelector('[data-testid="run-view"]');
    if (!view) return null;
    const out = {};
    for (const el of view.querySelectorAll('[data-chart]')) {
      const name = el.getAttribute('data-chart');
      if (name === 'space-time') {
        const m = el.innerText.match(/([\\d,]+) messages? in view/);
        out[name] = !!m && Number(m[1].replace(/,/g, '')) > 0;
      } else {
        const label = el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '';
        out[name] = /(first \\d+ items are|data is as follows): ?-?\\d/.test(label);
      }
    }
    out.topology = view.querySelectorAll('[aria-label="Topology: nodes and links"] g.node').length > 0;
    return out;
  },
  chartsDrawn() {
    const states = this.chartStates();
    return !!states && Object.keys(states).length > 1 && Object.values(states).every(Boolean);
  },
  nodesUp() {
    return document.querySelectorAll('[data-testid="run-view"] [aria-label="Topology: nodes and links"] g.node[data-look="up"]').length;
  },
};
`;

interface Probes {
  chartStates(): Record<string, boolean> | null;
  chartsDrawn(): boolean;
  nodesUp(): number;
}

/**
 * For page.waitForFunction, which evaluates a string predicate with eval (refused by the app's
 * Content-Security-Policy) but calls a function as it is.
 */
export const chartsDrawnInPage = (): boolean => (globalThis as unknown as { __bench: Probes }).__bench.chartsDrawn();
export const nodesUpInPage = (count: number): boolean => (globalThis as unknown as { __bench: Probes }).__bench.nodesUp() >= count;

/**
 * Zooms the space-time diagram in (ctrl + wheel over its canvas), as its note asks, until
 * the clock labels it was asked for fit (the canvas's data-clock-labels says "drawn").
 */
export async function zoomUntilClockLabels(page: Page, canvas: Locator): Promise<void> {
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the space-time canvas is not on the page');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
  for (let i = 0; i < 12 && (await canvas.getAttribute('data-clock-labels')) !== 'drawn'; i++) {
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await page.waitForTimeout(400);
  }
}
