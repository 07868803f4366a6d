// Browser-mode end-to-end support: a real `distlab serve` process with its own database,
// and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
export const SHOTS_DIR = path.join(repoRoot, 'test-results', 'screenshots');

export interface LabServer {
  url: string;
  dbPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `distlab serve` on a free port and resolves with the URL it prints. */
export async function startServer(): Promise<LabServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'distlab-e2e-'));
  const dbPath = path.join(dir, 'runs.db');
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/distlab.js'), 'serve', '--db', dbPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.once('exit', (code) => reject(new Error(`distlab serve exited with ${code}: ${out}`)));
  });
  return {
    url,
    dbPath,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
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
