// The sharded-kv state machine without processes: routing to the owner, the hand-over of
// moved keys on a join and a leave (fed the engine's membership messages), requests for a
// key in transit, replicas, and the parameters checked before a run.
import { describe, expect, it } from 'vitest';
import { ExperimentError, parseExperimentText } from '../../../core/experiment/load.js';
import { programNames } from '../../../core/programs/registry.js';
import { ownerOf, placementOf } from '../../../core/protocols/sharding/placement.js';
import { shardedKv, type ShardedKvState } from '../../../core/protocols/sharding/sharded-kv.js';
import type { Body, Params } from '../../../core/sdk/index.js';
import { MembershipSim } from './membership-sim.js';

const FIVE = ['n1', 'n2', 'n3', 'n4', 'n5'];
const K = 300;

/** A client on the sim: requests by msg_id, replies found among the nodes' sends. */
function client(sim: MembershipSim) {
  let nextId = 1;
  const ask = (node: string, body: Body): number => {
    const id = nextId++;
    sim.inject(node, 'c1', { ...body, msg_id: id });
    return id;
  };
  const reply = (id: number) => sim.sends().find((s) => s.to === 'c1' && s.body.in_reply_to === id)?.body;
  return { ask, reply };
}

/** Writes value 1000 + k to every key k < K, each through a node chosen round robin. */
function loaded(params: Params = {}) {
  const sim = new MembershipSim(shardedKv, FIVE, params);
  const c = client(sim);
  const ids = Array.from({ length: K }, (_, key) => c.ask(FIVE[key % 5], { type: 'write', key, value: 1000 + key }));
  sim.runUntil(50);
  expect(ids.every((id) => c.reply(id)?.type === 'write_ok')).toBe(true);
  return { sim, c };
}

const owned = (sim: MembershipSim, node: string) => {
  const s = sim.stateOf<ShardedKvState>(node);
  return [...s.store.values()].filter((e) => ownerOf(s.placement, e.key) === node).length;
};
const movedSum = (sim: MembershipSim) => sim.events('keys-moved').reduce((sum, e) => sum + e.data.moved, 0);

function readsAll(sim: MembershipSim, c: ReturnType<typeof client>, nodes: string[]): void {
  const ids = Array.from({ length: K }, (_, key) => c.ask(nodes[key % nodes.length], { type: 'read', key }));
  sim.runUntil(sim.now + 50);
  expect(ids.map((id) => c.reply(id))).toStrictEqual(Array.from({ length: K }, (_, key) => expect.objectContaining({ type: 'read_ok', value: 1000 + key })));
}

describe('sharded-kv routing', () => {
  it('answers at the owner, and a node that does not own the key passes it on and relays the answer', () => {
    const sim = new MembershipSim(shardedKv, FIVE);
    const c = client(sim);
    const owner = ownerOf(placementOf('ring', FIVE, 16, 1), 7)!;
    const other = FIVE.find((n) => n !== owner)!;
    const write = c.ask(other, { type: 'write', key: 7, value: 'x' });
    sim.runUntil(10);
    expect(c.reply(write)).toMatchObject({ type: 'write_ok', in_reply_to: write });
    expect(sim.sends().some((s) => s.from === other && s.to === owner && s.body.type === 'write' && s.body.forwards === 1)).toBe(true);
    expect(sim.stateOf<ShardedKvState>(owner).store.size).toBe(1);
    expect(sim.stateOf<ShardedKvState>(other).store.size).toBe(0);
    const cas = c.ask(owner, { type: 'cas', key: 7, from: 'y', to: 'z' });
    const missing = c.ask(other, { type: 'read', key: 8 });
    sim.runUntil(20);
    expect(c.reply(cas)).toMatchObject({ type: 'error', code: 22 });
    expect(c.reply(missing)).toMatchObject({ type: 'error', code: 20 });
  });

  it('spreads the written keys over every node, each on exactly one node with R = 1', () => {
    const { sim } = loaded();
    const held = FIVE.map((n) => sim.stateOf<ShardedKvState>(n).store.size);
    expect(held.reduce((a, b) => a + b, 0)).toBe(K);
    for (const count of held) expect(count).toBeGreaterThan(K / 5 / 3);
  });
});

