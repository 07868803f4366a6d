import { describe, it, expect } from 'vitest';
import { cancelTimer, event, send, setTimer, state } from '../../../core/sdk/index.js';
import type { Output } from '../../../core/sdk/index.js';
import { swim, type SwimState } from '../../../core/protocols/failure-detection/swim.js';
import { applyUpdate, createMembers } from '../../../core/protocols/failure-detection/swim-members.js';
import { createGossip, spread, takeUpdates, type MemberUpdate } from '../../../core/protocols/failure-detection/swim-gossip.js';
import { createSim, driveNode } from './sim.js';

const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
const u = (id: string, status: MemberUpdate['status'], inc: number): MemberUpdate => ({ id, status, inc });
const transitions = (events: { type: string }[]) => events.filter((e) => e.type !== 'heartbeat');

describe('swim membership precedence', () => {
  it('applies alive/suspect/dead by incarnation and emits transitions only', () => {
    const members = createMembers('n1', ['n2'], 1000, 0, []);
    const apply = (update: MemberUpdate, now = 10): Output[] => {
      const out: Output[] = [];
      applyUpdate(members, update, now, out);
      return out;
    };
    expect(apply(u('n2', 'alive', 0))).toEqual([]);
    expect(apply(u('n2', 'suspect', 0))).toEqual([
      event('suspect', { peer: 'n2' }), state('suspected', ['n2']), setTimer('suspicion:n2', 1000),
    ]);
    expect(apply(u('n2', 'suspect', 0))).toEqual([]);
    expect(apply(u('n2', 'alive', 0))).toEqual([]); // a suspicion needs a newer incarnation to clear
    expect(apply(u('n2', 'alive', 1))).toEqual([event('alive', { peer: 'n2' }), state('suspected', []), cancelTimer('suspicion:n2')]);
    expect(apply(u('n2', 'dead', 0))).toEqual([]); // older than the refutation
    expect(apply(u('n2', 'dead', 1))).toEqual([event('suspect', { peer: 'n2' }), event('dead', { peer: 'n2' }), state('suspected', ['n2'])]);
    expect(apply(u('n2', 'suspect', 1))).toEqual([]);
    expect(apply(u('n2', 'alive', 2))).toEqual([event('alive', { peer: 'n2' }), state('suspected', [])]);
    expect(apply(u('n9', 'dead', 5))).toEqual([]); // not a member
    expect(members.incarnations.get('n2')).toBe(2);
    expect([...members.gossip.pending.values()].map((e) => e.update)).toEqual([u('n2', 'alive', 2)]);
  });

  it('refutes a rumour about itself above the rumoured incarnation', () => {
    const members = createMembers('n1', ['n2'], 1000, 0, []);
    const out: Output[] = [];
    applyUpdate(members, u('n1', 'suspect', 0), 0, out);
    applyUpdate(members, u('n1', 'dead', 4), 0, out); // as heard after a restart from 0
    applyUpdate(members, u('n1', 'suspect', 3), 0, out); // stale
    expect(out).toEqual([
      state('incarnation', 1), event('refute', { incarnation: 1 }),
      state('incarnation', 5), event('refute', { incarnation: 5 }),
    ]);
    expect([...members.gossip.pending.values()].map((e) => e.update)).toEqual([u('n1', 'alive', 5)]);
  });
});

describe('swim gossip', () => {
  it('sends at most max updates per message, fewest-sent first, each λ·⌈log2(n+1)⌉ times', () => {
    const queue = createGossip(5); // limit 3 · 3 = 9
    expect(queue.limit).toBe(9);
    spread(queue, u('n2', 'suspect', 0));
    spread(queue, u('n3', 'dead', 0));
    expect(takeUpdates(queue, 1)).toEqual([u('n2', 'suspect', 0)]);
    expect(takeUpdates(queue, 1)).toEqual([u('n3', 'dead', 0)]);
    spread(queue, u('n2', 'alive', 1)); // replaces the suspicion, sent count reset
    let sent = 0;
    while (takeUpdates(queue, 2).some((x) => x.id === 'n2')) sent++;
    expect(sent).toBe(9);
    expect(queue.pending.size).toBe(0);
  });
});

