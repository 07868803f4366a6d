// The ring view's fold: the newest view's placement and arcs, and each node's reported keys
// at the cursor, so moving the cursor across a join shows keys changing owner.
import { describe, expect, it } from 'vitest';
import type { NodeEventPoint } from '../../core/api/contract.js';
import { keyPosition } from '../../core/protocols/sharding/hash.js';
import { shardRingAt } from '../../renderer/src/components/charts/derive/shard-ring.js';

const ring = (ms: number, node: string, members: string[]): NodeEventPoint => [ms, node, 'state', { key: 'ring', value: { placement: 'ring', vnodes: 4, replicas: 1, members } }];
const keys = (ms: number, node: string, owned: unknown[]): NodeEventPoint => [ms, node, 'state', { key: 'keys', value: { owned, held: owned.length } }];

describe('shardRingAt', () => {
  const events: NodeEventPoint[] = [
    ring(0, 'n1', ['n1', 'n2']),
    ring(0, 'n2', ['n1', 'n2']),
    keys(100, 'n1', [1, 2, 3]),
    keys(100, 'n2', [4]),
    ring(500, 'n3', ['n1', 'n2', 'n3']),
    keys(600, 'n1', [1]),
    keys(650, 'n3', [2, 3]),
  ];

  it('before any view there is nothing to draw', () => {
    expect(shardRingAt([], null)).toBeNull();
  });

  it('before the join: two members, V arcs each covering the ring, keys by their reporting owner', () => {
    const at = shardRingAt(events, 200)!;
    expect(at.placement.members).toStrictEqual(['n1', 'n2']);
    expect(at.arcs).toHaveLength(8);
    // Consecutive arcs meet: each starts where the one before it ends.
    at.arcs.forEach((arc, i) => expect(arc.from).toBe(at.arcs[(i + 7) % 8].to));
    expect(at.keysPerNode).toStrictEqual({ n1: 3, n2: 1 });
    expect(at.ideal).toBe(2);
    expect(at.keys.find((k) => k.key === 2)).toStrictEqual({ key: 2, position: keyPosition(2), owner: 'n1' });
  });

  it('during and after the hand-over: the new member, and keys moving to it', () => {
    expect(shardRingAt(events, 620)!.keysPerNode).toStrictEqual({ n1: 1, n2: 1, n3: 0 });
    const after = shardRingAt(events, null)!;
    expect(after.placement.members).toStrictEqual(['n1', 'n2', 'n3']);
    expect(after.arcs).toHaveLength(12);
    expect(after.keysPerNode).toStrictEqual({ n1: 1, n2: 1, n3: 2 });
    expect(after.keys.filter((k) => k.owner === 'n3').map((k) => k.key)).toStrictEqual([2, 3]);
  });
});

describe('nodeShardAt (the inspector)', () => {
  it('gives the node\'s own view and counts at the cursor, and nothing for a node without a ring', async () => {
    const { nodeShardAt } = await import('../../renderer/src/components/inspector/node-shard.js');
    const events: NodeEventPoint[] = [
      [0, 'n1', 'state', { key: 'ring', value: { placement: 'ring', vnodes: 2, members: ['n1', 'n2'], points: [5, 9] } }],
      [10, 'n1', 'state', { key: 'keys', value: { owned: [1, 2], held: 3 } }],
      [20, 'n1', 'state', { key: 'keys', value: { owned: [1], held: 1 } }],
    ];
    expect(nodeShardAt('n1', events, 15)).toStrictEqual({ placement: 'ring', points: 2, members: ['n1', 'n2'], owned: 2, held: 3 });
    expect(nodeShardAt('n1', events, Infinity)).toMatchObject({ owned: 1, held: 1 });
    expect(nodeShardAt('n2', events, Infinity)).toBeNull();
  });
});
