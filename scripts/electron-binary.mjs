// Where Electron's binary is, found the way the electron package finds it (path.txt beside
// its index.js, or ELECTRON_OVERRIDE_DIST_PATH), without require('electron'): that would
// start a download when the binary is missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The executable's path inside Electron's dist folder, per platform (as electron/install.js names it). */
export function platformExecutable(platform = process.platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** The electron package's folder and version. */
export function electronPackage() {
  const manifest = require.resolve('electron/package.json');
  return { dir: path.dirname(manifest), version: JSON.parse(readFileSync(manifest, 'utf8')).version };
}

/** The path of Electron's executable, or null when it is not on this machine. */
export function findElectronBinary(env = process.env) {
  const { dir } = electronPackage();
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || platformExecutable());
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = path.join(dir, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}
