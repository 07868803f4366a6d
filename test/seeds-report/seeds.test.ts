// Judges the 1,000-seed tests of every built-in protocol (test/seeds/) from the report of
// the child vitest that ran them in the background (test/seeds-in-background.ts). Chosen on
// its own, it runs that child itself and waits.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { startSeedTests } from './seed-child.js';

interface JsonReport {
  numTotalTests: number;
  numFailedTests: number;
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }> }>;
}

/** The child's three files take about 110 s of CPU; niced beside the process tests, they may take several minutes. */
const WAIT_MS = 12 * 60_000;

async function finishedReport(): Promise<{ exit: { code: number | null; signal: string | null }; report: JsonReport | null }> {
  let dir = inject('seedsReportDir');
  if (dir === null) {
    dir = mkdtempSync(path.join(tmpdir(), 'distlab-seeds-'));
    const child = startSeedTests(dir, { nice: false });
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    return { exit, report: readReport(dir) };
  }
  const exitFile = path.join(dir, 'exit.json');
  while (!existsSync(exitFile)) await new Promise((resolve) => setTimeout(resolve, 500));
  return { exit: JSON.parse(readFileSync(exitFile, 'utf8')), report: readReport(dir) };
}

function readReport(dir: string): JsonReport | null {
  const file = path.join(dir, 'report.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JsonReport) : null;
}

describe('every built-in protocol across 1,000 simulated seeds (test/seeds/)', () => {
  it('held on every seed', async () => {
    const { exit, report } = await finishedReport();
    expect(report, `the seed tests wrote no report (exit ${JSON.stringify(exit)})`).not.toBeNull();
    const results = report!.testResults.flatMap((file) => file.assertionResults);
    const failed = results.filter((r) => r.status !== 'passed');
    expect(failed.map((r) => `${r.fullName}: ${r.status}\n${r.failureMessages.join('\n').slice(0, 4000)}`)).toEqual([]);
    // One test per protocol, and the coverage test: a report with fewer ran less than it should.
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(exit.code).toBe(0);
  }, WAIT_MS);
});
