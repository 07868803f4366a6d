#!/usr/bin/env node
// npm start: opens the desktop app from a checkout.
//  1. Electron's binary: present, or downloaded now by the electron package's own installer;
//     where that cannot work (no network), say so plainly and point to browser mode.
//  2. Build the core, the renderer and the shell.
//  3. A better-sqlite3 binary for Electron's ABI, beside node_modules (never in postinstall,
//     and never replacing the Node build the CLI uses).
//  4. Launch Electron on the app, with that binary named in DISTLAB_SQLITE_BINDING.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackage, findElectronBinary } from './electron-binary.mjs';
import { NativePrepareError, prepareElectronSqlite } from './prepare-electron-sqlite.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BROWSER_MODE = 'Run the lab in your browser instead: npm run serve';

function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

function ensureElectron() {
  const found = findElectronBinary();
  if (found) return found;
  const { dir, version } = electronPackage();
  console.log(`Downloading Electron ${version}'s binary (first start only)…`);
  const install = spawnSync(process.execPath, [path.join(dir, 'install.js')], { encoding: 'utf8', timeout: 15 * 60_000 });
  const binary = findElectronBinary();
  if (binary) return binary;
  const said = `${install.stderr ?? ''}\n${install.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim().replace(/^(\w*Error|Error):\s*/, ''))
    .find((line) => line && !line.startsWith('at '));
  const reason = said ?? install.error?.message;
  fail(
    [
      "Electron's binary is not installed (it is downloaded on first start on a connected machine; this machine could not" +
        (reason ? ` download it: ${reason}` : '') +
        ').',
      `If you have Electron ${version} elsewhere, set ELECTRON_OVERRIDE_DIST_PATH to its folder and run npm start again.`,
      BROWSER_MODE,
    ].join('\n'),
  );
}

function npmRun(script) {
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', script]] : ['npm', ['run', '--silent', script]];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: !npm && process.platform === 'win32' });
  if (result.status !== 0) fail(`npm run ${script} failed (see above); the app was not started.`);
}

const electron = ensureElectron();

for (const script of ['build:core', 'build:renderer', 'build:electron']) npmRun(script);

let sqliteBinding;
try {
  sqliteBinding = prepareElectronSqlite({ root, electronVersion: electronPackage().version });
} catch (error) {
  if (!(error instanceof NativePrepareError)) throw error;
  fail(`${error.message}\nBoth need the network once (and building needs a C++ toolchain and Python).\n${BROWSER_MODE}`);
}

const env = { ...process.env, DISTLAB_SQLITE_BINDING: sqliteBinding };
// Set in this shell, it would make Electron run as plain Node instead of opening the app.
delete env.ELECTRON_RUN_AS_NODE;

const app = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', env, windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
