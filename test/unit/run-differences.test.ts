import { describe, expect, it } from 'vitest';
import { describeDifferences, runDifferences } from '../../core/analysis/run-differences.js';

// Experiments as the record keeps them (parsed, with defaults filled in).
const base = {
  name: 'fd-heartbeat-pause',
  seed: 21,
  seedWasRandom: false,
  durationMs: 12000,
  nodes: { count: 5, program: 'heartbeat', params: { intervalMs: 100 } },
  network: { defaults: { latency: { meanMs: 30 }, loss: { kind: 'bernoulli', p: 0.1 } }, links: [] },
  faults: [{ atMs: 4000, action: { kind: 'pause', nodes: ['n3'] } }],
};
const withLoss = (p: number, more: object = {}) => ({ ...base, ...more, network: { ...base.network, defaults: { ...base.network.defaults, loss: { kind: 'bernoulli', p } } } });

describe('what sets a run apart from the one before it', () => {
  it('names the changed field in short, with its old and new value; the seed is shown apart', () => {
    expect(describeDifferences(base, withLoss(0.2, { seed: 22 }))).toBe('loss.p 0.1 → 0.2');
    expect(describeDifferences(base, { ...base, seed: 5 })).toBeNull();
  });

  it('says a list changed rather than which item, and counts what does not fit', () => {
    const other = { ...withLoss(0.3), durationMs: 20000, nodes: { ...base.nodes, params: { intervalMs: 50 } }, faults: [] };
    expect(describeDifferences(base, other)).toBe('durationMs 12000 → 20000, nodes.intervalMs 100 → 50 +2 more');
    expect(describeDifferences(base, other, 9)).toContain('faults changed');
  });

  it('compares each run with the previous run of the same experiment, oldest first', () => {
    const runs = [
      { id: 3, name: 'fd-heartbeat-pause', startedAtMs: 3000, experiment: withLoss(0.2) },
      { id: 1, name: 'fd-heartbeat-pause', startedAtMs: 1000, experiment: base },
      { id: 2, name: 'raft-leader-faults', startedAtMs: 2000, experiment: { name: 'raft-leader-faults', durationMs: 22000 } },
      { id: 4, name: 'fd-heartbeat-pause', startedAtMs: 4000, experiment: withLoss(0.2) },
    ];
    expect([...runDifferences(runs)]).toEqual([[3, 'loss.p 0.1 → 0.2']]);
  });
});
