import { describe, it, expect } from 'vitest';
import type { Body, Output } from '../../../core/sdk/index.js';
import { lamport } from '../../../core/protocols/clocks/lamport.js';
import { vector } from '../../../core/protocols/clocks/vector.js';
import {
  areConcurrent,
  compareClocks,
  happenedBefore,
  incremented,
  merged,
  parseVectorClock,
  type VectorClock,
} from '../../../core/protocols/clocks/vector-clock.js';
import { checkClockCondition } from '../../../core/checks/clock-condition.js';
import { ClockSim } from './clock-sim.js';

const nodes = ['n1', 'n2', 'n3'];
const start = (self: string, fanout = 2) =>
  ({ kind: 'start', self, peers: nodes, params: { fanout }, now: 0, seed: 7 }) as const;
const msg = (from: string, body: Body) => ({ kind: 'message' as const, from, body, now: 0 });
const sends = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'send' ? [{ to: o.to, body: o.body }] : []));
const eventsOf = (outs: Output[], type: string) => outs.flatMap((o) => (o.kind === 'event' && o.type === type ? [o.data] : []));

describe('vector clock operations', () => {
  it('merges element-wise and increments one entry', () => {
    expect(merged({ n1: 3, n2: 0 }, { n1: 1, n2: 4, n3: 2 })).toEqual({ n1: 3, n2: 4, n3: 2 });
    expect(incremented({ n1: 3 }, 'n2')).toEqual({ n1: 3, n2: 1 });
  });

  it('orders by happened-before and recognises concurrency', () => {
    const a: VectorClock = { n1: 1, n2: 0 };
    const b: VectorClock = { n1: 2, n2: 1 };
    const c: VectorClock = { n1: 0, n2: 2 };
    expect(compareClocks(a, b)).toBe('before');
    expect(compareClocks(b, a)).toBe('after');
    expect(compareClocks(a, { n1: 1 })).toBe('equal'); // a missing entry is 0
    expect(happenedBefore(a, b)).toBe(true);
    expect(happenedBefore(a, a)).toBe(false);
    expect(areConcurrent(b, c)).toBe(true);
    expect(areConcurrent(a, c)).toBe(true);
    expect(happenedBefore(c, b)).toBe(false);
  });

  it('parses only objects of non-negative integers', () => {
    expect(parseVectorClock({ n1: 2 })).toEqual({ n1: 2 });
    expect(parseVectorClock([1, 2])).toBeUndefined();
    expect(parseVectorClock({ n1: -1 })).toBeUndefined();
    expect(parseVectorClock({ n1: 'x' })).toBeUndefined();
  });
});

describe('lamport program', () => {
  it('ticks for the local broadcast and for each send, answers the client', () => {
    const [s] = lamport.protocol.init(start('n1'));
    const [, outs] = lamport.protocol.step(s, msg('c1', { type: 'broadcast', message: 7, msg_id: 5 }));
    expect(eventsOf(outs, 'deliver')).toEqual([{ message: 7, origin: 'n1', clock: 1 }]);
    expect(sends(outs).find((x) => x.to === 'c1')?.body).toEqual({ type: 'broadcast_ok', in_reply_to: 5 });
    const gossip = sends(outs).filter((x) => x.body.type === 'gossip');
    expect(gossip.map((g) => g.to).sort()).toEqual(['n2', 'n3']);
    expect(gossip.map((g) => g.body.clock)).toEqual([2, 3]);
    expect(outs).toContainEqual({ kind: 'metric', name: 'lamport', value: 3 });
  });

  it('merges on receive (max + 1), relays, and ignores duplicates', () => {
    const [s0] = lamport.protocol.init(start('n2'));
    const [s1, first] = lamport.protocol.step(s0, msg('n1', { type: 'gossip', message: 7, origin: 'n1', clock: 10 }));
    expect(eventsOf(first, 'deliver')).toEqual([{ message: 7, origin: 'n1', clock: 11 }]);
    // Neither the sender nor the origin needs it again: only n3 is left.
    expect(sends(first)).toEqual([{ to: 'n3', body: { type: 'gossip', message: 7, origin: 'n1', clock: 12 } }]);
    const [s2, dup] = lamport.protocol.step(s1, msg('n3', { type: 'gossip', message: 7, origin: 'n1', clock: 40 }));
    expect(dup).toEqual([]);
    const [s3, older] = lamport.protocol.step(s2, msg('n3', { type: 'gossip', message: 8, origin: 'n3', clock: 5 }));
    expect(eventsOf(older, 'deliver')).toEqual([{ message: 8, origin: 'n3', clock: 13 }]);
    const [, read] = lamport.protocol.step(s3, msg('c2', { type: 'read', msg_id: 1 }));
    expect(sends(read)).toEqual([{ to: 'c2', body: { type: 'read_ok', messages: [7, 8], in_reply_to: 1 } }]);
  });

  it('rejects unknown requests with not-supported', () => {
    const [s] = lamport.protocol.init(start('n1'));
    const [, outs] = lamport.protocol.step(s, msg('c1', { type: 'cas', msg_id: 3 }));
    expect(sends(outs)[0].body).toMatchObject({ type: 'error', code: 10, in_reply_to: 3 });
  });

  it('satisfies the clock condition over a simulated run with jitter', () => {
    const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const sim = new ClockSim(lamport, five, { seed: 3, params: { fanout: 4 }, network: { latencyMs: 5, jitterMs: 30 } });
    for (let i = 0; i < 20; i++) {
      sim.client(five[i % 5], { type: 'broadcast', message: i, msg_id: i });
      sim.runFor(3);
    }
    sim.runFor(500);
    for (const n of five) expect(sim.events<{ message: number }>('deliver', n).map((d) => d.message).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);

    const sent = sim.outputs.flatMap((o) =>
      o.output.kind === 'send' && o.output.body.type === 'gossip' ? [{ src: o.node, dest: o.output.to, lamport: o.output.body.clock as number }] : [],
    );
    const receives = sim.outputs.flatMap((o) =>
      o.output.kind === 'event' && o.cause
        ? [{ node: o.node, from: o.cause.from, sentLamport: o.cause.body.clock as number, lamport: (o.output.data as { clock: number }).clock }]
        : [],
    );
    // Every event of the algorithm at a node: its deliveries and its sends, in step order.
    const events = sim.outputs.flatMap((o) => {
      if (o.output.kind === 'event') return [{ node: o.node, tUs: o.order, lamport: (o.output.data as { clock: number }).clock }];
      if (o.output.kind === 'send' && o.output.body.type === 'gossip') return [{ node: o.node, tUs: o.order, lamport: o.output.body.clock as number }];
      return [];
    });
    const result = checkClockCondition(sent, receives, events);
    expect(result).toMatchObject({ valid: true, receiveViolations: 0, localViolations: 0, unmatchedReceives: 0 });
    expect(result.pairsChecked).toBe(20 * 4); // each message received first-hand by the 4 other nodes
  });
});

