// Options every better-sqlite3 handle of the store is opened with. Electron needs a build of
// the native module for its own ABI, kept apart from the one the CLI uses (scripts/start.mjs
// prepares it); DISTLAB_SQLITE_BINDING names that file when the engine runs under Electron.
import type Database from 'better-sqlite3';

export function sqliteOptions(env: NodeJS.ProcessEnv = process.env): Pick<Database.Options, 'nativeBinding'> {
  const binding = env.DISTLAB_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}
