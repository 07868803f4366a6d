// distlab sweep on real processes: one run per combination and repeat, grouped under one
// sweep id, with each combination's measurements; bad sweeps refused before any run.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir, lastJsonLine } from './helpers.js';

const sweepYaml = (sweep: string) => `name: sweep-echo
seed: 5
duration: 1s
nodes: { count: 2, program: echo }
workload: { kind: echo, rate: 40, clients: 2, timeout: 200ms }
sweep:
${sweep}
`;

function setUp(sweep: string) {
  const dir = tempDir();
  const file = path.join(dir, 'sweep.yaml');
  writeFileSync(file, sweepYaml(sweep));
  return { file, db: path.join(dir, 'runs.db') };
}

describe('distlab sweep', () => {
  it('runs the cross product, repeats each combination with consecutive seeds, and groups the runs', () => {
    const { file, db } = setUp('  network.loss: [0, 0.5]\n  repeat: 2');
    const out = runCli(['sweep', file, '--db', db, '--json'], { timeoutMs: 60_000 });
    expect(out.code).toBe(0);
    const result = lastJsonLine(out.stdout);
    expect(result).toMatchObject({ sweepId: 1, status: 'completed', seed: 5, repeat: 2 });
    expect(result.combinations.map((c: { values: unknown }) => c.values)).toEqual([{ 'network.loss': 0 }, { 'network.loss': 0.5 }]);
    for (const c of result.combinations) {
      expect(c.runIds).toHaveLength(2);
      expect(c.seeds).toEqual([5, 6]);
      expect(c.statuses).toEqual(['completed', 'completed']);
      expect(c.measurements.opsOk.median).toBeGreaterThan(0);
    }
    // Half the messages lost: fewer operations succeed than without loss.
    expect(result.combinations[1].measurements.opsOk.median).toBeLessThan(result.combinations[0].measurements.opsOk.median);
    const read = new Database(db, { readonly: true });
    expect(read.prepare('select count(*) from sweep_runs where sweep_id = 1').pluck().get()).toBe(4);
    expect(read.prepare("select status from sweeps where id = 1").pluck().get()).toBe('completed');
    expect(read.prepare('select name from runs order by id').pluck().all()).toEqual(['sweep-echo [network.loss=0]', 'sweep-echo [network.loss=0]', 'sweep-echo [network.loss=0.5]', 'sweep-echo [network.loss=0.5]']);
    read.close();
  });

  it('refuses an invalid sweep before anything runs, naming the field', () => {
    const missing = setUp('  network.lss: [0, 0.5]');
    const notAField = runCli(['sweep', missing.file, '--db', missing.db]);
    expect(notAField.code).toBe(2);
    expect(notAField.stderr).toContain('sweep (network.lss = 0): network: unknown key "lss"');
    const empty = setUp('  network.loss: []');
    expect(runCli(['sweep', empty.file, '--db', empty.db]).stderr).toContain('sweep.network.loss: expected a non-empty list of values');
    const rejected = setUp('  network.loss: [0, 7]');
    const out = runCli(['sweep', rejected.file, '--db', rejected.db]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('sweep (network.loss = 7): network.loss:');
    // Nothing was recorded for any of them.
    for (const db of [missing.db, empty.db, rejected.db]) expect(runCli(['runs', '--db', db]).stdout).toContain('no runs recorded');
    const plainRun = runCli(['run', rejected.file, '--db', rejected.db]);
    expect(plainRun.code).toBe(2);
    expect(plainRun.stderr).toContain('run it with distlab sweep FILE');
  });
});
