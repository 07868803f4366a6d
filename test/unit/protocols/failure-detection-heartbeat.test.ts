import { describe, it, expect } from 'vitest';
import { event, metric, reply, send, setTimer, state } from '../../../core/sdk/index.js';
import { heartbeat } from '../../../core/protocols/failure-detection/fixed-timeout.js';
import { createSim, driveNode } from './sim.js';

const beat = { type: 'heartbeat' };

describe('heartbeat (fixed timeout), driven by hand', () => {
  it('starts by heartbeating every peer and arming its timers', () => {
    const node = driveNode(heartbeat, 'n1', ['n1', 'n2', 'n3'], { checkInterval: 25 });
    expect(node.initOutputs).toEqual([
      state('suspected', []),
      send('n2', beat),
      send('n3', beat),
      setTimer('beat', 100),
      setTimer('check', 25),
    ]);
    expect(node.timer('beat', 100)).toEqual([send('n2', beat), send('n3', beat), setTimer('beat', 100)]);
  });

  it('suspects after timeout, declares dead after deadTimeout, and is alive on the next heartbeat', () => {
    const node = driveNode(heartbeat, 'n1', ['n1', 'n2']);
    expect(node.message('n2', beat, 100)).toEqual([event('heartbeat', { peer: 'n2', gapMs: 100 })]);
    expect(node.timer('check', 399)).toEqual([metric('suspicion.n2', 299 / 300), setTimer('check', 20)]);
    expect(node.timer('check', 400)).toEqual([
      metric('suspicion.n2', 1),
      event('suspect', { peer: 'n2' }),
      state('suspected', ['n2']),
      setTimer('check', 20),
    ]);
    // Still suspected: no second suspect event.
    expect(node.timer('check', 1099)).toEqual([metric('suspicion.n2', 999 / 300), setTimer('check', 20)]);
    expect(node.timer('check', 1100)).toEqual([metric('suspicion.n2', 1000 / 300), event('dead', { peer: 'n2' }), setTimer('check', 20)]);
    expect(node.timer('check', 1200)).toEqual([metric('suspicion.n2', 1100 / 300), setTimer('check', 20)]);
    expect(node.message('n2', beat, 1250)).toEqual([
      event('heartbeat', { peer: 'n2', gapMs: 1150 }),
      event('alive', { peer: 'n2' }),
      state('suspected', []),
    ]);
    expect(node.timer('check', 1260)).toEqual([metric('suspicion.n2', 10 / 300), setTimer('check', 20)]);
  });

  it('a peer silent from the start is suspected too', () => {
    const node = driveNode(heartbeat, 'n1', ['n1', 'n2'], { timeout: 50 }, { now: 1000, seed: 1 });
    expect(node.timer('check', 1050)).toContainEqual(event('suspect', { peer: 'n2' }));
  });

  it('a peer that skips straight past both timeouts is reported suspect, then dead', () => {
    const node = driveNode(heartbeat, 'n1', ['n1', 'n2']);
    expect(node.timer('check', 5000)).toEqual([
      metric('suspicion.n2', 5000 / 300),
      event('suspect', { peer: 'n2' }),
      event('dead', { peer: 'n2' }),
      state('suspected', ['n2']),
      setTimer('check', 20),
    ]);
  });

  it('answers a client request with not-supported and ignores it otherwise', () => {
    const node = driveNode(heartbeat, 'n1', ['n1', 'n2']);
    const request = { type: 'read', msg_id: 4, key: 1 };
    expect(node.message('c1', request, 10)).toEqual([
      reply('c1', request, { type: 'error', code: 10, text: 'read is not supported by a failure detector' }),
    ]);
  });
});

describe('heartbeat in a simulated network', () => {
  it('raises no suspicion while everyone is up, even with jitter', () => {
    const sim = createSim(heartbeat, ['n1', 'n2', 'n3'], {}, { seed: 5, delay: (_l, rng) => 1 + rng.int(60) });
    sim.runUntil(10_000);
    expect(sim.events('suspect')).toEqual([]);
    const gaps = sim.events('heartbeat').map((e) => e.data.gapMs);
    expect(Math.max(...gaps)).toBeLessThan(160);
    expect(sim.metrics('suspicion.n2').every((m) => m.value < 1)).toBe(true);
  });

  it('a short timeout makes mistakes under jitter that a longer one does not', () => {
    const mistakes = (timeout: number) => {
      const sim = createSim(heartbeat, ['n1', 'n2', 'n3'], { timeout }, { seed: 5, delay: (_l, rng) => 1 + rng.int(100) });
      sim.runUntil(10_000);
      return sim.events('suspect').length;
    };
    expect(mistakes(120)).toBeGreaterThan(0);
    expect(mistakes(300)).toBe(0);
  });
});
