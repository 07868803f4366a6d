// Types for scripts/build-electron.mjs, which the Electron launch tests use too.
export function buildElectron(): Promise<void>;
