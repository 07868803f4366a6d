import { describe, it, expect } from 'vitest';
import { appendRunData, emptyRunModel } from '../../renderer/src/run-data/run-model.js';
import { mergeTraffic } from '../../core/api/run-history.js';
import type { RunData, TrafficBucket } from '../../core/api/contract.js';

describe('the run model', () => {
  it('adds up traffic buckets that arrive in several increments, in any order', () => {
    const into: TrafficBucket[] = [];
    mergeTraffic(into, [[0, 5, 4, 0], [100, 3, 2, 0]]);
    mergeTraffic(into, [[0, 0, 1, 0], [200, 1, 0, 1]]);
    mergeTraffic(into, [[100, 0, 1, 0], [50, 1, 1, 0]]);
    expect(into).toEqual([[0, 5, 5, 0], [50, 1, 1, 0], [100, 3, 3, 0], [200, 1, 0, 1]]);
  });

  it('appends increments, keeps node states, and bumps the version', () => {
    const model = emptyRunModel(1, true);
    const slice = (untilMs: number, extra: Partial<RunData>): RunData => ({
      runId: 1, untilMs, traffic: [], operations: [], events: [], metrics: [], faults: [], messages: [], logs: [], nodes: {}, blocked: [], ...extra,
    });
    appendRunData(model, slice(100, { nodes: { n1: 'up', n2: 'starting' }, operations: [[10, 2.5, 'ok', 'n1']] }));
    appendRunData(model, slice(200, { nodes: { n2: 'up' }, blocked: [['n1', 'n2']] }));
    expect(model.nodes).toEqual({ n1: 'up', n2: 'up' });
    expect(model.operations).toHaveLength(1);
    expect(model.blocked).toEqual([['n1', 'n2']]);
    expect(model.untilMs).toBe(200);
    expect(model.version).toBe(2);
  });
});
