// Browser-mode end-to-end support: a real `distlab serve` process with its own database, and
// Debian's Chromium driven by playwright-core (the same harness as the UI benchmarks).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromiumMissing as chromiumIsMissing, launchBrowser as launchChromium, repoRoot, startLabServer, tempDir, type LabServer as BenchServer } from '../../bench/ui-support.js';

export { repoRoot };
export const chromiumMissing = chromiumIsMissing();
export const SHOTS_DIR = path.join(repoRoot, 'test-results', 'screenshots');

export interface LabServer extends BenchServer {
  dbPath: string;
}

/** Starts `distlab serve` on a free port with a fresh database; stop() also removes it. */
export async function startServer(): Promise<LabServer> {
  const tmp = tempDir('distlab-e2e-');
  const dbPath = path.join(tmp.dir, 'runs.db');
  const server = await startLabServer(dbPath);
  let stopped: Promise<void> | null = null;
  return {
    url: server.url,
    dbPath,
    stop: () => (stopped ??= server.stop().then(tmp.remove)),
  };
}

export function launchBrowser(): Promise<Browser> {
  return launchChromium();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** A screenshot of one element (a chart), to look at it at full size. */
export async function shootElement(element: Locator, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await element.scrollIntoViewIfNeeded();
  await element.screenshot({ path: file });
  return file;
}

/** A lab server with a page of it open in Chromium, and the errors the page raised. */
export interface OpenLab {
  server: LabServer;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

/** Starts a lab and opens it in a 1440×900 page. */
export async function openLab(): Promise<OpenLab> {
  const server = await startServer();
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  return {
    server,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** Starts a lab, runs one preset from the editor, and resolves once its run view shows the summary. */
export async function openLabOnFinishedPreset(preset: string): Promise<OpenLab> {
  const lab = await openLab();
  const page = lab.page;
  await page.getByRole('button', { name: 'Experiments', exact: true }).first().click();
  await page.getByRole('button', { name: preset, exact: true }).click();
  await page.getByRole('button', { name: /^Run\b/ }).click();
  await page.getByTestId('run-view').waitFor();
  await page.getByTestId('run-summary').waitFor({ timeout: 90_000 });
  return lab;
}

/** Opens a new experiment in the editor, writes yaml into it, and waits until the lab finds it ready to run. */
export async function writeNewExperiment(page: Page, yaml: string): Promise<void> {
  await page.getByRole('button', { name: '+ New', exact: true }).click();
  await page.getByLabel('Experiment YAML').fill(yaml);
  await page.getByText('Ready to run').waitFor({ timeout: 10_000 });
}
