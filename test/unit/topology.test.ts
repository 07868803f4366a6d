import { describe, it, expect } from 'vitest';
import { Topology, applyPartitionPattern } from '../../core/engine/topology.js';
import { createRng } from '../../core/engine/prng.js';

const blocked = (t: Topology) => t.blockedPairs().map(([a, b]) => `${a}>${b}`).sort();

describe('partitions and cuts', () => {
  it('blocks both directions between groups, and leaves unnamed addresses connected', () => {
    const t = new Topology(5);
    t.partition([[1], [2, 3]]);
    expect(blocked(t)).toEqual(['1>2', '1>3', '2>1', '3>1']);
    expect(t.isBlocked(1, 4)).toBe(false);
    expect(t.isBlocked(2, 3)).toBe(false);
  });

  it('replaces the previous partition, while cuts add up until heal', () => {
    const t = new Topology(4);
    t.partition([[1], [2]]);
    t.cutOneWay([3], [1]);
    t.partition([[1, 2], [3]]);
    expect(blocked(t)).toEqual(['1>3', '2>3', '3>1', '3>2']);
    t.cutOneWay([1], [2]);
    expect(t.isBlocked(1, 2)).toBe(true);
    expect(t.isBlocked(2, 1)).toBe(false);
    t.heal();
    expect(blocked(t)).toEqual([]);
  });

  it('draws the Jepsen patterns from the seed', () => {
    const nodes = [1, 2, 3, 4, 5];
    const one = new Topology(6);
    const groups = applyPartitionPattern(one, 'one', nodes, createRng(3, 'faults'));
    expect(groups[0]).toHaveLength(1);
    expect(blocked(one)).toHaveLength(2 * 4);
    const again = new Topology(6);
    expect(applyPartitionPattern(again, 'one', nodes, createRng(3, 'faults'))).toEqual(groups);

    const majority = new Topology(6);
    const [big, small] = applyPartitionPattern(majority, 'majority', nodes, createRng(1, 'faults'));
    expect([big.length, small.length]).toEqual([3, 2]);

    // Every node sees a majority (itself and two neighbours of five), and no two see the same set.
    const ring = new Topology(6);
    const views = applyPartitionPattern(ring, 'majorities-ring', nodes, createRng(2, 'faults'));
    expect(views.every((v) => v.length === 3)).toBe(true);
    expect(new Set(views.map((v) => [...v].sort().join())).size).toBe(5);
    for (const a of nodes) expect(nodes.filter((b) => b !== a && !ring.isBlocked(a, b))).toHaveLength(2);

    // The bridge reaches both halves; the halves do not reach each other.
    const bridge = new Topology(6);
    const [left, [middle], right] = applyPartitionPattern(bridge, 'bridge', nodes, createRng(4, 'faults'));
    for (const a of left) for (const b of right) expect(bridge.isBlocked(a, b)).toBe(true);
    for (const a of [...left, ...right]) expect(bridge.isBlocked(a, middle)).toBe(false);
  });
});
