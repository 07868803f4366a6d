// The built main process (dist/electron/main.js) under plain Node, with Electron's API mocked
// (fixtures/electron-mock.mjs) and a real engine host forked where Electron would use a
// utility process. What Electron itself does with these settings is the launch test's part.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildElectron } from '../../scripts/build-electron.mjs';
import { pageContentSecurityPolicy } from '../../electron/renderer-files.js';
import { childPids, pidAlive, repoRoot, sleep } from '../integration/helpers.js';

const harnessPath = path.join(repoRoot, 'test/electron/fixtures/main-harness.mjs');
const rendererHtml = readFileSync(path.join(repoRoot, 'renderer/index.html'), 'utf8');

interface MockState {
  ready: boolean;
  schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  schemesBeforeReady: boolean;
  sandboxEnabledBeforeReady: boolean;
  name: string;
  windows: Array<{ title: string; webPreferences: Record<string, unknown> }>;
  loaded: string[];
  menu: Array<{ label: string; submenu?: Array<{ label: string }> }>;
  ipcChannels: string[];
  protocolSchemes: string[];
  forks: Array<{ entry: string; args: string[]; serviceName: string; pid: number }>;
  dialogs: Array<{ type?: string; message: string; detail?: string }>;
  sent: Array<{ channel: string; payload: { event: string; payload: { status?: string; runId?: number } } | string }>;
  opened: string[];
  external: string[];
  quitted: boolean;
}

/** dist/electron, dist/renderer and resources laid out like the package, the engine linked in. */
function appLayout(): { root: string; appData: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'distlab-main-'));
  mkdirSync(path.join(root, 'dist', 'electron'), { recursive: true });
  mkdirSync(path.join(root, 'dist', 'renderer', 'assets'), { recursive: true });
  mkdirSync(path.join(root, 'resources'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'distlab-layout', type: 'module' }));
  for (const file of ['main.js', 'preload.cjs']) copyFileSync(path.join(repoRoot, 'dist/electron', file), path.join(root, 'dist/electron', file));
  writeFileSync(path.join(root, 'dist/renderer/index.html'), rendererHtml);
  writeFileSync(path.join(root, 'dist/renderer/assets/app.js'), 'console.log("renderer");\n');
  symlinkSync(path.join(repoRoot, 'dist/core'), path.join(root, 'dist/core'));
  symlinkSync(path.join(repoRoot, 'resources/experiments'), path.join(root, 'resources/experiments'));
  const appData = path.join(root, 'appData');
  mkdirSync(appData);
  return { root, appData };
}

class Harness {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  quitted = false;
  constructor(readonly child: ChildProcess) {
    child.on('message', (message: { reply?: number; result?: unknown; error?: string; quitted?: boolean }) => {
      if (message.quitted) this.quitted = true;
      if (message.reply === undefined) return;
      const waiter = this.waiting.get(message.reply);
      this.waiting.delete(message.reply);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  }
  op<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, ...args });
    });
  }
  state(): Promise<MockState> {
    return this.op<MockState>('state');
  }
  call(method: unknown, arg: unknown, from: { sender?: 'main' | 'other'; frameUrl?: string | null; frameIsTop?: boolean } = {}) {
    return this.op<{ ok: boolean; result?: unknown; error?: { kind: string; message: string } }>('invoke', {
      channel: 'distlab:call',
      args: [method, arg],
      sender: from.sender ?? 'main',
      frameUrl: from.frameUrl === undefined ? 'distlab://app/index.html' : from.frameUrl,
      frameIsTop: from.frameIsTop ?? true,
    });
  }
}

async function until<T>(get: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await sleep(50);
  }
}

const LONG_ECHO = 'name: long\nseed: 3\nduration: 60s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 20, clients: 1 }';