describe('vector program', () => {
  it('stamps the broadcast and each send with a fresh vector', () => {
    const [s] = vector.protocol.init(start('n1'));
    const [, outs] = vector.protocol.step(s, msg('c1', { type: 'broadcast', message: 1, msg_id: 1 }));
    expect(eventsOf(outs, 'deliver')).toEqual([{ message: 1, origin: 'n1', clock: { n1: 1, n2: 0, n3: 0 } }]);
    expect(sends(outs).filter((x) => x.body.type === 'gossip').map((g) => g.body.clock)).toEqual([
      { n1: 2, n2: 0, n3: 0 },
      { n1: 3, n2: 0, n3: 0 },
    ]);
    expect(outs).toContainEqual({ kind: 'metric', name: 'events', value: 3 });
    expect(outs).toContainEqual({ kind: 'metric', name: 'vclock.n1', value: 3 });
    expect(outs.some((o) => o.kind === 'metric' && o.name === 'vclock.n2')).toBe(false);
  });

  it('takes the element-wise max then increments its own entry on receive', () => {
    const [s0] = vector.protocol.init(start('n2', 0));
    const [s1] = vector.protocol.step(s0, msg('c1', { type: 'broadcast', message: 9, msg_id: 1 }));
    const [, outs] = vector.protocol.step(s1, msg('n1', { type: 'gossip', message: 1, origin: 'n1', clock: { n1: 2, n2: 0, n3: 4 } }));
    expect(eventsOf(outs, 'deliver')).toEqual([{ message: 1, origin: 'n1', clock: { n1: 2, n2: 2, n3: 4 } }]);
    expect(outs).toContainEqual({ kind: 'metric', name: 'vclock.n3', value: 4 });
  });

  it('shows independent broadcasts as concurrent and each delivery after its origin', () => {
    const sim = new ClockSim(vector, nodes, { seed: 5, params: { fanout: 2 } });
    sim.client('n1', { type: 'broadcast', message: 1, msg_id: 1 });
    sim.client('n3', { type: 'broadcast', message: 2, msg_id: 1 });
    sim.runFor(100);
    type Deliver = { message: number; origin: string; clock: VectorClock };
    const at = (node: string, message: number) => sim.events<Deliver>('deliver', node).find((d) => d.message === message)!.clock;
    expect(areConcurrent(at('n1', 1), at('n3', 2))).toBe(true);
    for (const node of ['n2', 'n3']) expect(happenedBefore(at('n1', 1), at(node, 1))).toBe(true);
    for (const node of ['n1', 'n2']) expect(happenedBefore(at('n3', 2), at(node, 2))).toBe(true);
  });
});
