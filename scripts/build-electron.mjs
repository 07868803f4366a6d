#!/usr/bin/env node
// Builds the Electron shell into dist/electron: type-checks electron/ against Electron's own
// types, then bundles the main process (ESM, dist/electron/main.js) and the sandboxed preload
// (one CommonJS file, dist/electron/preload.cjs: a sandboxed preload cannot import modules).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outDir = path.join(root, 'dist', 'electron');

// Electron 45 runs Node 22 in its main process and Chromium 140 in its renderers.
const MAIN_TARGET = 'node22';
const PRELOAD_TARGET = 'chrome140';

export async function buildElectron() {
  const tsc = require.resolve('typescript/bin/tsc');
  const check = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'electron', 'tsconfig.json')], { stdio: 'inherit' });
  if (check.status !== 0) throw new Error('electron/ does not type-check (see above)');

  const common = { bundle: true, sourcemap: true, logLevel: 'warning', external: ['electron'], absWorkingDir: root };
  await build({
    ...common,
    entryPoints: [path.join(root, 'electron', 'main.ts')],
    outfile: path.join(outDir, 'main.js'),
    platform: 'node',
    format: 'esm',
    target: MAIN_TARGET,
  });
  await build({
    ...common,
    entryPoints: [path.join(root, 'electron', 'preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
    platform: 'browser',
    format: 'cjs',
    target: PRELOAD_TARGET,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildElectron().catch((error) => {
    console.error(`build:electron failed: ${error.message}`);
    process.exit(1);
  });
}
