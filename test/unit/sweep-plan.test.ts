// A sweep's plan: the cross product of its values, each repeated with its own seed, and every
// mistake in the sweep section found before anything runs.
import { describe, it, expect } from 'vitest';
import { planSweep } from '../../core/experiment/sweep.js';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';

const opts = { source: 'sweep.yaml', programs: programNames() };
const file = (sweep: unknown) => ({ name: 'fd', seed: 10, duration: '1s', nodes: { count: 3, program: 'phi-accrual' }, sweep });

describe('planSweep', () => {
  it('crosses every value of every path, and repeats each combination with seeds seed, seed + 1, …', () => {
    const plan = planSweep(file({ 'nodes.params.threshold': [4, 8, 12], 'network.loss': [0, 0.1], repeat: 2 }), opts);
    expect(plan.combinations).toHaveLength(6);
    expect(plan.combinations.map((c) => c.values)).toEqual([
      { 'nodes.params.threshold': 4, 'network.loss': 0 },
      { 'nodes.params.threshold': 4, 'network.loss': 0.1 },
      { 'nodes.params.threshold': 8, 'network.loss': 0 },
      { 'nodes.params.threshold': 8, 'network.loss': 0.1 },
      { 'nodes.params.threshold': 12, 'network.loss': 0 },
      { 'nodes.params.threshold': 12, 'network.loss': 0.1 },
    ]);
    const second = plan.combinations[3].experiments;
    expect(second.map((e) => e.seed)).toEqual([10, 11]);
    expect(second[0].nodes.params.threshold).toBe(8);
    expect(second[0].network.defaults.loss).toEqual({ kind: 'bernoulli', p: 0.1 });
    expect(second[0].name).toBe('fd [nodes.params.threshold=8 network.loss=0.1]');
  });

  it('names the field of each mistake: a path that is not in the experiment, an empty list, a value the schema rejects, a bad repeat', () => {
    expect(() => planSweep(file({ 'network.lss': [0, 0.1] }), opts)).toThrow(/sweep \(network\.lss = 0\): network: .*lss/);
    expect(() => planSweep(file({ 'network.loss': [] }), opts)).toThrow('sweep.yaml: sweep.network.loss: expected a non-empty list of values, got []');
    expect(() => planSweep(file({ 'network.loss': [0, 2] }), opts)).toThrow(/sweep \(network\.loss = 2\): network\.loss: /);
    expect(() => planSweep(file({ 'network.loss': [0], repeat: 0 }), opts)).toThrow('sweep.yaml: sweep.repeat: expected an integer from 1 to 100, got 0');
    expect(() => planSweep(file({ repeat: 2 }), opts)).toThrow('sweep.yaml: sweep: expected at least one path with a list of values');
    expect(() => planSweep(file(undefined), opts)).toThrow(/sweep: missing/);
  });

  it('is refused by a plain run, which points to distlab sweep', () => {
    expect(() => parseExperiment(file({ 'network.loss': [0] }), opts)).toThrow('sweep.yaml: sweep: this file describes a sweep of many runs: run it with distlab sweep FILE');
  });
});
