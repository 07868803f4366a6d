// Types for scripts/electron-binary.mjs, which the Electron launch tests use too.
export function platformExecutable(platform?: string): string;
export function electronPackage(): { dir: string; version: string };
export function findElectronBinary(env?: NodeJS.ProcessEnv): string | null;
