// Random faults in the experiment file: checked like every field, drawn from the seed into a
// concrete list before a run, the same list for the same seed in either mode, and kept in the
// run's stored experiment.
import { describe, it, expect } from 'vitest';
import { ExperimentError, parseExperimentText } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { faultEpisodes, withRandomFaults } from '../../core/experiment/random-faults.js';
import { experimentYaml } from '../../core/api/experiment-text.js';
import { ScratchStore, simulateSeed } from '../../core/simulation/simulate-seed.js';
import type { Experiment } from '../../core/experiment/types.js';
import { Run } from '../../core/engine/run.js';
import { SimRun } from '../../core/simulation/sim-run.js';

const file = (faults: string, extra = '') => `name: chaos
seed: 7
duration: 10s
nodes: { count: 3, program: echo }
${extra}faults:
${faults}
`;

const parse = (text: string, mode?: 'simulate'): Experiment => parseExperimentText(text, { source: 'f.yaml', programs: programNames(), ...(mode && { mode }) });

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ExperimentError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const RANDOM = '  random: { kill: 0.3, pause: 0.2, partition: 0.2, cut: 0.2, loss: 0.2, restart: 0.1 }\n  lasts: 500ms';

describe('faults.random', () => {
  it('refuses a rate outside [0, 1], an unknown kind and a partition of one node, naming the field', () => {
    expect(problems(file('  random: { kill: 1.5 }'))).toStrictEqual(['faults.random.kill: expected a chance per second of virtual time from 0 to 1, got 1.5']);
    expect(problems(file('  random: { pause: -0.1 }'))).toStrictEqual(['faults.random.pause: expected a chance per second of virtual time from 0 to 1, got -0.1']);
    expect(problems(file('  random: { kil: 0.1 }'))[0]).toMatch(/^faults\.random: unknown key "kil" \(did you mean "kill"\?\); known keys are kill, restart, pause, partition, cut, loss$/);
    expect(problems(file('  random: { kill: 0.1 }\n  lasts: 0'))).toStrictEqual(['faults.lasts: expected a duration greater than 0, got 0']);
    expect(problems(file('  random: { partition: 0.1 }').replace('count: 3', 'count: 1'))).toStrictEqual(['faults.random.partition: a partition needs at least 2 nodes, and there is 1']);
    // Fixed faults beside random ones are checked at their own path.
    expect(problems(file('  random: { kill: 0.1 }\n  schedule: [{ at: 1s, kill: n9 }]'))).toStrictEqual(['faults.schedule[0].kill: unknown node "n9" (nodes are n1..n3)']);
  });

  it('draws the same concrete schedule for the same seed, another for another seed, and keeps the fixed faults', () => {
    const experiment = parse(file(`${RANDOM}\n  schedule: [{ at: 2s, kill: n1 }]`));
    expect(experiment.randomFaults).toStrictEqual({ rates: { kill: 0.3, restart: 0.1, pause: 0.2, partition: 0.2, cut: 0.2, loss: 0.2 }, lastsMs: 500 });
    const drawn = withRandomFaults(experiment);
    expect(drawn.randomFaults).toBeUndefined();
    expect(drawn.faults.length).toBeGreaterThan(5);
    expect(withRandomFaults(experiment)).toStrictEqual(drawn);
    // A run draws them itself, real or simulated, so no way of starting one can skip it.
    expect(new Run(experiment, '/nonexistent/runs.db').experiment).toStrictEqual(drawn);
    expect(new SimRun(experiment, '/nonexistent/runs.db').experiment).toStrictEqual(drawn);
    expect(withRandomFaults({ ...experiment, seed: 8 }).faults).not.toStrictEqual(drawn.faults);
    expect(drawn.faults).toContainEqual({ atMs: 2000, action: { kind: 'kill', nodes: ['n1'] } });
    expect(drawn.faults.map((f) => f.atMs)).toStrictEqual([...drawn.faults.map((f) => f.atMs)].sort((a, b) => a - b));
    for (const fault of drawn.faults) expect(fault.atMs).toBeLessThanOrEqual(experiment.durationMs);
    // Each fault is ended after `lasts`: a kill by a restart, a pause by a resume, a partition or cut by a heal, a loss burst
    // by the network's own loss. An end after the run is left out, but a loss burst's, which ends with the run.
    for (const episode of faultEpisodes(experiment).filter((e) => e.kind !== 'fixed' && e.kind !== 'restart')) {
      const due = episode.start.atMs + 500;
      if (due <= experiment.durationMs) expect(episode.end!.atMs).toBe(due);
      else if (episode.kind === 'loss') expect(episode.end!.atMs).toBe(experiment.durationMs);
      else expect(episode.end).toBeUndefined();
    }
    const ends = Object.fromEntries(faultEpisodes(experiment).filter((e) => e.end).map((e) => [e.start.action.kind, e.end!.action.kind]));
    expect(ends).toMatchObject({ kill: 'restart', pause: 'resume', partition: 'heal', cut: 'heal', 'change-link': 'change-link' });
  });

  it('draws the same schedule in real and simulated mode, and a lower rate only removes faults', () => {
    const text = file(RANDOM);
    expect(withRandomFaults(parse(text, 'simulate')).faults).toStrictEqual(withRandomFaults(parse(text)).faults);
    const lower = withRandomFaults(parse(text.replace('kill: 0.3', 'kill: 0.1'))).faults;
    const all = withRandomFaults(parse(text)).faults;
    for (const fault of lower) expect(all).toContainEqual(fault);
    expect(lower.length).toBeLessThan(all.length);
    expect(withRandomFaults(parse(file('  random: { kill: 0 }'))).faults).toStrictEqual([]);
  });

  it('writes random faults back as they were, and a drawn schedule as a list that loads to the same faults', () => {
    const experiment = parse(file(RANDOM));
    expect(parse(experimentYaml(experiment)).randomFaults).toStrictEqual(experiment.randomFaults);
    const drawn = withRandomFaults(experiment);
    const text = experimentYaml(drawn);
    expect(text).not.toContain('random');
    expect(parse(text).faults).toStrictEqual(drawn.faults);
  });

  it('records the concrete list in a simulated run of the seed', async () => {
    const experiment = parse(file(RANDOM, 'workload: { kind: echo, rate: 20 }\n').replace('duration: 10s', 'duration: 2s'), 'simulate');
    const scratch = new ScratchStore();
    try {
      const outcome = await simulateSeed(experiment, 11, scratch);
      expect(outcome.status).toBe('completed');
      const db = scratch.current!;
      const stored = JSON.parse(db.prepare('select experiment_json from runs order by id desc limit 1').pluck().get() as string) as Experiment;
      expect(stored.randomFaults).toBeUndefined();
      expect(stored.faults).toStrictEqual(withRandomFaults({ ...experiment, seed: 11 }).faults);
      expect(stored.faults.length).toBeGreaterThan(0);
      const recorded = db.prepare("select count(*) from faults where run_id = (select max(id) from runs) and source = 'schedule'").pluck().get() as number;
      expect(recorded).toBeGreaterThanOrEqual(stored.faults.length);
    } finally {
      scratch.close();
    }
  });
});
