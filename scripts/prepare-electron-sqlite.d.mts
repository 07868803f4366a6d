// Types for scripts/prepare-electron-sqlite.mjs, which the Electron launch tests use too.
export class NativePrepareError extends Error {}
export function prepareElectronSqlite(options: {
  root: string;
  electronVersion: string;
  arch?: string;
  platform?: string;
  log?: (line: string) => void;
}): string;