describe('sharded-kv hand-over', () => {
  it('ring, join: about K/N keys move to the new node, and every value is still read back at any node', () => {
    const { sim, c } = loaded({ vnodes: 64 });
    sim.join('n6');
    sim.runUntil(sim.now + 20);
    const moved = movedSum(sim);
    expect(moved).toBe(owned(sim, 'n6'));
    expect(moved).toBeGreaterThan((K / 6) * 0.6);
    expect(moved).toBeLessThan((K / 6) * 1.4);
    expect(sim.events('keys-moved').map((e) => e.data.membersAfter)).toStrictEqual(Array(6).fill(6));
    expect(sim.events('handover-complete').map((e) => e.node).sort()).toContain('n6');
    readsAll(sim, c, [...FIVE, 'n6']);
  });

  it('modulo, join: nearly all keys move, and none is lost', () => {
    const { sim, c } = loaded({ placement: 'modulo' });
    sim.join('n6');
    sim.runUntil(sim.now + 20);
    expect(movedSum(sim)).toBeGreaterThan(K * (1 - 1 / 6) * 0.85);
    readsAll(sim, c, [...FIVE, 'n6']);
  });

  it('ring, leave: exactly the leaving node\'s keys move; it keeps none and passes requests on', () => {
    const { sim, c } = loaded();
    const before = owned(sim, 'n2');
    sim.leave('n2');
    sim.runUntil(sim.now + 20);
    expect(movedSum(sim)).toBe(before);
    expect(sim.events('keys-moved').find((e) => e.node === 'n2')!.data).toMatchObject({ change: 'leave', node: 'n2', moved: before, owned: before, membersBefore: 5, membersAfter: 4 });
    expect(sim.stateOf<ShardedKvState>('n2').store.size).toBe(0);
    readsAll(sim, c, ['n2', 'n1', 'n3']);
  });

  it('refuses a request for a key in transit with error 11 and counts it, then serves it once the keys came', () => {
    const { sim, c } = loaded({ vnodes: 64 });
    const after = placementOf('ring', [...FIVE, 'n6'], 64, 1);
    const key = Array.from({ length: K }, (_, k) => k).find((k) => ownerOf(after, k) === 'n6')!;
    sim.join('n6');
    // Arrives right after the membership message, before the old owner's hand-over.
    const early = c.ask('n6', { type: 'read', key });
    sim.runUntil(sim.now + 1);
    expect(c.reply(early)).toMatchObject({ type: 'error', code: 11 });
    expect(sim.stateOf<ShardedKvState>('n6').refused).toBe(1);
    sim.runUntil(sim.now + 20);
    const later = c.ask('n6', { type: 'read', key });
    sim.runUntil(sim.now + 5);
    expect(c.reply(later)).toMatchObject({ type: 'read_ok', value: 1000 + key });
  });

  it('takes a change from a hand-over that overtook its membership message, and never goes back to an older change', () => {
    const { sim, c } = loaded();
    const join = { members: [...FIVE, 'n6'], joined: 'n6' };
    const n1 = () => sim.stateOf<ShardedKvState>('n1');
    // n2's hand-over (n2 has no key for n1 on this join) reaches n1 before the engine's message does.
    sim.join('n6', 5);
    sim.inject('n1', 'n2', { type: 'handover', entries: [], change: join });
    sim.runUntil(sim.now + 1);
    expect(n1().placement.members).toStrictEqual([...FIVE, 'n6']);
    expect(n1().awaiting.has('n2')).toBe(false);
    sim.runUntil(sim.now + 20);
    sim.leave('n3');
    sim.runUntil(sim.now + 20);
    expect(n1().placement.members).toStrictEqual(['n1', 'n2', 'n4', 'n5', 'n6']);
    // A copy of an old hand-over, late: the membership stays the newest.
    sim.inject('n1', 'n4', { type: 'handover', entries: [], change: join });
    sim.runUntil(sim.now + 5);
    expect(n1().placement.members).toStrictEqual(['n1', 'n2', 'n4', 'n5', 'n6']);
    readsAll(sim, c, ['n1', 'n6']);
  });

  it('stops waiting for an old member that never sends its keys, after handoverTimeout', () => {
    const sim = new MembershipSim(shardedKv, ['n1', 'n2'], { handoverTimeout: 100 });
    // n2 has died unannounced, so its hand-over for the join of n3 never comes.
    sim.stop('n2');
    sim.inject('n1', 'distlab', { type: 'membership', members: ['n1', 'n2', 'n3'], joined: 'n3' });
    sim.runUntil(50);
    expect(sim.stateOf<ShardedKvState>('n1').awaiting).toStrictEqual(new Set(['n2']));
    sim.runUntil(200);
    expect(sim.events('handover-timeout')).toMatchObject([{ node: 'n1', data: { missing: ['n2'] } }]);
    expect(sim.stateOf<ShardedKvState>('n1').awaiting.size).toBe(0);
  });

  it('with R = 2 every key is on two nodes, before and after a leave, and written values reach the replica', () => {
    const { sim, c } = loaded({ replicas: 2 });
    const copies = () => {
      const count = new Map<number, number>();
      for (const n of sim.members) for (const e of sim.stateOf<ShardedKvState>(n).store.values()) count.set(e.key as number, (count.get(e.key as number) ?? 0) + 1);
      return count;
    };
    expect([...copies().values()]).toStrictEqual(Array(K).fill(2));
    sim.leave('n3');
    sim.runUntil(sim.now + 20);
    expect([...copies().values()]).toStrictEqual(Array(K).fill(2));
    readsAll(sim, c, ['n1', 'n4']);
  });

  it('reports keys owned and held, the ring points it owns, and its owned keys', () => {
    const { sim } = loaded();
    sim.runUntil(sim.now + 200);
    const ring = sim.records.find((r) => r.node === 'n1' && r.output.kind === 'state' && r.output.key === 'ring')!.output;
    expect(ring).toMatchObject({ value: { placement: 'ring', vnodes: 16, members: FIVE } });
    expect((ring as { value: { points: number[] } }).value.points).toHaveLength(16);
    const last = (kind: 'metric' | 'state', name: string) =>
      sim.records.filter((r) => r.node === 'n1' && r.output.kind === kind && ('name' in r.output ? r.output.name : r.output.key) === name).at(-1)!.output;
    expect(last('metric', 'keys-owned')).toMatchObject({ value: owned(sim, 'n1') });
    expect((last('state', 'keys') as { value: { owned: unknown[] } }).value.owned).toHaveLength(owned(sim, 'n1'));
  });
});

describe('sharded-kv parameters are checked before the run', () => {
  const errors = (params: string, count = 3) => {
    try {
      parseExperimentText(`name: t\nseed: 1\nduration: 2s\nnodes: { count: ${count}, program: sharded-kv, params: ${params} }\n`, { source: 'x.yaml', programs: programNames() });
    } catch (error) {
      expect(error).toBeInstanceOf(ExperimentError);
      return (error as ExperimentError).message;
    }
    return '';
  };

  it('names nodes.params.vnodes when V < 1, and nodes.params.replicas when R exceeds the nodes', () => {
    expect(errors('{ vnodes: 0 }')).toBe('x.yaml: nodes.params.vnodes: expected an integer from 1 to 1024, got 0');
    expect(errors('{ replicas: 4 }')).toBe('x.yaml: nodes.params.replicas: 4 replicas need at least 4 nodes; this experiment has 3');
    expect(errors('{ placement: hash }')).toContain('nodes.params.placement: expected one of ring, modulo');
    expect(errors('{ replicas: 3, vnodes: 1, placement: modulo }')).toBe('');
  });
});
