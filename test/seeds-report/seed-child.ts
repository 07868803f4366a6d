// Starts the 1,000-seed tests in a child vitest that writes a JSON report into `dir`.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function startSeedTests(dir: string, opts: { nice: boolean }): ChildProcess {
  const vitest = [process.execPath, path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.seeds.config.ts', '--reporter=json', `--outputFile=${path.join(dir, 'report.json')}`];
  const [command, ...args] = opts.nice ? ['nice', '-n', '19', ...vitest] : vitest;
  return spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}
