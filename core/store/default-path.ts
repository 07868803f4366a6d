// Where the recording lives when nobody says otherwise: the same folder Electron's
// app.getPath('userData') gives an app named "Distlab", so the CLI and the desktop app share one file.

import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

const APP_NAME = 'Distlab';
const FILE_NAME = 'distlab.db';

export function defaultDatabasePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.DISTLAB_DB) return env.DISTLAB_DB;
  // Pick the separator by the target platform, not the host, so every branch is testable anywhere.
  const path = platform === 'win32' ? win32 : posix;
  return path.join(appDataFolder(env, platform, home, path.join), APP_NAME, FILE_NAME);
}

function appDataFolder(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
  join: (...parts: string[]) => string,
): string {
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support');
    case 'win32':
      return env.APPDATA || join(home, 'AppData', 'Roaming');
    default:
      return env.XDG_CONFIG_HOME || join(home, '.config');
  }
}
