// Serves the built renderer (dist/renderer): known content types, nothing outside the folder.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { contentTypeOf } from './content-types.js';


export type StaticResult = 'served' | 'not-found' | 'forbidden';

/** The file under `root` that a URL path names, or null if it would leave the folder. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  const inside = path.relative(root, resolved);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return resolved;
}

export function serveStatic(root: string, urlPath: string, res: ServerResponse, headOnly: boolean): StaticResult {
  const file = resolveStaticPath(path.resolve(root), urlPath);
  if (!file) return 'forbidden';
  if (!existsSync(file) || !statSync(file).isFile()) return 'not-found';
  const type = contentTypeOf(file);
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': statSync(file).size,
    // Vite names assets by content hash; index.html must always be fresh.
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  });
  if (headOnly) res.end();
  else createReadStream(file).pipe(res);
  return 'served';
}

export function rendererBuilt(root: string): boolean {
  return existsSync(path.join(root, 'index.html'));
}
