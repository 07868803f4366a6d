import { describe, it, expect } from 'vitest';
import { programStateAt } from '../../renderer/src/components/inspector/program-state.js';
import type { NodeEventPoint } from '../../core/api/contract.js';

const events: NodeEventPoint[] = [
  [10, 'n1', 'state', { key: 'role', value: 'leader' }],
  [20, 'n1', 'state', { key: 'replicas', value: { '1': '5 [n1:1]' } }],
  [25, 'n2', 'state', { key: 'replicas', value: { '2': '9 [n2:1]' } }],
  [30, 'n1', 'state', { key: 'hints', value: { n3: ['4', '7'] } }],
  [40, 'n1', 'state', { key: 'replicas', value: { '1': '6 [n1:2]', '3': '8 [n4:1] | 7 [n2:1]' } }],
  [50, 'n1', 'state', { key: 'hints', value: {} }],
  [60, 'n1', 'state', { key: 'mode', value: 'sync' }],
];

describe('the program state the inspector shows', () => {
  it("is each key's latest value at the cursor, objects as entries, role and the like left to their own rows", () => {
    expect(programStateAt('n1', events, 35)).toEqual([
      { key: 'hints', atMs: 30, entries: [['n3', '4, 7']], more: 0 },
      { key: 'replicas', atMs: 20, entries: [['1', '5 [n1:1]']], more: 0 },
    ]);
    expect(programStateAt('n1', events, Infinity)).toEqual([
      { key: 'hints', atMs: 50, entries: [], more: 0 },
      { key: 'mode', atMs: 60, text: 'sync' },
      { key: 'replicas', atMs: 40, entries: [['1', '6 [n1:2]'], ['3', '8 [n4:1] | 7 [n2:1]']], more: 0 },
    ]);
    expect(programStateAt('n3', events, Infinity)).toEqual([]);
  });

  it('lists at most 20 entries of one value and counts the rest', () => {
    const big = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [String(i), 'v']));
    const [row] = programStateAt('n1', [[1, 'n1', 'state', { key: 'replicas', value: big }]], Infinity);
    expect(row.entries).toHaveLength(20);
    expect(row.more).toBe(5);
  });
});
