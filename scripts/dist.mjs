#!/usr/bin/env node
// npm run dist [-- electron-builder options, e.g. --linux AppImage]: builds the app, then the
// installers with electron-builder (config: electron-builder.yml; output: release/).
//
// electron-builder rebuilds better-sqlite3 for Electron inside node_modules, which would leave
// the CLI and the tests (system Node) with a binary they cannot load. The Node build is put
// aside first and restored afterwards, whatever happens.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: false });
  if (result.status !== 0) throw new Error(`${what} failed (see above)`);
}

function npmRun(script) {
  const npm = process.env.npm_execpath;
  if (npm) run(process.execPath, [npm, 'run', '--silent', script], `npm run ${script}`);
  else {
    const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) throw new Error(`npm run ${script} failed (see above)`);
  }
}

const nodeBinding = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const aside = path.join(mkdtempSync(path.join(os.tmpdir(), 'distlab-dist-')), 'better_sqlite3.node');

try {
  for (const script of ['build:core', 'build:renderer', 'build:electron']) npmRun(script);
  if (existsSync(nodeBinding)) copyFileSync(nodeBinding, aside);
  run(process.execPath, [require.resolve('electron-builder/cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)], 'electron-builder');
  console.log(`Installers written to ${path.join(root, 'release')}`);
} catch (error) {
  process.exitCode = 1;
  console.error(`\nnpm run dist: ${error.message}`);
} finally {
  if (existsSync(aside)) {
    copyFileSync(aside, nodeBinding);
    rmSync(path.dirname(aside), { recursive: true, force: true });
    console.log("better-sqlite3's build for Node is back in node_modules: the CLI and the tests keep working.");
  }
}
