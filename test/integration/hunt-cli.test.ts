// distlab hunt: the two programs broken on purpose are found within the stated seeds, grouped
// under the check that catches them, recorded for the lab and shrunk; --parallel 2 gives the
// sequential result; bad input is refused with exit code 2 before anything is recorded.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { count, lastJsonLine, repoRoot, runCliAsync, startCli, tempDir } from './helpers.js';

const CAUSAL = path.join(repoRoot, 'resources/hunts/causal-broadcast-on-arrival.yaml');
const PRIMARY_BACKUP = path.join(repoRoot, 'resources/hunts/primary-backup-async-partition.yaml');

function runsIn(db: string): number {
  if (!existsSync(db)) return 0;
  const read = new Database(db, { readonly: true });
  try {
    return count(read, 'select count(*) from runs');
  } finally {
    read.close();
  }
}

/** The hunt's result without where it was recorded. */
function result(stdout: string) {
  const { db: _db, ...rest } = lastJsonLine(stdout);
  return rest;
}

// Each test waits on its own CLI processes: they may overlap (three at a time, as vitest.config.ts allows).
describe.concurrent('distlab hunt', () => {
  it('finds the causal broadcast that delivers on arrival within 4 seeds, groups it under causal-delivery, records and shrinks it; --parallel 2 agrees', async () => {
    const dir = tempDir();
    // Seed 4 fails first in time (its check at 0.387 s): distlab run of it goes alongside the hunts.
    const [sequential, parallel, again] = await Promise.all([
      runCliAsync(['hunt', CAUSAL, '--seeds', '1..4', '--db', path.join(dir, 'one.db'), '--json']),
      runCliAsync(['hunt', CAUSAL, '--seeds', '1..4', '--db', path.join(dir, 'two.db'), '--json', '--parallel', '2']),
      runCliAsync(['run', CAUSAL, '--seed', '4', '--db', path.join(dir, 'again.db'), '--json']),
    ]);
    expect(sequential.code, sequential.stderr).toBe(1);
    expect(parallel.code, parallel.stderr).toBe(1);
    const hunt = result(sequential.stdout);
    expect(result(parallel.stdout)).toStrictEqual(hunt);

    expect(hunt).toMatchObject({ total: 4, done: 4, running: false, stoppedEarly: false, errors: [] });
    const causal = hunt.groups.find((g: { check: string }) => g.check === 'causal-delivery');
    expect(causal.seeds.length).toBeGreaterThanOrEqual(3);
    // Every failing seed is recorded, with when its check first failed and its concrete experiment.
    for (const failure of hunt.failures) {
      expect(failure.runId).toEqual(expect.any(Number));
      expect(failure.experimentText).toContain(`seed: ${failure.seed}`);
      expect(failure.experimentText).not.toContain('random');
    }
    expect(hunt.shortestSeed).toBe(4);
    const shortest = hunt.failures.find((f: { seed: number }) => f.seed === hunt.shortestSeed);
    expect(shortest.firstFailureMs).toBeGreaterThan(0);
    expect(shortest.firstFailureMs).toBeLessThan(shortest.durationMs);
    expect(hunt.shortest).toStrictEqual({
      seed: shortest.seed,
      runId: shortest.runId,
      checks: shortest.checks,
      firstFailureMs: shortest.firstFailureMs,
      address: expect.stringMatching(new RegExp(`^#/runs/${shortest.runId}\\?t=\\d+\\.\\d{3,6}s$`)),
    });

    const shrunk = hunt.shrunk;
    expect(shrunk).toMatchObject({ seed: hunt.shortestSeed, check: 'causal-delivery', runId: expect.any(Number) });
    expect(shrunk.faultsAfter).toBeLessThan(shrunk.faultsBefore);
    expect(shrunk.durationMsAfter).toBeLessThan(shrunk.durationMsBefore);
    // The shrunk case, recorded: its stored experiment is the concrete, smaller schedule, and it fails the same check.
    const db = new Database(path.join(dir, 'one.db'), { readonly: true });
    const row = db.prepare('select name, seed, experiment_json, summary_json from runs where id = ?').get(shrunk.runId) as { name: string; seed: number; experiment_json: string; summary_json: string };
    db.close();
    const stored = JSON.parse(row.experiment_json);
    expect(row.seed).toBe(shrunk.seed);
    expect(stored).toMatchObject({ mode: 'simulate', durationMs: shrunk.durationMsAfter });
    expect(stored.faults).toHaveLength(shrunk.faultsAfter);
    expect(stored.randomFaults).toBeUndefined();
    expect(JSON.parse(row.summary_json).checks['causal-delivery'].valid).toBe(false);
    expect(runsIn(path.join(dir, 'one.db'))).toBe(hunt.failures.length + 1);

    // distlab run of the same file and seed draws the same faults: the same failure at the same moment.
    expect(again.code, again.stderr).toBe(1);
    const summary = lastJsonLine(again.stdout);
    expect(Object.keys(summary.checks).filter((name) => !summary.checks[name].valid)).toStrictEqual(shortest.checks);
    expect(Math.min(...summary.checks['causal-delivery'].violations.map((v: { tUs: number }) => v.tUs)) / 1000).toBe(shortest.firstFailureMs);
  });

  it('stops cleanly on Ctrl-C: the seeds under way finish, the workers end, and the process exits 130', async () => {
    const dir = tempDir();
    const child = startCli(['hunt', CAUSAL, '--seeds', '1..10000', '--parallel', '2', '--db', path.join(dir, 'runs.db'), '--json']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const progressed = new Promise<void>((resolve) =>
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (/^progress [1-9]/m.test(stderr)) resolve();
      }),
    );
    await progressed;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupted: finishing the seeds under way and starting no more');
    const hunt = lastJsonLine(stdout);
    expect(hunt).toMatchObject({ running: false, stoppedEarly: true, shrunk: null });
    expect(hunt.done).toBeLessThan(10_000);
  });

  it('finds the unsafe async primary-backup within 5 seeds (the first at seed 5), under committed-not-lost, and stops there with --stop-at-first', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = await runCliAsync(['hunt', PRIMARY_BACKUP, '--seeds', '1..8', '--stop-at-first', '--db', db]);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stdout).toMatch(/^hunt primary-backup-async-partition: seeds 1\.\.8, 5 of 8 run \(stopped early\): 1 failing, 0 stopped on an exception$/m);
    expect(out.stdout).toMatch(/^ {2}committed-not-lost: 1 seed: 5$/m);
    expect(out.stdout).toMatch(/^shortest failing run: seed 5, run 1 /m);
    expect(out.stdout).toMatch(/open it in the lab at #\/runs\/1\?t=\d+\.\d+s: distlab serve --db /);
    const shrunk = /^shrunk \(([\w-]+) still failing with seed 5\): (\d+) faults → (\d+), ([\d.]+) s → ([\d.]+) s; recorded as run 2$/m.exec(out.stdout);
    expect(shrunk, out.stdout).not.toBeNull();
    const [, , faultsBefore, faultsAfter, before, after] = shrunk!;
    expect(Number(faultsAfter) < Number(faultsBefore) || Number(after) < Number(before)).toBe(true);
    expect(out.stderr).toMatch(/^seed 5: .*committed-not-lost failed/m);
    expect(runsIn(db)).toBe(2);
  });

  it('refuses bad input with exit code 2, naming the field, and records nothing; the correct causal broadcast passes with exit code 0', async () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      const at = path.join(dir, name);
      writeFileSync(at, text);
      return at;
    };
    const causal = readFileSync(CAUSAL, 'utf8');
    const badRate = write('rate.yaml', causal.replace('cut: 0.3', 'cut: 1.5'));
    const command = write('command.yaml', 'name: external\nduration: 1s\nnodes: { count: 2, command: [python3, echo.py] }\n');
    const correct = write('correct.yaml', causal.replace('params: { delivery: on-arrival }', 'params: { delivery: causal }'));
    const db = path.join(dir, 'runs.db');
    const [passing, ...outs] = await Promise.all([
      runCliAsync(['hunt', correct, '--seeds', '1..3', '--db', db]),
      runCliAsync(['hunt', CAUSAL, '--seeds', '10..1', '--db', db]),
      runCliAsync(['hunt', CAUSAL, '--seeds', '..', '--db', db]),
      runCliAsync(['hunt', badRate, '--seeds', '1..3', '--db', db]),
      runCliAsync(['hunt', command, '--seeds', '1..3', '--db', db]),
    ]);
    for (const out of outs) expect(out.code, out.stderr).toBe(2);
    const [reversed, empty, rate, external] = outs.map((out) => out.stderr);
    expect(reversed).toContain('distlab: --seeds: the range "10..1" is reversed, so it holds no seed');
    expect(empty).toContain('distlab: --seeds: the range is empty');
    expect(rate).toContain('faults.random.cut: expected a chance per second of virtual time from 0 to 1, got 1.5');
    expect(external).toContain('nodes.command: "python3 echo.py" is an external command, which cannot be simulated');
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.stdout).toBe('hunt causal-broadcast-on-arrival: seeds 1..3, 3 of 3 run: 0 failing, 0 stopped on an exception\n');
    expect(runsIn(db)).toBe(0);
  });
});
