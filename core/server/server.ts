// Browser mode: a plain Node server on 127.0.0.1 that serves the built renderer and the API
// over WebSocket at /api. Every request must carry the per-launch token: in the URL the
// server prints, or in the HttpOnly cookie that loading that URL sets.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { EVENTS } from '../api/contract.js';
import { Lab } from '../api/lab.js';
import { defaultPresetsDir, defaultRendererDir } from '../api/app-files.js';
import { Access, newToken, tokenCookie } from './access.js';
import { MAX_FRAME_BYTES, send, serveApiSocket } from './api-socket.js';
import { rendererBuilt, serveStatic } from './static-files.js';

export const HOST = '127.0.0.1';
export const API_PATH = '/api';

export interface ServerOptions {
  dbPath: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer; dist/renderer by default. */
  staticDir?: string;
  presetsDir?: string;
}

export interface RunningServer {
  /** The address to open, with the token. */
  url: string;
  port: number;
  token: string;
  lab: Lab;
  /** Stops active runs (recorded as interrupted), closes every connection and the store. */
  close(): Promise<void>;
}

/** Thrown when the port is taken; the message names it. */
export class PortInUseError extends Error {}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const staticDir = path.resolve(options.staticDir ?? defaultRendererDir());
  const lab = new Lab({ dbPath: options.dbPath, shell: 'browser', presetsDir: options.presetsDir ?? defaultPresetsDir() });
  const token = newToken();
  const server = http.createServer();
  let port: number;
  try {
    port = await listen(server, options.port);
  } catch (error) {
    await lab.close();
    throw error;
  }
  const access = new Access(token, port);
  const csp = contentSecurityPolicy(port);

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const refusal = access.refusal(req, url);
    if (refusal) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end(`Forbidden (${refusal}). Open the address that \`distlab serve\` printed: it carries this launch's access token.\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('Only GET and HEAD are served; the API is a WebSocket at /api.\n');
      return;
    }
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Security-Policy': csp };
    if (access.queryToken(url)) headers['Set-Cookie'] = tokenCookie(port, token);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (url.pathname === '/' && !rendererBuilt(staticDir)) {
      res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(notBuiltPage(staticDir));
      return;
    }
    const served = serveStatic(staticDir, url.pathname, res, req.method === 'HEAD');
    if (served === 'served') return;
    res.writeHead(served === 'forbidden' ? 403 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(served === 'forbidden' ? 'Forbidden: that path leaves the app folder.\n' : `Not found: ${url.pathname}\n`);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const refusal = url.pathname === API_PATH ? access.refusal(req, url) : `no WebSocket at ${url.pathname}; the API is at ${API_PATH}`;
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nForbidden (${refusal})\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveApiSocket(ws, lab);
      wss.emit('connection', ws, req);
    });
  });

  // Each event is serialized once and sent to every connected client.
  const unsubscribe = EVENTS.map((event) =>
    lab.on(event, (payload) => {
      const text = JSON.stringify({ event, payload });
      for (const client of wss.clients) send(client, text);
    }),
  );

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await lab.close();
      for (const unsub of unsubscribe) unsub();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })());

  return { url: `http://${HOST}:${port}/?token=${token}`, port, token, lab, close };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(`port ${port} on ${HOST} is already in use; pick another with --port, or --port 0 for a free one`));
      else if (error.code === 'EACCES') reject(new PortInUseError(`port ${port} on ${HOST} needs privileges this user lacks; pick one above 1023`));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/** Scripts and styles come from the app's own files; the only connection is the API socket. */
function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function notBuiltPage(staticDir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Distlab: renderer not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>The Distlab app is not built yet</h1>
<p>There is no built renderer in <code>${escapeHtml(staticDir)}</code>. In the distlab folder, run</p>
<pre>npm run build:renderer</pre>
<p>then reload this page. (<code>npm run serve</code> builds everything and starts the server.)</p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
