import { describe, it, expect } from 'vitest';
import { parseExperiment } from '../../core/experiment/load.js';

const opts = { source: 'x.yaml', programs: ['echo'] };
const base = { name: 'x', duration: '5s', nodes: { count: 3, program: 'echo' } };

describe('services in an experiment file', () => {
  it('may be partitioned from nodes, cut, and given their own links', () => {
    const experiment = parseExperiment(
      {
        ...base,
        network: { links: [{ from: 'n1', to: 'lin-kv', latency: '20ms' }] },
        faults: [
          { at: '1s', partition: [['n1'], ['lin-kv', 'seq-kv']] },
          { at: '2s', cut: { from: 'lww-kv', to: ['n2', 'n3'] } },
        ],
      },
      opts,
    );
    expect(experiment.faults.map((f) => f.action)).toEqual([
      { kind: 'partition', groups: [['n1'], ['lin-kv', 'seq-kv']] },
      { kind: 'cut', from: ['lww-kv'], to: ['n2', 'n3'] },
    ]);
  });

  it('are not processes: killing one is refused, naming it as a service', () => {
    expect(() => parseExperiment({ ...base, faults: [{ at: '1s', kill: 'lin-kv' }] }, opts)).toThrow(
      'x.yaml: faults[0].kill: unknown node "lin-kv" ("lin-kv" is a service, and this fault acts on node processes; nodes are n1..n3)',
    );
  });

  it('are named in the error for a misspelt one in a partition', () => {
    expect(() => parseExperiment({ ...base, faults: [{ at: '1s', partition: [['n1'], ['linkv']] }] }, opts)).toThrow(
      'x.yaml: faults[0].partition[1]: unknown node "linkv" (nodes are n1..n3; services are lin-kv, seq-kv, lww-kv, lin-tso)',
    );
  });
});

describe('workload.availability (Maelstrom’s --availability)', () => {
  const withAvailability = (availability: unknown) => parseExperiment({ ...base, workload: { kind: 'echo', availability } }, opts).workload.availability;

  it('takes total as 1, or a fraction, and leaves it unset otherwise', () => {
    expect(withAvailability('total')).toBe(1);
    expect(withAvailability(0.9)).toBe(0.9);
    expect(parseExperiment({ ...base, workload: { kind: 'echo' } }, opts).workload.availability).toBeUndefined();
  });

  it('rejects anything else, naming the field', () => {
    expect(() => withAvailability(1.5)).toThrow('x.yaml: workload.availability: expected total (every operation must succeed) or a fraction from 0 to 1, got 1.5');
    expect(() => withAvailability('all')).toThrow('workload.availability: expected total');
  });
});