describe('the main process (built, Electron mocked)', () => {
  let harness: Harness;
  let layout: { root: string; appData: string };

  beforeAll(async () => {
    await buildElectron();
    layout = appLayout();
    const env: NodeJS.ProcessEnv = { ...process.env, MAIN_JS: pathToFileURL(path.join(layout.root, 'dist/electron/main.js')).href, MOCK_APP_DATA: layout.appData };
    delete env.DISTLAB_DB;
    const child = fork(harnessPath, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    harness = new Harness(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the harness exited with ${code}`)));
    });
  }, 120_000);

  afterAll(() => {
    harness?.child.kill('SIGKILL');
  });

  it('sets up before ready: the privileged scheme, the sandbox, the CLI\'s data folder', async () => {
    const state = await harness.state();
    expect(state.schemes).toEqual([{ scheme: 'distlab', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(state.schemesBeforeReady).toBe(true);
    expect(state.sandboxEnabledBeforeReady).toBe(true);
    expect(state.name).toBe('Distlab');
    // The engine host: forked from the built entry, with the database where the CLI keeps it.
    expect(state.forks).toHaveLength(1);
    expect(state.forks[0].entry).toBe(path.join(layout.root, 'dist/core/api/host-process.js'));
    expect(state.forks[0].args).toEqual(['--db', path.join(layout.appData, 'Distlab', 'distlab.db'), '--presets', path.join(layout.root, 'resources/experiments')]);
  });

  it('opens one locked-down window on distlab://app with the bundled preload, and a menu', async () => {
    const state = await harness.state();
    expect(state.windows).toHaveLength(1);
    expect(state.windows[0].webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: path.join(layout.root, 'dist/electron/preload.cjs'),
    });
    expect(state.loaded).toEqual(['distlab://app/index.html']);
    expect(state.menu.map((m) => m.label)).toEqual(['&File', 'editMenu', '&View', '&Help']);
    expect(state.menu[0].submenu!.map((m) => m.label)).toEqual(['New Experiment', 'Open Runs Folder', 'separator', 'Quit']);
    expect(state.menu[2].submenu!.map((m) => m.label)).toContain('reload');
    expect(state.ipcChannels.sort()).toEqual(['distlab:call', 'distlab:pick-folder']);
  });

  it('serves the built renderer with the page\'s CSP as a header, and nothing outside it', async () => {
    const csp = pageContentSecurityPolicy(rendererHtml);
    const index = await harness.op<{ status: number; headers: Record<string, string>; body: string }>('protocol', { url: 'distlab://app/index.html' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(csp);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toBe(rendererHtml);
    const script = await harness.op<{ status: number; headers: Record<string, string> }>('protocol', { url: 'distlab://app/assets/app.js' });
    expect(script).toMatchObject({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'content-security-policy': csp } });
    for (const url of ['distlab://app/%2e%2e/%2e%2e/package.json', 'distlab://app/missing.js', 'distlab://elsewhere/index.html']) {
      expect((await harness.op<{ status: number }>('protocol', { url })).status, url).toBe(404);
    }
    expect((await harness.op<{ status: number }>('protocol', { url: 'distlab://app/index.html', method: 'POST' })).status).toBe(405);
  });

  it('keeps the window home: foreign navigation prevented, new windows denied, permissions refused but copying', async () => {
    expect(await harness.op('navigate', { url: 'https://example.com/' })).toBe(true);
    expect(await harness.op('navigate', { url: 'file:///etc/passwd' })).toBe(true);
    expect(await harness.op('navigate', { url: 'distlab://app/index.html#/runs' })).toBe(false);
    expect(await harness.op('navigate', { url: 'https://example.com/', kind: 'will-redirect' })).toBe(true);
    expect(await harness.op('windowOpen', { url: 'https://github.com/jepsen-io/maelstrom' })).toEqual({ action: 'deny' });
    expect(await harness.op('windowOpen', { url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect((await harness.state()).external).toEqual(['https://github.com/jepsen-io/maelstrom']);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      expect(await harness.op('permission', { permission, url: 'distlab://app/index.html' }), permission).toEqual({ requested: false, checked: false });
    }
    expect(await harness.op('permission', { permission: 'clipboard-sanitized-write', url: 'distlab://app/index.html' })).toEqual({ requested: true, checked: true });
    expect(await harness.op('permission', { permission: 'clipboard-sanitized-write', url: 'https://example.com/' })).toEqual({ requested: false, checked: false });
  });

  it('forwards calls from the app page only, checked against the allowlist', async () => {
    const programs = await harness.call('programs.list', null);
    expect(programs.ok).toBe(true);
    expect((programs.result as Array<{ name: string }>).map((p) => p.name)).toContain('echo');
    const presets = await harness.call('presets.list', undefined);
    expect((presets.result as Array<{ id: string }>).map((p) => p.id)).toContain('raft-leader-faults.yaml');

    const refused = { ok: false, error: { kind: 'input', message: 'refused: only the Distlab window may call the engine' } };
    expect(await harness.call('programs.list', null, { sender: 'other' })).toEqual(refused);
    expect(await harness.call('programs.list', null, { frameUrl: 'https://evil.example/' })).toEqual(refused);
    expect(await harness.call('programs.list', null, { frameIsTop: false })).toEqual(refused);
    expect(await harness.call('programs.list', null, { frameUrl: null })).toEqual(refused);

    expect(await harness.call('shell.exec', 'rm -rf /')).toMatchObject({ ok: false, error: { kind: 'input', message: expect.stringContaining('unknown method "shell.exec"') } });
    expect(await harness.call('runs.get', { runId: 'one' })).toMatchObject({ ok: false, error: { kind: 'input' } });
  });

  it('forwards the engine\'s events to the window', async () => {
    const text = 'name: short\nseed: 2\nduration: 800ms\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 40, clients: 1 }';
    const started = await harness.call('run.start', { text });
    expect(started.ok).toBe(true);
    const { runId } = started.result as { runId: number };
    const state = await until(
      () => harness.state(),
      (s) => s.sent.some((m) => typeof m.payload === 'object' && m.payload.event === 'run.status' && m.payload.payload.status === 'completed'),
    );
    const events = state.sent.filter((m) => m.channel === 'distlab:event').map((m) => m.payload as { event: string; payload: { runId?: number } });
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['run.data', 'run.status']));
    expect(events.every((e) => e.payload.runId === runId)).toBe(true);
    expect(events.filter((e) => e.event === 'run.data').length).toBeGreaterThan(3);
  });

  it('sends menu commands to the page and opens the runs folder', async () => {
    await harness.op('menuClick', { path: ['&File', 'New Experiment'] });
    await harness.op('menuClick', { path: ['&View', 'Toggle Light/Dark Theme'] });
    await harness.op('menuClick', { path: ['&File', 'Open Runs Folder'] });
    const state = await harness.state();
    expect(state.sent.filter((m) => m.channel === 'distlab:menu').map((m) => m.payload)).toEqual(['new-experiment', 'toggle-theme']);
    expect(state.opened).toEqual([path.join(layout.appData, 'Distlab', 'runs')]);
  });

  it('tells the user when the engine crashes, ends its live runs in the page, and restarts it', async () => {
    const started = await harness.call('run.start', { text: LONG_ECHO });
    const { runId } = started.result as { runId: number };
    await until(
      () => harness.state(),
      (s) => s.sent.some((m) => typeof m.payload === 'object' && m.payload.payload.runId === runId && m.payload.payload.status === 'running'),
    );
    const firstHost = (await harness.state()).forks[0].pid;
    const nodes = childPids(firstHost);
    expect(nodes).toHaveLength(2);
    await harness.op('killHost');
    const state = await until(
      () => harness.state(),
      (s) => s.forks.length === 2 && s.dialogs.length > 0,
    );
    expect(state.dialogs.at(-1)).toMatchObject({ type: 'error', message: 'The engine stopped unexpectedly', detail: expect.stringContaining('It has been restarted') });
    expect(state.dialogs.at(-1)!.detail).toContain(`Run ${runId} stopped`);
    expect(state.sent.at(-1)).toMatchObject({ channel: 'distlab:event', payload: { event: 'run.status', payload: { runId, status: 'interrupted' } } });
    const runs = await harness.call('runs.list', null);
    expect((runs.result as Array<{ id: number; status: string }>).find((r) => r.id === runId)?.status).toBe('interrupted');
    await until(async () => nodes.filter(pidAlive), (alive) => alive.length === 0, 5000);
  });

  it('quitting stops the engine gracefully: the run is saved as interrupted and every node ends', async () => {
    const started = await harness.call('run.start', { text: LONG_ECHO });
    const { runId } = started.result as { runId: number };
    await until(
      () => harness.state(),
      (s) => s.sent.some((m) => typeof m.payload === 'object' && m.payload.payload.runId === runId && m.payload.payload.status === 'running'),
    );
    const host = (await harness.state()).forks.at(-1)!.pid;
    const nodes = childPids(host);
    expect(nodes).toHaveLength(2);
    await harness.op('quit');
    await until(async () => harness.quitted, (q) => q, 15_000);
    expect(pidAlive(host)).toBe(false);
    expect(nodes.filter(pidAlive)).toEqual([]);
    // The last word from the engine was the run's end, recorded as interrupted.
    const last = (await harness.state()).sent.filter((m) => m.channel === 'distlab:event' && typeof m.payload === 'object' && m.payload.event === 'run.status').at(-1);
    expect(last).toMatchObject({ payload: { payload: { runId, status: 'interrupted' } } });
    expect((await harness.state()).dialogs.filter((d) => d.message === 'The engine stopped unexpectedly')).toHaveLength(1);
  });
});
