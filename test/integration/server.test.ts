// Browser mode: the HTTP and WebSocket server in front of the Lab, and `distlab serve`.
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import WebSocket from 'ws';
import Database from 'better-sqlite3';
import { PortInUseError, startServer, type RunningServer } from '../../core/server/server.js';
import type { RunData, RunStatusEvent } from '../../core/api/contract.js';
import { pidAlive, startCli, tempDbPath, tempDir } from './helpers.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw GET: the path goes out exactly as written (fetch would normalise "..") */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A connected API client: call() sends a request and resolves with its reply frame. */
class Client {
  readonly events: Array<{ event: string; payload: unknown }> = [];
  private nextId = 0;
  private readonly replies = new Map<number, (frame: Record<string, unknown>) => void>();
  readonly frames: Array<Record<string, unknown>> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('event' in frame) this.events.push(frame as { event: string; payload: unknown });
      else {
        this.frames.push(frame);
        this.replies.get(frame.id as number)?.(frame);
      }
    });
  }

  static async open(url: string, options?: WebSocket.ClientOptions): Promise<Client> {
    const ws = new WebSocket(url, options);
    await once(ws, 'open');
    return new Client(ws);
  }

  call(method: string, arg: unknown): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, arg }));
    });
  }

  statuses(runId: number): RunStatusEvent[] {
    return this.events.filter((e) => e.event === 'run.status' && (e.payload as RunStatusEvent).runId === runId).map((e) => e.payload as RunStatusEvent);
  }
}

/** The HTTP status with which a WebSocket handshake is refused. */
function refusedWith(url: string, options?: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('open', () => {
      ws.close();
      reject(new Error('the WebSocket was accepted'));
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      ws.terminate();
    });
    ws.on('error', () => {});
  });
}

async function until<T>(find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ECHO = 'name: ws-echo\nseed: 3\nduration: 2s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 50, clients: 2 }\n';

let server: RunningServer;
let staticDir: string;
let wsUrl: string;

beforeAll(async () => {
  const root = tempDir();
  staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Distlab</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(staticDir, 'assets', 'style.css'), 'body { color: black }');
  writeFileSync(join(root, 'secret.txt'), 'not for the browser');
  server = await startServer({ dbPath: tempDbPath(), port: 0, staticDir });
  wsUrl = `ws://127.0.0.1:${server.port}/api`;
});

afterAll(async () => {
  await server?.close();
});