describe('swim, driven by hand', () => {
  it('acks a ping with its incarnation, and tells a suspected sender what it is accused of', () => {
    const node = driveNode<SwimState>(swim, 'n1', ['n1', 'n2', 'n3']);
    expect(node.message('n2', { type: 'ping', seq: 7, inc: 0, updates: [u('n3', 'suspect', 0)] }, 50)).toEqual([
      event('suspect', { peer: 'n3' }), state('suspected', ['n3']), setTimer('suspicion:n3', 1000),
      send('n2', { type: 'ack', seq: 7, inc: 0, updates: [u('n3', 'suspect', 0)] }),
    ]);
    expect(node.message('n3', { type: 'ping', seq: 3, inc: 0, updates: [] }, 60)).toEqual([
      send('n3', { type: 'ack', seq: 3, inc: 0, updates: [u('n3', 'suspect', 0)] }),
    ]);
    // n3 refutes: its next message carries incarnation 1.
    expect(transitions(node.message('n3', { type: 'ack', seq: 99, inc: 1, updates: [] }, 70) as any)).toEqual([
      event('alive', { peer: 'n3' }), state('suspected', []), cancelTimer('suspicion:n3'),
    ]);
  });

  it('relays a ping-req and its ack', () => {
    const node = driveNode<SwimState>(swim, 'n1', ['n1', 'n2', 'n3']);
    const [ping] = node.message('n2', { type: 'ping-req', seq: 5, target: 'n3', inc: 0, updates: [] }, 100);
    expect(ping).toEqual(send('n3', { type: 'ping', seq: 1, inc: 0, updates: [] }));
    expect(node.message('n3', { type: 'ack', seq: 1, inc: 0, updates: [] }, 104)).toEqual([
      event('heartbeat', { peer: 'n3', gapMs: 104 }),
      send('n2', { type: 'ack', seq: 5, inc: 0, updates: [] }),
    ]);
    expect(node.message('n3', { type: 'ack', seq: 1, inc: 0, updates: [] }, 105)).toEqual([]); // relayed once
  });
});

