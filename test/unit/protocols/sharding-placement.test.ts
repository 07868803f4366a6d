// Placement without processes: the ring, virtual nodes, replicas, and how many keys a join
// or a leave moves under each placement.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planSweep } from '../../../core/experiment/sweep.js';
import { programNames } from '../../../core/programs/registry.js';
import { loadSpread } from '../../../core/analysis/load-spread.js';
import { keyPosition } from '../../../core/protocols/sharding/hash.js';
import { holdersOf, ownerOf, placementOf, pointsOf, type Placement, type PlacementKind } from '../../../core/protocols/sharding/placement.js';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const KEYS = Array.from({ length: 10_000 }, (_, i) => i);

function keysPerNode(placement: Placement): number[] {
  const counts = new Map(placement.members.map((m) => [m, 0]));
  for (const key of KEYS) counts.set(ownerOf(placement, key)!, counts.get(ownerOf(placement, key)!)! + 1);
  return [...counts.values()];
}

const movedKeys = (before: Placement, after: Placement) => KEYS.filter((key) => ownerOf(before, key) !== ownerOf(after, key)).length;

describe('the ring', () => {
  it('gives each node V points, and a key to the node of the first point at or clockwise after it', () => {
    const ring = placementOf('ring', nodes(4), 8, 1);
    expect(ring.points).toHaveLength(32);
    for (const node of nodes(4)) expect(pointsOf(ring, node)).toHaveLength(8);
    for (const key of KEYS.slice(0, 200)) {
      const position = keyPosition(key);
      const next = ring.points.find((p) => p.position >= position) ?? ring.points[0];
      expect(ownerOf(ring, key)).toBe(next.node);
    }
  });

  it('is the same whatever order the members are given in', () => {
    const a = placementOf('ring', ['n3', 'n1', 'n2', 'n10'], 16, 2);
    const b = placementOf('ring', ['n10', 'n2', 'n3', 'n1'], 16, 2);
    expect(a.members).toStrictEqual(['n1', 'n2', 'n3', 'n10']);
    for (const key of KEYS.slice(0, 500)) expect(holdersOf(a, key)).toStrictEqual(holdersOf(b, key));
  });

  it('puts each key on R distinct nodes, the owner first, and on all of them when R > N', () => {
    const ring = placementOf('ring', nodes(5), 16, 3);
    for (const key of KEYS.slice(0, 500)) {
      const holders = holdersOf(ring, key);
      expect(new Set(holders).size).toBe(3);
      expect(holders[0]).toBe(ownerOf(ring, key));
    }
    expect(new Set(holdersOf(placementOf('ring', nodes(2), 4, 3), 7))).toStrictEqual(new Set(['n1', 'n2']));
  });

  it('spreads the load more evenly with more virtual nodes', () => {
    const spread = (vnodes: number) => loadSpread(keysPerNode(placementOf('ring', nodes(5), vnodes, 1)))!;
    const one = spread(1);
    const many = spread(256);
    expect(one.total).toBe(KEYS.length);
    expect(one.maxOverMean).toBeGreaterThan(1.4);
    expect(many.maxOverMean).toBeLessThan(1.15);
    expect(many.relativeStdDev).toBeLessThan(one.relativeStdDev / 3);
  });
});

describe('keys moved by a membership change', () => {
  const K = KEYS.length;
  const change = (kind: PlacementKind, from: string[], to: string[]) =>
    movedKeys(placementOf(kind, from, 64, 1), placementOf(kind, to, 64, 1));

  it('ring, join: about K/N move, all of them to the new node', () => {
    const before = placementOf('ring', nodes(5), 64, 1);
    const after = placementOf('ring', nodes(6), 64, 1);
    const moved = KEYS.filter((key) => ownerOf(before, key) !== ownerOf(after, key));
    expect(moved.length).toBeGreaterThan((K / 6) * 0.7);
    expect(moved.length).toBeLessThan((K / 6) * 1.3);
    expect(new Set(moved.map((key) => ownerOf(after, key)))).toStrictEqual(new Set(['n6']));
  });

  it('ring, leave: exactly the leaving node\'s keys move', () => {
    const before = placementOf('ring', nodes(5), 64, 1);
    const owned = KEYS.filter((key) => ownerOf(before, key) === 'n2').length;
    expect(change('ring', nodes(5), ['n1', 'n3', 'n4', 'n5'])).toBe(owned);
    expect(owned).toBeGreaterThan((K / 5) * 0.7);
  });

  it('modulo: nearly all keys move, about K·(1 − 1/N)', () => {
    const join = change('modulo', nodes(5), nodes(6));
    const leave = change('modulo', nodes(5), ['n1', 'n3', 'n4', 'n5']);
    expect(join).toBeGreaterThan(K * (1 - 1 / 6) * 0.9);
    expect(leave).toBeGreaterThan(K * (1 - 1 / 5) * 0.9);
    expect(join).toBeGreaterThan(4 * change('ring', nodes(5), nodes(6)));
  });
});

describe('the shipped sweep over V', () => {
  it('plans a valid run for every vnodes value, each repeated with the same seeds', () => {
    const file = path.join(import.meta.dirname, '../../../resources/sweeps/sharded-kv-vnodes.yaml');
    const plan = planSweep(parse(readFileSync(file, 'utf8')), { source: file, programs: programNames() });
    expect(plan.axes.map((a) => [a.path, a.values])).toStrictEqual([['nodes.params.vnodes', [1, 4, 16, 64]]]);
    expect(plan.combinations).toHaveLength(4);
  });
});
