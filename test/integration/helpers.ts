import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { Run, type RunSummary } from '../../core/engine/run.js';
import { processStartTime } from '../../core/engine/process-identity.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const cliPath = path.join(repoRoot, 'bin/distlab.js');
export const echoNodeFixture = path.join(repoRoot, 'test/fixtures/echo-node.mjs');

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'distlab-test-'));
}

export function tempDbPath(): string {
  return path.join(tempDir(), 'runs.db');
}

/** Runs an experiment (given as the file's object form) in this process. */
export async function runExperiment(file: Record<string, unknown>, dbPath = tempDbPath()): Promise<{ summary: RunSummary; db: Database.Database; dbPath: string; run: Run }> {
  const experiment = parseExperiment(file, { source: 'test', programs: programNames() });
  const run = new Run(experiment, dbPath);
  const summary = await run.execute();
  return { summary, db: new Database(dbPath, { readonly: true }), dbPath, run };
}

/** Alive and not a zombie waiting for its parent (or init) to reap it. */
export function pidAlive(pid: number): boolean {
  return processStartTime(pid) !== null;
}

/** Direct children of a pid, from /proc (Linux). */
export function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return out.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

export function runCli(args: string[], options: { timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** As runCli, without blocking: for tests that run several CLI processes at once. */
export function runCliAsync(args: string[], options: { timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** With --json, the CLI's stdout ends with one JSON object: the run's (or sweep's) result. */
export function lastJsonLine<T = any>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

/** Records an experiment file with `distlab run --json` into dbPath; the run's summary. */
export function recordWithCli(file: string, dbPath: string, extra: string[] = []): RunSummary & { runId: number } {
  const out = runCli(['run', file, '--db', dbPath, '--json', ...extra], { timeoutMs: 60_000 });
  if (out.code !== 0 && out.code !== 1) throw new Error(`distlab run ${file} exited ${out.code}: ${out.stderr}`);
  return lastJsonLine(out.stdout);
}

export function startCli(args: string[]) {
  return spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function count(db: Database.Database, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).pluck().get(...params) as number) ?? 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
