// The compare view's pure parts: the YAML line diff, alignment on a first event, the
// delivered-versus-lost matching of two runs' messages, and the table's cell formats.
import { describe, expect, it } from 'vitest';
import type { MessagePoint } from '../../core/api/contract.js';
import type { RunSeries } from '../../core/analysis/compare-series.js';
import type { CompareRow } from '../../core/analysis/compare-table.js';
import { bestIndex, diffFromFirst } from '../../core/analysis/compare-table.js';
import { diffAgainstFirst, lineChanges } from '../../renderer/src/components/compare/yaml-diff.js';
import { alignChoices, alignOffsets } from '../../renderer/src/components/compare/alignment.js';
import { fateDifferences } from '../../renderer/src/components/compare/fate-differences.js';
import { diffTone, formatCell, formatDiff } from '../../renderer/src/components/compare/table-format.js';

const series = (runId: number, firsts: Record<string, number>): RunSeries => ({ runId, durationMs: 10_000, firsts, latency: null, throughput: { ops: [], messages: [] }, suspicion: {}, lag: null, leadership: null, sides: null });
const msg = (id: number, src: string, dest: string, sendMs: number, fate: string): MessagePoint => [id, src, dest, 'ping', sendMs, fate === 'delivered' ? sendMs + 5 : null, fate, null, null];

describe('compare view', () => {
  it('marks the lines that differ from the baseline, in both columns', () => {
    expect(lineChanges(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual({ a: [false, true, false], b: [false, true, false] });
    const cols = diffAgainstFirst(['name: x\nseed: 1\nrate: 5\n', 'name: x\nseed: 1\nrate: 9\n', 'name: x\nseed: 2\nrate: 5\n']);
    expect(cols.map((c) => c.filter((l) => l.changed).map((l) => l.text))).toEqual([['seed: 1', 'rate: 5'], ['rate: 9'], ['seed: 2']]);
  });

  it('aligns each run on its own first event, and keeps a run without it at its start', () => {
    const runs = [series(1, { kill: 5000, suspect: 5400 }), series(2, { kill: 5600 }), series(3, {})];
    expect(alignChoices(runs).map((c) => c.key)).toEqual(['start', 'kill', 'suspect']);
    expect(alignOffsets(runs, 'kill')).toEqual({ offsets: [5000, 5600, 0], missing: [3] });
    expect(alignOffsets(runs, 'start')).toEqual({ offsets: [0, 0, 0], missing: [] });
  });

  it('pairs the k-th message of a link and type across runs, and marks those whose fates part', () => {
    const a = [msg(1, 'n1', 'n2', 100, 'delivered'), msg(2, 'n1', 'n2', 110, 'lost'), msg(3, 'n2', 'n1', 120, 'delivered'), msg(4, 'n1', 'n2', 130, 'delivered')];
    const b = [msg(7, 'n1', 'n2', 600, 'delivered'), msg(8, 'n1', 'n2', 611, 'delivered'), msg(9, 'n2', 'n1', 620, 'partitioned'), msg(10, 'n1', 'n2', 630, 'delivered')];
    const marked = fateDifferences([a, b], [90, 590]);
    expect([...marked[0]].sort()).toEqual([2, 3]);
    expect([...marked[1]].sort((x, y) => x - y)).toEqual([8, 9]);
  });

  it('shows best values, differences from the first and missing values as a person reads them', () => {
    const row: CompareRow = { key: 'latency.p99', group: 'latency', label: 'latency p99', unit: 'ms', better: 'lower', values: [20, 15, null, 30] };
    expect(bestIndex(row)).toBe(1);
    expect(diffFromFirst(row)).toEqual([null, -25, null, 50]);
    expect(diffFromFirst(row).map(formatDiff)).toEqual(['', '−25%', '', '+50%']);
    expect(diffTone(row, -25)).toBe('better');
    expect(diffTone(row, 50)).toBe('worse');
    expect(row.values.map(formatCell)).toEqual(['20', '15', '—', '30']);
    expect(bestIndex({ ...row, values: [3, 3] })).toBeNull();
    expect(bestIndex({ ...row, better: null })).toBeNull();
  });
});
