// Both checkers on the benchmarks' generated histories (real executions, so consistent),
// at a size a unit test affords: no false alarms, and the planted or injected faults caught.
import { describe, it, expect } from 'vitest';
import { checkLinearizability } from '../../core/checks/linearizability.js';
import { checkTransactions } from '../../core/checks/elle/check.js';
import { generateLinKvHistory } from '../../bench/linearizability.js';
import { generateListAppendHistory } from '../../bench/elle.js';

describe('checkers on generated histories', () => {
  it('finds a real register history linearizable, and not once one read sees a value never written', () => {
    const history = generateLinKvHistory(3000, 3, 6, 11);
    expect(checkLinearizability(history)).toMatchObject({ verdict: 'valid', keys: 3 });
    const victim = history.findIndex((h, i) => i > 1500 && h.f === 'read' && h.outcome === 'ok');
    const corrupted = history.map((h, i) => (i === victim ? { ...h, detail: { ...h.detail, value: 'never written' } } : h));
    const r = checkLinearizability(corrupted);
    expect(r).toMatchObject({ verdict: 'invalid', failure: { key: history[victim].detail.key, blockingOp: { id: history[victim].id, value: 'never written' } } });
  });

  it('finds exactly the planted G-single and G1c in a list-append history, and nothing without them', () => {
    const { history, planted } = generateListAppendHistory(5000, 10, 5, 12);
    const r = checkTransactions(history, { workload: 'list-append' });
    expect(r.forbidden.sort()).toEqual(['G-single', 'G1c']);
    const cycleIds = (type: string) => r.anomalies.filter((a) => a.type === type).map((a) => a.cycle!.map((e) => e.from).sort((x, y) => x - y));
    expect(cycleIds('G-single')).toEqual([planted.gSingle]);
    expect(cycleIds('G1c')).toEqual([planted.g1c]);
    const clean = history.filter((h) => !planted.gSingle.includes(h.id) && !planted.g1c.includes(h.id));
    expect(checkTransactions(clean, { workload: 'list-append' })).toMatchObject({ valid: true, anomalyTypes: [] });
  });
});
