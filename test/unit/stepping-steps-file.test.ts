// The `steps` key of an experiment: a stepped run's choices, checked by the schema, written
// back by the lab, and re-executed by SimRun (what `distlab run` does with a saved stepped run).
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { ExperimentError, parseExperiment, parseExperimentText } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { experimentYaml } from '../../core/api/experiment-text.js';
import { SimRun } from '../../core/simulation/sim-run.js';
import { openDatabase } from '../../core/store/database.js';

const BASE = { name: 'stepped', mode: 'simulate', seed: 3, duration: '2s', nodes: { count: 3, program: 'bully' }, network: { latency: '5ms' } };

function problems(file: Record<string, unknown>): Array<{ path: string; message: string }> {
  try {
    parseExperiment(file, { source: 'test', programs: programNames() });
  } catch (error) {
    if (error instanceof ExperimentError) return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  throw new Error('expected problems');
}

describe('the steps of a stepped run', () => {
  it('reads each form of step into one choice per step, and writes them back the same, runs of next folded', () => {
    const file = { ...BASE, steps: ['next', { next: 3 }, { deliver: 4 }, { drop: 5 }, { duplicate: 6 }, { fire: 'n2', timer: 'bully.answer' }, 'next'] };
    const experiment = parseExperiment(file, { source: 'test', programs: programNames() });
    expect(experiment.steps).toEqual([
      { kind: 'next' },
      { kind: 'next' },
      { kind: 'next' },
      { kind: 'next' },
      { kind: 'deliver', messageId: 4 },
      { kind: 'drop', messageId: 5 },
      { kind: 'duplicate', messageId: 6 },
      { kind: 'fire', node: 'n2', timer: 'bully.answer' },
      { kind: 'next' },
    ]);
    const text = experimentYaml(experiment);
    expect(text).toContain('mode: simulate\n');
    expect(text).toContain('steps:\n  - next: 4\n  - deliver: 4\n  - drop: 5\n  - duplicate: 6\n  - fire: n2\n    timer: bully.answer\n  - next\n');
    expect(parseExperimentText(text, { source: 'again', programs: programNames() })).toEqual(experiment);
  });

  it('names a bad step: its shape, a node that does not exist, and steps without mode: simulate', () => {
    expect(problems({ ...BASE, steps: ['next', { deliver: 0 }] })).toEqual([{ path: 'steps[1].deliver', message: 'expected a message id: a positive integer, got 0' }]);
    expect(problems({ ...BASE, steps: ['next', 'later'] })).toEqual([{ path: 'steps[1]', message: expect.stringMatching(/^expected a step: next, \{ next: 40 \}, \{ deliver: 12 \}/) }]);
    expect(problems({ ...BASE, steps: [{ fire: 'n9', timer: 'x' }] })).toEqual([{ path: 'steps[0].fire', message: 'there is no node "n9"; the nodes are n1, n2, n3' }]);
    expect(problems({ ...BASE, steps: 'next' })).toEqual([{ path: 'steps', message: expect.stringMatching(/^expected a list of steps/) }]);
    const { mode: _mode, ...real } = BASE;
    expect(problems({ ...real, steps: ['next'] })).toEqual([{ path: 'steps', message: 'steps are the choices of a stepped simulation: they need mode: simulate' }]);
  });

  it('runs the steps and ends the run after the last; a step that cannot be taken fails the run, naming it', async () => {
    const db = openDatabase(':memory:');
    try {
      const stepped = parseExperiment({ ...BASE, steps: [{ fire: 'n2', timer: 'bully.answer' }, { next: 5 }] }, { source: 'test', programs: programNames() });
      const run = new SimRun(stepped, db);
      const summary = await run.execute();
      // The answer timer fired early, at 100 ms; the messages due at 5 ms then arrive at 100 ms: time never goes back.
      expect(summary).toMatchObject({ status: 'completed', durationMs: 100, problems: [] });
      expect(summary.simulation!.events).toBe(6);
      expect(summary.checks['record-consistent']).toMatchObject({ valid: true });
      const fates = db.prepare("SELECT fate, count(*) AS n FROM messages WHERE run_id = ? GROUP BY fate ORDER BY fate").all(run.runId);
      expect(fates).toEqual([
        { fate: 'delivered', n: 5 },
        { fate: 'in-flight-at-end', n: expect.any(Number) },
      ]);

      const bad = parseExperiment({ ...BASE, steps: ['next', { drop: 999 }] }, { source: 'test', programs: programNames() });
      const failed = await new SimRun(bad, db).execute();
      expect(failed.status).toBe('failed');
      expect(failed.problems).toEqual(['steps: step 2 cannot be taken: message #999 is not in flight: it was delivered or dropped already, or never sent']);
    } finally {
      db.close();
    }
  });
});
