import { describe, expect, it } from 'vitest';
import type { MessagePoint, NodeEventPoint } from '../../core/api/contract.js';
import { processText, vectorClockAt } from '../../renderer/src/components/inspector/node-clock.js';

describe('the inspector: process and vector clock', () => {
  it('does not call a finished run’s process simply "up"', () => {
    expect(processText({ process: 'up' }, { ended: false, atMs: null })).toBe('up');
    expect(processText({ process: 'up' }, { ended: true, atMs: null })).toBe('up until the run ended, then exited with it');
    expect(processText({ process: 'up', state: 'up' }, { ended: true, atMs: 12_300 })).toBe('up at 0:12.3; exited when the run ended');
    expect(processText({ process: 'failed', state: 'crashed' }, { ended: true, atMs: 6000 })).toBe('crashed at 0:06.0');
    expect(processText({ process: 'exited' }, { ended: true, atMs: null })).toBe('exited');
  });

  // vector-clocks-reordering: n2's program publishes its clock as a `vclock` state.
  const events: NodeEventPoint[] = [
    [100, 'n2', 'state', { key: 'vclock', value: { n1: 1, n2: 2 } }],
    [200, 'n1', 'state', { key: 'vclock', value: { n1: 3 } }],
    [300, 'n2', 'state', { key: 'vclock', value: { n1: 3, n2: 5, n3: 1 } }],
    [400, 'n2', 'deliver', { from: 'n3' }],
  ];
  const messages: MessagePoint[] = [
    [1, 'n3', 'n2', 'gossip', 250, 260, 'delivered', 4, null, { n1: 2, n3: 4 }],
    [2, 'n3', 'n1', 'gossip', 350, 370, 'delivered', 5, null, { n1: 2, n3: 5 }],
    [3, 'c1', 'n1', 'broadcast', 360, 361, 'delivered', null, null, null],
  ];

  it('is a row per node with the node’s own entry marked, from its latest vclock state at the cursor', () => {
    const now = vectorClockAt('n2', ['n1', 'n2', 'n3'], events, messages, Infinity)!;
    expect(now.source).toBe('state');
    expect(now.atMs).toBe(300);
    expect(now.entries).toEqual([
      { node: 'n1', value: 3, own: false },
      { node: 'n2', value: 5, own: true },
      { node: 'n3', value: 1, own: false },
    ]);
    // At a replay cursor before that state, the one before it, with n3 at 0.
    expect(vectorClockAt('n2', ['n1', 'n2', 'n3'], events, messages, 150)!.entries.map((e) => e.value)).toEqual([1, 2, 0]);
  });

  it('falls back to the clock the runtime put on the node’s last send; a client has none', () => {
    const n3 = vectorClockAt('n3', ['n1', 'n2', 'n3'], events, messages, 300)!;
    expect(n3).toMatchObject({ source: 'send', atMs: 250 });
    expect(n3.entries.map((e) => [e.node, e.value, e.own])).toEqual([['n1', 2, false], ['n2', 0, false], ['n3', 4, true]]);
    expect(vectorClockAt('c1', ['n1', 'n2', 'n3'], events, messages, Infinity)).toBeNull();
  });
});

describe('the topology of a finished run', () => {
  it('says which moment it shows', async () => {
    const { topologyMoment } = await import('../../renderer/src/components/topology/topology-moment.js');
    expect(topologyMoment(false, null, null)).toBeNull();
    expect(topologyMoment(true, null, 22_000)).toBe('the state at the end of the run');
    expect(topologyMoment(true, 22_000, 22_000)).toBe('the state at the end of the run');
    expect(topologyMoment(true, 12_300, 22_000)).toBe('the state at the replay cursor, 0:12.3');
  });
});
