// The two transports the renderer talks to the lab through: the WebSocket (browser mode,
// driven here by a fake WebSocket on globalThis) and the Electron preload bridge.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../../renderer/src/transport/api-error.js';
import { ipcTransport, type DistlabBridge } from '../../renderer/src/transport/ipc.js';
import { serverApiUrl, websocketTransport } from '../../renderer/src/transport/websocket.js';
import { canPickFolder, onMenuCommand, pickFolder } from '../../renderer/src/transport/desktop.js';

class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  readonly sent: Array<{ id: number; method: string; arg: unknown }> = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  // What the server does:
  open(): void {
    this.onopen?.();
  }
  reply(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(): void {
    this.onclose?.();
  }
  fail(): void {
    this.onerror?.();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const realWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeEach(() => {
  FakeWebSocket.instances = [];
  (globalThis as { WebSocket?: unknown }).WebSocket = FakeWebSocket;
});
afterEach(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = realWebSocket;
});

describe('websocket transport', () => {
  it('connects on the first call, sends {id, method, arg} and resolves with the matching result', async () => {
    const t = websocketTransport('ws://127.0.0.1:1/api?token=x');
    const info = t.call('lab.info', null);
    const runs = t.call('run.active', null);
    const ws = FakeWebSocket.instances[0];
    expect(ws.url).toBe('ws://127.0.0.1:1/api?token=x');
    ws.open();
    await tick();
    expect(ws.sent.map((m) => m.method)).toEqual(['lab.info', 'run.active']);
    // Answers may come in any order; ids pair them up.
    ws.reply({ id: ws.sent[1].id, result: [7] });
    ws.reply({ id: ws.sent[0].id, result: { version: '1', dbPath: '/db', shell: 'browser' } });
    await expect(runs).resolves.toEqual([7]);
    await expect(info).resolves.toEqual({ version: '1', dbPath: '/db', shell: 'browser' });
    void t.call('run.active', null);
    await tick();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ws.sent).toHaveLength(3);
  });

  it('turns an error answer into an ApiCallError with its kind and problems', async () => {
    const t = websocketTransport('ws://x/api');
    const call = t.call('experiment.validate', { text: 'x' });
    const ws = FakeWebSocket.instances[0];
    ws.open();
    await tick();
    ws.reply({ id: ws.sent[0].id, error: { kind: 'input', message: 'bad', problems: [{ path: 'nodes.count', message: 'expected an integer' }] } });
    const error: unknown = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).kind).toBe('input');
    expect((error as ApiCallError).problems).toEqual([{ path: 'nodes.count', message: 'expected an integer' }]);
  });

  it('delivers events to their listeners until they unsubscribe', async () => {
    const t = websocketTransport('ws://x/api');
    const seen: unknown[] = [];
    const off = t.on('run.status', (e: unknown) => seen.push(e));
    const ws = FakeWebSocket.instances[0];
    ws.open();
    ws.reply({ event: 'run.status', payload: { runId: 3, status: 'running' } });
    ws.reply({ event: 'export.progress', payload: { runId: 3, file: 'a', rows: 1, done: false } });
    off();
    ws.reply({ event: 'run.status', payload: { runId: 3, status: 'completed' } });
    expect(seen).toEqual([{ runId: 3, status: 'running' }]);
  });

  it('rejects calls in flight when the connection closes, and reconnects on the next call', async () => {
    const t = websocketTransport('ws://x/api');
    const call = t.call('run.active', null);
    const first = FakeWebSocket.instances[0];
    first.open();
    await tick();
    first.drop();
    await expect(call).rejects.toThrow(/connection to the Distlab server closed/);
    expect(await call.catch((e: unknown) => e instanceof ApiCallError)).toBe(false);

    const again = t.call('run.active', null);
    const second = FakeWebSocket.instances[1];
    expect(second).toBeDefined();
    second.open();
    await tick();
    second.reply({ id: second.sent[0].id, result: [] });
    await expect(again).resolves.toEqual([]);
  });

  it('says the server cannot be reached when the socket fails to open', async () => {
    const t = websocketTransport('ws://x/api');
    const call = t.call('lab.info', null);
    FakeWebSocket.instances[0].fail();
    await expect(call).rejects.toThrow(/cannot reach the Distlab server/);
  });

  it('builds the API address from the page address and its token', () => {
    const page = (search: string) => ({ protocol: 'http:', host: '127.0.0.1:4000', search }) as Parameters<typeof serverApiUrl>[0];
    expect(serverApiUrl(page('?token=a b'))).toBe('ws://127.0.0.1:4000/api?token=a%20b');
    expect(serverApiUrl(page(''))).toBe('ws://127.0.0.1:4000/api');
  });
});

describe('ipc transport', () => {
  it('returns results, throws ApiCallError for errors, and passes events through', async () => {
    const listeners: Array<(p: unknown) => void> = [];
    const bridge: DistlabBridge = {
      call: async (method) =>
        method === 'run.active' ? { ok: true, result: [1, 2] } : { ok: false, error: { kind: 'internal', message: 'database is locked' } },
      on: (_event, listener) => {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    };
    const t = ipcTransport(bridge);
    await expect(t.call('run.active', null)).resolves.toEqual([1, 2]);
    const error: unknown = await t.call('runs.list', null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as ApiCallError).message).toBe('database is locked');
    const seen: unknown[] = [];
    const off = t.on('run.status', (e: unknown) => seen.push(e));
    listeners[0]({ runId: 1, status: 'running' });
    off();
    expect(listeners).toHaveLength(0);
    expect(seen).toEqual([{ runId: 1, status: 'running' }]);
  });
});

describe('the desktop bridge beyond the API', () => {
  const global = globalThis as { distlab?: unknown };
  afterEach(() => {
    delete global.distlab;
  });

  it('in a browser: no folder picker, and menu subscriptions do nothing', async () => {
    expect(canPickFolder()).toBe(false);
    expect(await pickFolder('Export')).toBeNull();
    const unsubscribe = onMenuCommand(() => {});
    expect(() => unsubscribe()).not.toThrow();
  });

  it('under Electron: the native folder picker and the application menu’s commands', async () => {
    const titles: string[] = [];
    let menuListener: ((command: string) => void) | null = null;
    global.distlab = {
      pickFolder: async (title: string) => (titles.push(title), '/home/me/export'),
      onMenu: (listener: (command: string) => void) => ((menuListener = listener), () => (menuListener = null)),
    };
    expect(canPickFolder()).toBe(true);
    expect(await pickFolder('Export run #3 into…')).toBe('/home/me/export');
    expect(titles).toEqual(['Export run #3 into…']);
    const heard: string[] = [];
    const unsubscribe = onMenuCommand((command) => heard.push(command));
    menuListener!('toggle-theme');
    unsubscribe();
    expect(menuListener).toBeNull();
    expect(heard).toEqual(['toggle-theme']);
  });
});
