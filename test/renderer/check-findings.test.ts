import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../core/checks/linearizability.js';
import { checkTransactions } from '../../core/checks/elle/check.js';
import type { HistoryOp } from '../../core/checks/history.js';
import { anomalySteps, linearizabilityTimeline, microOpsText } from '../../renderer/src/components/run/checks/findings.js';
import { checkLines } from '../../renderer/src/components/run/summary-view.js';

let nextId = 1;
const op = (client: string, f: string, invokeMs: number, completeMs: number | null, detail: Record<string, unknown>, outcome: HistoryOp['outcome'] = 'ok'): HistoryOp => ({
  id: nextId++,
  client,
  node: 'n1',
  f,
  invokeUs: invokeMs * 1000,
  completeUs: completeMs === null ? null : completeMs * 1000,
  outcome,
  detail,
});

describe('the findings of the checkers, as the run view draws them', () => {
  it('draws a stale read as a timeline per client, the blocking read marked, unanswered ops running on', () => {
    const history = [
      op('c1', 'write', 0, 10, { key: 'x', value: 1 }),
      op('c2', 'write', 20, 30, { key: 'x', value: 2 }),
      op('c3', 'write', 25, null, { key: 'x', value: 9 }, 'unknown'),
      op('c1', 'read', 40, 50, { key: 'x', value: 1 }),
    ];
    const result = checkLinearizability(history);
    expect(result.verdict).toBe('invalid');
    const t = linearizabilityTimeline(result.failure!);
    expect(t.clients).toEqual(['c1', 'c2', 'c3']);
    const blocking = t.bars.find((b) => b.blocking)!;
    expect(blocking.label).toBe('r 1');
    expect(blocking.op.client).toBe('c1');
    const unknown = t.bars.find((b) => b.op.client === 'c3');
    if (unknown) expect(unknown).toMatchObject({ open: true, x1: 1 });
    for (const b of t.bars) expect(b.x0).toBeLessThanOrEqual(b.x1);
    // The summary lists the numbers; the failure is drawn, not printed as an example.
    const [line] = checkLines({ linearizability: result as never });
    expect(line).toMatchObject({ name: 'linearizability', valid: false, unknown: false });
    expect(line.numbers).not.toContain('failure');
  });

  it('draws a write cycle as its transactions with the dependency from each to the next', () => {
    const history = [
      op('c1', 'txn', 0, 10, { txn: [['append', 'x', 1], ['append', 'y', 1]], result: [['append', 'x', 1], ['append', 'y', 1]] }),
      op('c2', 'txn', 0, 10, { txn: [['append', 'x', 2], ['append', 'y', 2]], result: [['append', 'x', 2], ['append', 'y', 2]] }),
      op('c3', 'txn', 20, 30, { txn: [['r', 'x', null], ['r', 'y', null]], result: [['r', 'x', [1, 2]], ['r', 'y', [2, 1]]] }),
    ];
    const result = checkTransactions(history, { workload: 'list-append', consistencyModels: ['serializable'] });
    expect(result.verdict).toBe('invalid');
    const g0 = result.anomalies.find((a) => a.type === 'G0')!;
    const steps = anomalySteps(g0);
    expect(steps).toHaveLength(2);
    expect(steps.every((s) => s.edge?.startsWith('ww: wrote before'))).toBe(true);
    expect(microOpsText(steps[0].txn.ops)).toMatch(/^append "x" [12], append "y" [12]$/);
    expect(microOpsText([['r', 'x', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]])).toBe('r "x" [1,2,…4 more…,7,8,9,10]');
  });

  it('links the operations a finding names (opId, opIds) to the replay', () => {
    const [line] = checkLines({ 'unique-ids': { valid: false, duplicates: [{ id: 'n1-3', opIds: [4, 9] }, { id: 'n2-1', opIds: [5, 5] }], reads: [{ node: 'n1', opId: 12 }] } });
    expect(line.examples).toHaveLength(3);
    expect(line.exampleOps).toEqual([[4, 9], [5], [12]]);
  });

  it('shows a check that gave up as unknown, not valid', () => {
    const [line] = checkLines({ linearizability: { valid: true, verdict: 'unknown', reason: 'gave up after 5 s' } });
    expect(line).toMatchObject({ valid: true, unknown: true });
  });
});