describe('swim in a simulated network', () => {
  it('a false suspicion is refuted with a higher incarnation and nobody declares the member dead', () => {
    const sim = createSim(swim, ids, {}, { seed: 1 });
    // n3's acks are lost for one period, so whoever probes it then gets no (indirect) ack.
    sim.setDrop(({ from, body, time }) => from === 'n3' && body.type === 'ack' && time >= 1000 && time < 1200);
    sim.runUntil(6000);
    const suspecters = sim.events('suspect').filter((e) => e.data.peer === 'n3').map((e) => e.node);
    expect(suspecters.length).toBeGreaterThan(0);
    expect(sim.events('refute')).toEqual([expect.objectContaining({ node: 'n3', data: { incarnation: 1 } })]);
    expect(sim.events('dead')).toEqual([]);
    expect(sim.events('alive').map((e) => e.node).sort()).toEqual([...suspecters].sort());
    for (const id of ids) {
      const suspectedStates = sim.states('suspected').filter((s) => s.node === id);
      expect(suspectedStates.at(-1)!.value).toEqual([]);
      if (id !== 'n3') expect(sim.stateOf<SwimState>(id).members.incarnations.get('n3')).toBe(1);
    }
  });

  it('an indirect probe keeps a member alive when only the direct link is cut', () => {
    const sim = createSim(swim, ids, {}, { seed: 3 });
    sim.setDrop(({ from, to }) => (from === 'n1' && to === 'n2') || (from === 'n2' && to === 'n1'));
    sim.runUntil(10_000);
    expect(transitions(sim.events())).toEqual([]);
    const asks = sim.sends('ping-req').filter((s) => s.node === 'n1' && s.body.target === 'n2');
    expect(asks.length).toBeGreaterThan(3);
    // k = 3 helpers per round of asks, none of them the target.
    const perRound = new Map<number, string[]>();
    for (const ask of asks) perRound.set(ask.time, [...(perRound.get(ask.time) ?? []), ask.to]);
    for (const helpers of perRound.values()) expect(helpers.sort()).toEqual(['n3', 'n4', 'n5']);
    // n1 never hears n2 directly, yet keeps it alive.
    expect(sim.events('heartbeat').filter((e) => e.node === 'n1' && e.data.peer === 'n2')).toEqual([]);
    expect(sim.metrics('suspicion.n2').filter((m) => m.node === 'n1').every((m) => m.value === 0)).toBe(true);
  });

  it('costs two messages per member per period when all is well, each with at most gossipMax updates', () => {
    const sim = createSim(swim, ids, { gossipMax: 2 }, { seed: 4 });
    sim.at(1000, () => sim.crash('n5')); // some gossip to carry
    sim.runUntil(4000);
    expect(sim.sends().every((s) => (s.body.updates as unknown[]).length <= 2)).toBe(true);
    const steady = createSim(swim, ids, {}, { seed: 4 });
    steady.runUntil(11_000);
    const sends = steady.sends().filter((s) => s.time >= 1000 && s.time < 11_000);
    expect(sends.length).toBeGreaterThanOrEqual(2 * 5 * 50 - 10);
    expect(sends.length).toBeLessThanOrEqual(2 * 5 * 50 + 10);
    expect(new Set(sends.map((s) => s.body.type))).toEqual(new Set(['ping', 'ack']));
  });

  it('reports suspicion as the fraction of the suspicion timeout, 1 once dead', () => {
    const sim = createSim(swim, ids, {}, { seed: 2 });
    sim.at(1000, () => sim.crash('n5'));
    sim.runUntil(5000);
    const n1 = sim.metrics('suspicion.n5').filter((m) => m.node === 'n1');
    const suspectAt = sim.events('suspect').find((e) => e.node === 'n1')!.time;
    const deadAt = sim.events('dead').find((e) => e.node === 'n1')!.time;
    for (const m of n1) {
      if (m.time < suspectAt) expect(m.value).toBe(0);
      else if (m.time < deadAt) expect(m.value).toBeCloseTo((m.time - suspectAt) / 1000, 12);
      else expect(m.value).toBe(1);
    }
    expect(n1.filter((m) => m.value > 0 && m.value < 1).length).toBeGreaterThanOrEqual(4);
  });

  it('reports a steady suspicion level about once a second, and a changing one every time it changes', () => {
    const sim = createSim(swim, ids, {}, { seed: 2 });
    sim.at(5000, () => sim.crash('n5'));
    sim.runUntil(10_000);
    const steady = sim.metrics('suspicion.n2').filter((m) => m.node === 'n1' && m.time < 5000);
    // Alive all along: 0, reported again no sooner than a second after the last report.
    expect(steady.every((m) => m.value === 0)).toBe(true);
    expect(steady.length).toBeGreaterThanOrEqual(4);
    expect(steady.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < steady.length; i++) expect(steady[i].time - steady[i - 1].time).toBeGreaterThanOrEqual(1000);
    // While n5 is suspect its level climbs each period, and every new level is reported.
    const climbing = sim.metrics('suspicion.n5').filter((m) => m.node === 'n1' && m.value > 0 && m.value < 1);
    expect(new Set(climbing.map((m) => m.value)).size).toBe(climbing.length);
    expect(climbing.length).toBeGreaterThanOrEqual(4);
  });

  it('a restarted member (back at incarnation 0) refutes its death and rejoins', () => {
    const sim = createSim(swim, ids, {}, { seed: 7 });
    sim.at(2000, () => sim.crash('n5'));
    sim.at(4000, () => sim.restart('n5'));
    sim.runUntil(7000);
    expect(sim.events('dead').filter((e) => e.time < 4000).map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(sim.events('refute').map((e) => [e.node, e.data.incarnation])).toEqual([['n5', 1]]);
    expect(sim.events('alive').map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
    for (const id of ['n1', 'n2', 'n3', 'n4']) expect(sim.stateOf<SwimState>(id).members.incarnations.get('n5')).toBe(1);
  });
});

describe('swim after a healed partition', () => {
  it('probes members it declared dead, so both sides see each other alive again', () => {
    const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const sim = createSim(swim, ids, {}, { seed: 11 });
    sim.at(1000, () => sim.partition(['n1', 'n2'], ['n3', 'n4', 'n5']));
    sim.at(4000, () => sim.setDrop(undefined));
    sim.runUntil(12_000);
    // Everyone was declared dead across the cut…
    expect(sim.events('dead').filter((e) => e.time < 4000).length).toBeGreaterThan(0);
    // …and every node's last published view suspects nobody.
    for (const id of ids) {
      const last = sim.states('suspected').filter((s) => s.node === id).at(-1);
      expect(last?.value).toEqual([]);
    }
  });
});
