// The desktop app itself, launched with Playwright's Electron driver on a virtual X display.
// It needs Electron's binary, which is downloaded on a connected machine only: without it
// these tests are skipped, saying why.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { electronPackage, findElectronBinary } from '../../scripts/electron-binary.mjs';
import { prepareElectronSqlite } from '../../scripts/prepare-electron-sqlite.mjs';
import { buildElectron } from '../../scripts/build-electron.mjs';
import { pidAlive, sleep } from '../integration/helpers.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const electronBinary = findElectronBinary();
const SKIP_REASON = "Electron's binary is not installed on this machine; skipping the Electron launch tests (on a connected machine, `npm start` downloads it)";
if (!electronBinary) console.warn(SKIP_REASON);

// Functions passed to page.evaluate run in the page, so each one finds the bridge itself:
// (globalThis as unknown as InPage).distlab.
interface Bridge {
  call(method: string, arg: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: { kind: string; message: string } }>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
interface InPage {
  distlab: Bridge;
}

/** An X server for the test when there is no display (what xvfb-run --auto-servernum does). */
async function virtualDisplay(): Promise<{ display: string; stop(): void } | null> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return null;
  if (spawnSync('which', ['Xvfb']).status !== 0) throw new Error('no DISPLAY and no Xvfb: install xvfb to run the Electron launch tests');
  for (let n = 90 + Math.floor(Math.random() * 400); ; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const server: ChildProcess = spawn('Xvfb', [`:${n}`, '-screen', '0', '1600x1000x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    for (let waited = 0; waited < 5000 && server.exitCode === null; waited += 50) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) return { display: `:${n}`, stop: () => server.kill() };
      await sleep(50);
    }
    server.kill();
  }
}

/** Every process below pid, with its command line (Linux and macOS ps). */
function descendants(pid: number): Array<{ pid: number; command: string }> {
  const rows = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), command: m[3] }));
  const found: Array<{ pid: number; command: string }> = [];
  const parents = [pid];
  while (parents.length > 0) {
    const parent = parents.pop()!;
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push({ pid: row.pid, command: row.command });
      parents.push(row.pid);
    }
  }
  return found;
}

describe.skipIf(!electronBinary)(`the Electron app${electronBinary ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let display: { display: string; stop(): void } | null = null;
  let app: ElectronApplication;
  let page: Page;
  let dbPath: string;

  beforeAll(async () => {
    await buildElectron();
    const sqliteBinding = prepareElectronSqlite({ root: repoRoot, electronVersion: electronPackage().version });
    display = await virtualDisplay();
    dbPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'distlab-electron-')), 'distlab.db');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), DISTLAB_DB: dbPath, DISTLAB_SQLITE_BINDING: sqliteBinding };
    if (display) env.DISPLAY = display.display;
    delete env.ELECTRON_RUN_AS_NODE;
    // Chromium's own sandbox refuses to start as root (containers, CI); the page stays sandboxed by Electron.
    const asRoot = process.getuid?.() === 0;
    app = await _electron.launch({
      executablePath: electronBinary!,
      args: [...(asRoot ? ['--no-sandbox'] : []), path.join(repoRoot, 'dist/electron/main.js')],
      cwd: repoRoot,
      env,
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 600_000);

  afterAll(async () => {
    await app?.close().catch(() => {});
    display?.stop();
  });

  it('opens one window titled Distlab, served from distlab://app', async () => {
    expect(await page.title()).toBe('Distlab');
    expect(page.url()).toBe('distlab://app/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('answers programs.list through the preload bridge', async () => {
    const answer = await page.evaluate(() => (globalThis as unknown as InPage).distlab.call('programs.list', null));
    expect(answer.ok).toBe(true);
    const names = (answer as { result: Array<{ name: string }> }).result.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'phi-accrual', 'raft']));
    const info = await page.evaluate(() => (globalThis as unknown as InPage).distlab.call('lab.info', null));
    expect(info).toMatchObject({ ok: true, result: { shell: 'electron', dbPath } });
  });

  it('exposes only the named bridge: no Node, no ipcRenderer, unknown methods and events refused', async () => {
    const exposed = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown> & InPage;
      return { keys: Object.keys(g.distlab).sort(), require: typeof g.require, process: typeof g.process, ipc: 'ipcRenderer' in g.distlab };
    });
    expect(exposed).toEqual({ keys: ['call', 'on', 'onMenu', 'pickFolder'], require: 'undefined', process: 'undefined', ipc: false });
    expect(await page.evaluate(() => (globalThis as unknown as InPage).distlab.call('runs.delete', { runId: 1 }))).toMatchObject({ ok: false, error: { kind: 'input' } });
    expect(await page.evaluate(() => (globalThis as unknown as InPage).distlab.call('run.stop', { runId: 'x' }))).toMatchObject({ ok: false, error: { kind: 'input' } });
    await expect(page.evaluate(() => (globalThis as unknown as InPage).distlab.on('ipc:anything', () => {}))).rejects.toThrow(/unknown event/);
  });

  it('streams a run: run.data and run.status events reach the page', async () => {
    const outcome = await page.evaluate(async () => {
      const text = 'name: electron-echo\nseed: 5\nduration: 1500ms\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 40, clients: 1 }';
      let data = 0;
      const offData = (globalThis as unknown as InPage).distlab.on('run.data', () => data++);
      const done = new Promise<string>((resolve) => {
        (globalThis as unknown as InPage).distlab.on('run.status', (payload) => {
          const status = (payload as { status: string }).status;
          if (status === 'completed' || status === 'failed' || status === 'interrupted') resolve(status);
        });
      });
      const started = await (globalThis as unknown as InPage).distlab.call('run.start', { text });
      const status = await done;
      offData();
      return { started: started.ok, status, data };
    });
    expect(outcome).toMatchObject({ started: true, status: 'completed' });
    expect(outcome.data).toBeGreaterThan(5);
  });

  it('keeps the window on its own origin', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await sleep(500);
    expect(page.url()).toBe('distlab://app/index.html');
    await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/'));
    await sleep(300);
    expect(app.windows()).toHaveLength(1);
  });

  it('quitting ends every node process', async () => {
    const started = await page.evaluate(() =>
      (globalThis as unknown as InPage).distlab.call('run.start', { text: 'name: long\nseed: 1\nduration: 60s\nnodes: { count: 3, program: echo }\nworkload: { kind: echo, rate: 20, clients: 1 }' }),
    );
    expect(started.ok).toBe(true);
    const appPid = app.process().pid!;
    let nodes: number[] = [];
    for (let waited = 0; waited < 15_000 && nodes.length < 3; waited += 100) {
      nodes = descendants(appPid).filter((p) => p.command.includes('node-main.js')).map((p) => p.pid);
      await sleep(100);
    }
    expect(nodes).toHaveLength(3);
    await app.close();
    for (let waited = 0; waited < 10_000 && nodes.some(pidAlive); waited += 100) await sleep(100);
    expect(nodes.filter(pidAlive)).toEqual([]);
  });
});
