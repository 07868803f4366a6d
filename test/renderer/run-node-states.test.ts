// Node state derivation for the topology and the inspector: crashed and paused from the
// process state, suspected by live peers, leader and term from role events, Lamport clocks.
import { describe, expect, it } from 'vitest';
import type { MessagePoint, MetricPoint, NodeEventPoint } from '../../core/api/contract.js';
import { NodeStateTracker, lookOf } from '../../renderer/src/components/run/node-states.js';
import { TailReader } from '../../renderer/src/components/run/tail-reader.js';

const ids = ['n1', 'n2', 'n3'];
const up = { n1: 'up', n2: 'up', n3: 'up' } as const;

function viewOf(tracker: NodeStateTracker, id: string, processes: Record<string, 'up' | 'paused' | 'exited' | 'failed' | 'starting'> = { ...up }) {
  return tracker.views(ids, processes).find((v) => v.id === id)!;
}

describe('node states', () => {
  it('marks a node suspected while any live peer suspects it, and clears it on alive', () => {
    const events: NodeEventPoint[] = [
      [100, 'n1', 'suspect', { peer: 'n3' }],
      [120, 'n2', 'dead', { peer: 'n3' }],
    ];
    const t = new NodeStateTracker();
    t.update(events);
    expect(viewOf(t, 'n3').look).toBe('suspected');
    expect(viewOf(t, 'n3').suspectedBy).toEqual(['n1', 'n2']);
    expect(viewOf(t, 'n1').suspects).toEqual(['n3']);

    events.push([200, 'n1', 'alive', { peer: 'n3' }]);
    t.update(events);
    expect(viewOf(t, 'n3').suspectedBy).toEqual(['n2']);
    events.push([210, 'n2', 'alive', { peer: 'n3' }]);
    t.update(events);
    expect(viewOf(t, 'n3').look).toBe('up');
  });

  it('draws a node that left the membership as left, not crashed, and one draining as up', () => {
    const events: NodeEventPoint[] = [[100, 'n2', 'up', { incarnation: 1 }]];
    const t = new NodeStateTracker();
    t.update(events);
    expect(viewOf(t, 'n2').look).toBe('up');
    events.push([1100, 'n2', 'exit', { code: 0, signal: null }], [1101, 'n2', 'node-left', { members: ['n1', 'n3'] }]);
    t.update(events);
    expect(viewOf(t, 'n2', { ...up, n2: 'exited' }).look).toBe('left');
    expect(viewOf(t, 'n1', { ...up, n1: 'exited' }).look).toBe('crashed');
  });

  it('ignores what a crashed or paused observer believed', () => {
    const events: NodeEventPoint[] = [[100, 'n1', 'suspect', { peer: 'n3' }]];
    const t = new NodeStateTracker();
    t.update(events);
    expect(viewOf(t, 'n3', { ...up, n1: 'paused' }).look).toBe('up');
    events.push([150, 'n1', 'crash', { code: null, signal: 'SIGKILL' }]);
    t.update(events);
    expect(viewOf(t, 'n3', { ...up, n1: 'up' }).suspectedBy).toEqual([]);
  });

  it('shows crashed and paused before anything peers think', () => {
    const t = new NodeStateTracker();
    t.update([[100, 'n1', 'suspect', { peer: 'n2' }]]);
    expect(viewOf(t, 'n2', { ...up, n2: 'exited' }).look).toBe('crashed');
    expect(viewOf(t, 'n2', { ...up, n2: 'failed' }).look).toBe('crashed');
    expect(viewOf(t, 'n2', { ...up, n2: 'paused' }).look).toBe('paused');
    expect(lookOf('up', true, true)).toBe('suspected');
    expect(lookOf('up', false, true)).toBe('leader');
    expect(lookOf('unknown', false, false)).toBe('starting');
  });

  it('takes role, term and leader belief from the latest events, and forgets them on a restart', () => {
    const events: NodeEventPoint[] = [
      [100, 'n1', 'term', { term: 1 }],
      [110, 'n1', 'role', { role: 'candidate', term: 1 }],
      [130, 'n1', 'role', { role: 'leader', term: 1 }],
      [131, 'n2', 'leader', { leader: 'n1', term: 1 }],
    ];
    const t = new NodeStateTracker();
    t.update(events);
    const n1 = viewOf(t, 'n1');
    expect([n1.look, n1.role, n1.term]).toEqual(['leader', 'leader', 1]);
    expect(viewOf(t, 'n2').leaderBelief).toBe('n1');
    events.push([500, 'n1', 'crash', {}], [900, 'n1', 'up', { incarnation: 2 }]);
    t.update(events);
    expect(viewOf(t, 'n1').role).toBeNull();
    expect(viewOf(t, 'n1').term).toBe(1);
    expect(viewOf(t, 'n1').recentEvents.map((e) => e[2])).toEqual(['term', 'role', 'role', 'crash', 'up']);
  });

  it('keeps the highest Lamport clock from events, sent messages and lamport metrics', () => {
    const t = new NodeStateTracker();
    const messages: MessagePoint[] = [[1, 'n2', 'n1', 'gossip', 10, 12, 'delivered', 7]];
    const metrics: MetricPoint[] = [[15, 'n2', 'lamport', 9]];
    t.update([[20, 'n2', 'deliver', { clock: 4 }]], messages, metrics);
    expect(viewOf(t, 'n2').lamport).toBe(9);
    expect(viewOf(t, 'n1').lamport).toBeNull();
  });

  it('draws an ended run as it was before the shutdown: killed nodes stay down, a pause stays', () => {
    const t = new NodeStateTracker();
    t.update([
      [10, 'n1', 'up', {}],
      [10, 'n2', 'up', {}],
      [10, 'n3', 'up', {}],
      [3000, 'n2', 'exit', { signal: 'SIGKILL' }],
      [10_000, 'n1', 'exit', { signal: 'SIGTERM' }],
      [10_001, 'n3', 'exit', { signal: 'SIGTERM' }],
    ]);
    const faults = [
      [3000, 'kill', { nodes: ['n2'] }, 'live'],
      [8000, 'pause', { nodes: ['n3'] }, 'schedule'],
    ] as Array<[number, string, unknown, 'live' | 'schedule']>;
    const before = t.processesBeforeShutdown({ n1: 'exited', n2: 'exited', n3: 'exited' }, faults, 10_000);
    expect(before).toEqual({ n1: 'up', n2: 'exited', n3: 'paused' });
  });

  it('starts over for another run', () => {
    const t = new NodeStateTracker();
    t.update([[100, 'n1', 'role', { role: 'leader', term: 3 }]]);
    t.update([[100, 'n2', 'role', { role: 'follower', term: 1 }]]);
    expect(viewOf(t, 'n1').role).toBeNull();
    expect(viewOf(t, 'n2').recentEvents).toHaveLength(1);
  });
});

describe('tail reader', () => {
  it('visits only what was appended, also after the front was dropped', () => {
    const r = new TailReader<{ i: number }>();
    const items = [{ i: 1 }, { i: 2 }];
    const seen: number[] = [];
    r.read(items, (x) => seen.push(x.i));
    items.push({ i: 3 }, { i: 4 });
    items.splice(0, 2);
    r.read(items, (x) => seen.push(x.i));
    r.read(items, (x) => seen.push(x.i));
    expect(seen).toEqual([1, 2, 3, 4]);
    // Everything seen was dropped at once: all that is left is new.
    items.push({ i: 5 }, { i: 6 }, { i: 7 });
    items.splice(0, 3);
    r.read(items, (x) => seen.push(x.i));
    expect(seen).toEqual([1, 2, 3, 4, 6, 7]);
    expect(r.isNew(items)).toBe(false);
    expect(r.isNew([])).toBe(true);
  });
});
