import { describe, it, expect } from 'vitest';
import type { Program, Protocol } from '../../../core/sdk/index.js';
import { cancelTimer, event, send, setTimer } from '../../../core/sdk/index.js';
import { createSim, driveNode } from './sim.js';

// A probe program for the simulator itself: it records every input as an event and
// obeys commands sent to it, so each test says exactly what the node does.
interface ProbeState { self: string }
const probeProtocol: Protocol<ProbeState> = {
  init({ self, now, params }) {
    const out = [event('start', { now })];
    if (params.tick) out.push(setTimer('tick', Number(params.tick)));
    return [{ self }, out];
  },
  step(s, input) {
    if (input.kind === 'timer') return [s, [event('timer', { name: input.name, now: input.now })]];
    const out = [event('got', { from: input.from, type: input.body.type, now: input.now })];
    const { type, to, name, after } = input.body as Record<string, any>;
    if (type === 'forward') out.push(send(to, { type: 'hello' }));
    if (type === 'arm') out.push(setTimer(name, after));
    if (type === 'disarm') out.push(cancelTimer(name));
    return [s, out];
  },
};
const probe: Program = { name: 'probe', description: 'sim probe', params: [{ name: 'tick', default: 0, description: 'first timer' }], protocol: probeProtocol };

describe('sim', () => {
  it('delivers sends after the delay and records who saw what when', () => {
    const sim = createSim(probe, ['n1', 'n2'], {}, { delay: 5 });
    sim.inject('n1', 'c1', { type: 'forward', to: 'n2' });
    sim.runUntil(100);
    expect(sim.events('got').map((e) => [e.time, e.node, e.data.from, e.data.type])).toEqual([
      [5, 'n1', 'c1', 'forward'],
      [10, 'n2', 'n1', 'hello'],
    ]);
    expect(sim.sends().map((s) => [s.time, s.node, s.to, s.dropped])).toEqual([[5, 'n1', 'n2', false]]);
    expect(sim.now).toBe(100);
  });

  it('fires timers once, replaces them by name and honours cancel', () => {
    const sim = createSim(probe, ['n1'], { tick: 30 });
    sim.inject('n1', 'c1', { type: 'arm', name: 'a', after: 50 }); // due at 51
    sim.at(20, () => sim.inject('n1', 'c1', { type: 'arm', name: 'a', after: 50 })); // replaces: due at 71
    sim.at(40, () => sim.inject('n1', 'c1', { type: 'arm', name: 'b', after: 10 }));
    sim.at(45, () => sim.inject('n1', 'c1', { type: 'disarm', name: 'b' }));
    sim.runUntil(200);
    expect(sim.events('timer').map((e) => [e.time, e.data.name])).toEqual([[30, 'tick'], [71, 'a']]);
  });

  it('loses messages that the drop predicate or a partition rejects', () => {
    const sim = createSim(probe, ['n1', 'n2', 'n3'], {});
    sim.partition(['n1'], ['n2']);
    sim.inject('n1', 'c1', { type: 'forward', to: 'n2' });
    sim.inject('n1', 'c1', { type: 'forward', to: 'n3' });
    sim.runUntil(10);
    expect(sim.events('got').filter((e) => e.data.type === 'hello').map((e) => e.node)).toEqual(['n3']);
    expect(sim.sends('hello').map((s) => [s.to, s.dropped])).toEqual([['n2', true], ['n3', false]]);
    sim.setDrop(undefined);
    sim.inject('n1', 'c1', { type: 'forward', to: 'n2' });
    sim.runUntil(20);
    expect(sim.events('got').filter((e) => e.data.type === 'hello').map((e) => e.node)).toEqual(['n3', 'n2']);
  });

  it('draws per-message delays from its seeded rng', () => {
    const run = (seed: number) => {
      const sim = createSim(probe, ['n1', 'n2'], {}, { seed, delay: (_link, rng) => 1 + rng.int(50) });
      for (let i = 0; i < 5; i++) sim.inject('n1', 'c1', { type: 'forward', to: 'n2' });
      sim.runUntil(1000);
      return sim.events('got').map((e) => e.time);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('a crashed node loses every input and its timers; restart inits it again', () => {
    const sim = createSim(probe, ['n1'], { tick: 30 });
    sim.at(10, () => sim.crash('n1'));
    sim.at(20, () => sim.inject('n1', 'c1', { type: 'forward', to: 'n1' }));
    sim.runUntil(100);
    expect(sim.events().map((e) => [e.time, e.type])).toEqual([[0, 'start']]);
    sim.restart('n1');
    sim.runUntil(200);
    expect(sim.events().map((e) => [e.time, e.type])).toEqual([[0, 'start'], [100, 'start'], [130, 'timer']]);
  });

  it('a paused node gets its held messages, then its overdue timers, on resume', () => {
    const sim = createSim(probe, ['n1'], { tick: 30 });
    sim.at(10, () => sim.pause('n1'));
    sim.at(40, () => sim.inject('n1', 'c1', { type: 'ping' }));
    sim.at(60, () => sim.resume('n1'));
    sim.runUntil(100);
    expect(sim.events().map((e) => [e.time, e.type, e.data.now])).toEqual([[0, 'start', 0], [60, 'got', 60], [60, 'timer', 60]]);
  });

  it('gives each node its own clock offset', () => {
    const sim = createSim(probe, ['n1', 'n2'], { tick: 10 }, { clockOffsets: { n2: 1000 } });
    sim.runUntil(10);
    expect(sim.events('timer').map((e) => [e.time, e.node, e.data.now])).toEqual([[10, 'n1', 10], [10, 'n2', 1010]]);
  });

  it('driveNode steps one node by hand', () => {
    const node = driveNode<ProbeState>(probe, 'n1', ['n1'], {}, { now: 7, seed: 1 });
    expect(node.initOutputs).toEqual([event('start', { now: 7 })]);
    expect(node.timer('x', 9)).toEqual([event('timer', { name: 'x', now: 9 })]);
    expect(node.state.self).toBe('n1');
  });
});
