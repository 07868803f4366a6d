// The renderer is served from the built files through the app's own protocol, distlab://app/,
// never from file:// or a remote URL. Every response carries the page's CSP as a header.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { protocol } from 'electron';
import { APP_SCHEME } from './ipc-validation.js';
import { contentType, pageContentSecurityPolicy, rendererFilePath } from './renderer-files.js';

/** Must run before the app is ready: a standard, secure scheme gets an origin and fetch. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export class RendererNotBuilt extends Error {}

/** Serves rendererDir at distlab://app/; throws RendererNotBuilt when there is nothing to serve. */
export function serveRenderer(rendererDir: string): void {
  const indexFile = path.join(rendererDir, 'index.html');
  let indexHtml: string;
  try {
    indexHtml = readFileSync(indexFile, 'utf8');
  } catch {
    throw new RendererNotBuilt(`The renderer is not built: ${indexFile} is missing. Run npm run build:renderer (npm start does it for you).`);
  }
  const csp = pageContentSecurityPolicy(indexHtml);
  if (!csp) throw new RendererNotBuilt(`${indexFile} has no Content-Security-Policy meta tag; the app serves no page without one.`);

  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'only GET is served here', csp);
    const file = rendererFilePath(request.url, rendererDir);
    if (!file) return plain(404, 'not found', csp);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'not found', csp);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { 'content-type': contentType(file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' },
    });
  });
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': csp } });
}
