// Where the app's files are, from the bundled main process at dist/electron/main.js: the
// package root is two folders above it, in a checkout and in an installed app's app.asar alike.
// Pure (no Electron), so that both layouts are unit-tested.
import path from 'node:path';

export interface AppPaths {
  preload: string;
  renderer: string;
  hostEntry: string;
  presets: string;
  icon: string;
}

/**
 * In an installed app the engine runs from app.asar.unpacked (electron-builder.yml unpacks it):
 * the utility process, its worker threads and the nodes it starts on Electron's binary as
 * Node then all load plain files. The shell and the renderer stay in the archive.
 */
export function appPaths(mainFile: string, packaged: boolean): AppPaths {
  const electronDir = path.dirname(mainFile);
  const root = path.dirname(path.dirname(electronDir));
  const engineRoot = packaged ? unpacked(root) : root;
  return {
    preload: path.join(electronDir, 'preload.cjs'),
    renderer: path.join(root, 'dist', 'renderer'),
    hostEntry: path.join(engineRoot, 'dist', 'core', 'api', 'host-process.js'),
    presets: path.join(engineRoot, 'resources', 'experiments'),
    icon: path.join(root, 'resources', 'icons', '512x512.png'),
  };
}

/** The same path in app.asar.unpacked, when it is inside app.asar. */
export function unpacked(file: string): string {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('app.asar');
  if (at < 0) return file;
  parts[at] = 'app.asar.unpacked';
  return parts.join(path.sep);
}
