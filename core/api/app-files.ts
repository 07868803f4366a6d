// Where the app's own files are: the package root (package.json, resources/, dist/), found
// by walking up from this module, which sits in core/api or dist/core/api.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'distlab') return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Distlab's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The ready experiments shipped with the app. */
export function defaultPresetsDir(): string {
  return path.join(packageRoot(), 'resources', 'experiments');
}

/** The built renderer (`npm run build:renderer`). */
export function defaultRendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
