// Global setup of `npm test`: starts the 1,000-seed tests (vitest.seeds.config.ts) in a child
// vitest at nice 19, so they take only the CPU the process tests leave idle; the `seeds`
// project (test/seeds-report/) waits for its JSON report and judges it. Run any other way
// (a developer's `npx vitest run some/file`), nothing starts here, and the report test,
// if chosen, runs the child itself. The teardown ends the child: no process is left behind.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSeedTests } from './seeds-report/seed-child.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the background seed tests write report.json and exit.json into; null when none were started. */
    seedsReportDir: string | null;
  }
}

export default function setup(project: TestProject): (() => void) | void {
  if (process.env.npm_lifecycle_event !== 'test') {
    project.provide('seedsReportDir', null);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'distlab-seeds-'));
  const child: ChildProcess = startSeedTests(dir, { nice: true });
  child.on('exit', (code, signal) => writeFileSync(path.join(dir, 'exit.json'), JSON.stringify({ code, signal })));
  project.provide('seedsReportDir', dir);
  return () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
}
