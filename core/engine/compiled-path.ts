import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Path of a compiled core module (a process or worker entry). From dist/ it sits beside
 * the caller; when the caller runs from source (vitest), it is taken from dist/core.
 */
export function compiledModulePath(callerUrl: string, relativeJs: string): string {
  const callerFile = fileURLToPath(callerUrl);
  const beside = path.resolve(path.dirname(callerFile), relativeJs);
  if (existsSync(beside)) return beside;
  const coreRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const fromSource = path.relative(coreRoot, path.resolve(path.dirname(callerFile), relativeJs));
  return path.resolve(coreRoot, '..', 'dist', 'core', fromSource);
}