describe('the per-launch token', () => {
  it('is in the printed URL, which binds 127.0.0.1 only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('is required for every page: 403 without it or with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=wrong', `/?token=${server.token}x`]) {
      const reply = await get(server.port, path);
      expect(reply.status, path).toBe(403);
      expect(reply.body).toMatch(/Open the address that `distlab serve` printed/);
    }
  });

  it('opens the app with the token and sets an HttpOnly, SameSite=Strict cookie that serves the rest', async () => {
    const first = await get(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.body).toContain('<title>Distlab</title>');
    const cookie = first.headers['set-cookie']![0];
    expect(cookie).toMatch(new RegExp(`^distlab_token_${server.port}=${server.token}; `));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const jar = { Cookie: cookie.split(';')[0] };
    const js = await get(server.port, '/assets/app.js', jar);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app");');
    expect((await get(server.port, '/assets/style.css', jar)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(server.port, '/assets/missing.js', jar)).status).toBe(404);
    expect((await get(server.port, '/assets/app.js', { Cookie: `distlab_token_${server.port}=nope` })).status).toBe(403);
  });

  it('refuses other Host names, as a DNS-rebinding page would send', async () => {
    const reply = await get(server.port, `/?token=${server.token}`, { Host: `evil.example:${server.port}` });
    expect(reply.status).toBe(403);
    expect((await get(server.port, `/?token=${server.token}`, { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('never serves a file outside the app folder', async () => {
    const auth = `token=${server.token}`;
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%5csecret.txt', '/%00index.html', '/assets/../../secret.txt']) {
      const reply = await get(server.port, `${path}?${auth}`);
      expect([403, 404], path).toContain(reply.status);
      expect(reply.body).not.toContain('not for the browser');
    }
  });

  it('refuses the WebSocket without the token, with a wrong one, from another origin, or at another path', async () => {
    expect(await refusedWith(wsUrl)).toBe(403);
    expect(await refusedWith(`${wsUrl}?token=wrong`)).toBe(403);
    expect(await refusedWith(`${wsUrl}?token=${server.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await refusedWith(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).toBe(403);
  });

  it('accepts the WebSocket with the token in the URL or in the cookie', async () => {
    const byQuery = await Client.open(`${wsUrl}?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
    expect(await byQuery.call('lab.info', null)).toEqual({ id: 1, result: expect.objectContaining({ shell: 'browser', version: expect.any(String) }) });
    byQuery.ws.close();
    const byCookie = await Client.open(wsUrl, { headers: { Cookie: `distlab_token_${server.port}=${server.token}` } });
    expect((await byCookie.call('run.active', null)).result).toEqual([]);
    byCookie.ws.close();
  });
});

describe('the API over WebSocket', () => {
  let client: Client;

  beforeAll(async () => {
    client = await Client.open(`${wsUrl}?token=${server.token}`);
  });

  afterAll(() => client.ws.close());

  it('answers each request with its id, and errors as data', async () => {
    const programs = await client.call('programs.list', null);
    expect((programs.result as Array<{ name: string }>).map((p) => p.name)).toContain('raft');
    const bad = await client.call('run.stop', { runId: -1 });
    expect(bad).toEqual({ id: 2, error: { kind: 'input', message: expect.stringContaining('runId'), problems: [{ path: 'runId', message: expect.any(String) }] } });
    const unknown = await client.call('nope', null);
    expect(unknown.error).toMatchObject({ kind: 'input', message: expect.stringMatching(/^unknown method "nope"/) });
  });

  it('answers malformed frames with an input error and keeps the connection', async () => {
    const before = client.frames.length;
    client.ws.send('not json');
    client.ws.send(JSON.stringify([1, 2]));
    client.ws.send(JSON.stringify({ id: { x: 1 }, method: 'lab.info' }));
    client.ws.send(JSON.stringify({ id: 77, method: 5 }));
    client.ws.send(JSON.stringify({ id: 78, method: 'lab.info', arg: null, extra: 1 }));
    client.ws.send(Buffer.from('binary'), { binary: true });
    await until(() => (client.frames.length >= before + 6 ? true : undefined));
    const errors = client.frames.slice(before);
    expect(errors.map((f) => [f.id, (f.error as { kind: string }).kind])).toEqual([
      [null, 'input'],
      [null, 'input'],
      [null, 'input'],
      [77, 'input'],
      [78, 'input'],
      [null, 'input'],
    ]);
    expect((errors[0].error as { message: string }).message).toMatch(/^the frame is not JSON/);
    expect((await client.call('run.active', null)).result).toEqual([]);
  });

  it('closes a connection that sends a frame over 1 MiB', async () => {
    const big = await Client.open(`${wsUrl}?token=${server.token}`);
    const closed = once(big.ws, 'close');
    big.ws.on('error', () => {});
    big.ws.send(JSON.stringify({ id: 1, method: 'experiment.validate', arg: { text: 'x'.repeat(1 << 20) } }));
    const [code] = await closed;
    expect(code).toBe(1009);
  });

  it('runs an experiment and streams its status and data to every client', async () => {
    const other = await Client.open(`${wsUrl}?token=${server.token}`);
    const started = await client.call('run.start', { text: ECHO });
    const { runId } = started.result as { runId: number };
    expect(runId).toBeGreaterThan(0);
    const final = await until(() => client.statuses(runId).find((s) => s.summary));
    expect(final.status).toBe('completed');
    expect(client.statuses(runId).map((s) => s.status)).toEqual(['starting', 'running', 'completed']);
    const data = client.events.filter((e) => e.event === 'run.data').map((e) => e.payload as RunData);
    expect(data.length).toBeGreaterThan(10);
    expect(data.reduce((n, d) => n + d.traffic.reduce((t, b) => t + b[1], 0), 0)).toBe(final.summary!.messages.sent);
    expect(final.summary!.ops.ok).toBeGreaterThan(0);
    expect(data.reduce((n, d) => n + d.operations.filter((op) => op[2] === 'ok').length, 0)).toBe(final.summary!.ops.ok);
    // The other client saw the same events.
    await until(() => other.statuses(runId).find((s) => s.summary));
    expect(other.events.filter((e) => e.event === 'run.data').length).toBe(data.length);
    other.ws.close();

    const recorded = await client.call('runs.data', { runId });
    expect((recorded.result as { traffic: number[][] }).traffic.reduce((t, b) => t + b[1], 0)).toBe(final.summary!.messages.sent);
    const exportDir = join(tempDir(), 'csv');
    const exported = await client.call('runs.export', { runId, dir: exportDir });
    expect((exported.result as { files: string[] }).files).toContain(join(exportDir, 'messages.csv'));
    const progress = client.events.filter((e) => e.event === 'export.progress').map((e) => e.payload as { done: boolean; file: string; rows: number });
    expect(progress.at(-1)).toEqual({ runId, file: join(exportDir, 'nodes.csv'), rows: 2, done: true });
    expect(progress.find((p) => p.file.endsWith('messages.csv') && p.done === false)?.rows).toBe(final.summary!.messages.sent + final.summary!.messages.duplicated);
  });
});

describe('starting the server', () => {
  it('names the port when it is in use', async () => {
    const attempt = startServer({ dbPath: tempDbPath(), port: server.port, staticDir });
    await expect(attempt).rejects.toThrow(PortInUseError);
    await expect(attempt).rejects.toThrow(`port ${server.port} on 127.0.0.1 is already in use`);
  });

  it('says how to build the app when dist/renderer is missing', async () => {
    const bare = await startServer({ dbPath: tempDbPath(), port: 0, staticDir: join(tempDir(), 'no-renderer') });
    try {
      const reply = await get(bare.port, `/?token=${bare.token}`);
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('npm run build:renderer');
    } finally {
      await bare.close();
    }
  });
});

describe('distlab serve', () => {
  it('prints the URL, serves until Ctrl-C, then interrupts the active run and exits cleanly', async () => {
    const dbPath = tempDbPath();
    const child = startCli(['serve', '--db', dbPath, '--port', '0']);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const url = await until(() => /Distlab is at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]+)\n/.exec(stdout) ?? undefined, 15_000);
    const port = Number(url[2]);
    expect((await get(port, '/')).status).toBe(403);

    const client = await Client.open(`ws://127.0.0.1:${port}/api?${url[1].split('?')[1]}`);
    const { runId } = (await client.call('run.start', { text: ECHO.replace('duration: 2s', 'duration: 60s') })).result as { runId: number };
    await until(() => client.statuses(runId).find((s) => s.status === 'running'));

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stderr).toContain('stopping 1 active run(s)');
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('interrupted');
    const pids = db.prepare('SELECT pid FROM nodes WHERE run_id = ?').pluck().all(runId) as number[];
    db.close();
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
  }, 30_000);

  it('refuses a bad port with exit code 2', async () => {
    const child = startCli(['serve', '--db', tempDbPath(), '--port', 'http']);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('--port: expected a port from 0 to 65535');
  });
});
