// The parts stepping stands on: the scheduler's pending events and out-of-order runs (time
// never goes backwards), and a protocol's state as JSON with what changed in it.
import { describe, it, expect } from 'vitest';
import { Scheduler } from '../../core/simulation/scheduler.js';
import { createRng } from '../../core/engine/prng.js';
import { changedPaths, toJsonSafe } from '../../core/simulation/stepping/json-state.js';

describe('the scheduler for stepping', () => {
  it('lists pending events in run order with what they are, and runs a chosen one out of order', () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.at(300, () => ran.push('late'), { kind: 'timer', node: 'n1', name: 'election' });
    const early = scheduler.at(100, () => ran.push('early'), { kind: 'message', id: 7 });
    scheduler.labelled('workload').after(0.2, () => ran.push('client'));
    scheduler.at(100, () => ran.push('unlabelled'));
    const canceled = scheduler.at(50, () => ran.push('never'));
    canceled.cancel();
    expect(scheduler.pendingEvents().map((e) => [e.atUs, e.tag])).toEqual([
      [100, { kind: 'message', id: 7 }],
      [100, { kind: 'other', label: 'event' }],
      [200, { kind: 'other', label: 'workload' }],
      [300, { kind: 'timer', node: 'n1', name: 'election' }],
    ]);
    expect(scheduler.peek()).toBe(early);

    // Due later: the clock moves to its due time.
    const late = scheduler.pendingEvents()[3];
    scheduler.runEvent(late);
    expect(scheduler.nowUs).toBe(300);
    expect(ran).toEqual(['late']);
    expect(() => scheduler.runEvent(late)).toThrow('that event is no longer pending');
    // Due earlier: it runs now; time never goes backwards.
    expect(scheduler.runNext()).toBe(early);
    expect(scheduler.nowUs).toBe(300);
    expect(ran).toEqual(['late', 'early']);
    scheduler.runUntil(1000);
    expect(ran).toEqual(['late', 'early', 'unlabelled', 'client']);
    expect(scheduler.runNext()).toBeNull();
    expect(scheduler.eventsRun).toBe(4);
  });
});

describe('protocol state as JSON', () => {
  it('turns Maps, Sets and odd numbers into plain JSON, and cuts cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const state = {
      term: 3,
      peers: new Set(['n2', 'n3']),
      matchIndex: new Map([['n2', 4]]),
      byTuple: new Map([[['k', 1], 'v']]),
      big: 10n,
      inf: Infinity,
      skip: undefined,
      fn: () => 1,
      cyclic,
      rng: createRng(1, 'election'),
    };
    expect(toJsonSafe(state)).toEqual({ term: 3, peers: ['n2', 'n3'], matchIndex: { n2: 4 }, byTuple: [[['k', 1], 'v']], big: '10', inf: 'Infinity', cyclic: { name: 'c', self: '[cycle]' }, rng: 'seeded random stream' });
    // A draw is not a change the inspector shows.
    const before = toJsonSafe(state);
    state.rng.next();
    expect(changedPaths(before, toJsonSafe(state))).toEqual([]);
  });

  it('names the deepest place each difference starts', () => {
    const before = { term: 1, votedFor: null, log: [{ term: 1, value: 'a' }], peers: { n2: { next: 1 }, n3: { next: 1 } } };
    const after = { term: 2, votedFor: 'n2', log: [{ term: 1, value: 'b' }, { term: 2, value: 'c' }], peers: { n2: { next: 2 }, n3: { next: 1 } }, role: 'leader' };
    expect(changedPaths(before, after)).toEqual(['term', 'votedFor', 'log.0.value', 'log.1', 'peers.n2.next', 'role']);
    expect(changedPaths(after, after)).toEqual([]);
    expect(changedPaths(1, 2)).toEqual(['']);
  });
});
