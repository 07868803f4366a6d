import { describe, expect, it } from 'vitest';
import type { FaultPoint, NodeEventPoint } from '../../core/api/contract.js';
import { deriveLeadership } from '../../renderer/src/components/charts/derive/leadership.js';
import { downPeriods } from '../../renderer/src/components/charts/derive/down-periods.js';

// Raft-like: n1 leads term 1 and is killed; n2 wins term 2 after a split vote in term 2's
// first round is retried as term 3... kept small: n3 tries term 2 and loses, n2 wins term 3.
const events: NodeEventPoint[] = [
  [100, 'n1', 'term', { term: 1 }],
  [100, 'n1', 'role', { role: 'candidate', term: 1 }],
  [100, 'n1', 'election', { term: 1 }],
  [120, 'n1', 'role', { role: 'leader', term: 1 }],
  [120, 'n1', 'leader', { leader: 'n1', term: 1 }],
  [125, 'n2', 'leader', { leader: 'n1', term: 1 }],
  [1000, 'n1', 'exit', { signal: 'SIGKILL' }],
  [1300, 'n3', 'term', { term: 2 }],
  [1300, 'n3', 'election', { term: 2 }],
  [1600, 'n2', 'term', { term: 3 }],
  [1600, 'n2', 'election', { term: 3 }],
  [1610, 'n2', 'role', { role: 'leader', term: 3 }],
  [2500, 'n2', 'role', { role: 'follower', term: 4 }],
];
const faults: FaultPoint[] = [[998, 'kill', { nodes: ['n1'] }, 'schedule']];

describe('leaders and terms', () => {
  const l = deriveLeadership(events, faults, 3000)!;

  it('steps the highest term known', () => {
    expect(l.terms).toEqual([
      { ms: 100, term: 1 },
      { ms: 1300, term: 2 },
      { ms: 1600, term: 3 },
      { ms: 2500, term: 4 },
    ]);
  });

  it('ends a leader’s segment when it is killed or steps down', () => {
    expect(l.segments).toEqual([
      { node: 'n1', term: 1, fromMs: 120, toMs: 998 },
      { node: 'n2', term: 3, fromMs: 1610, toMs: 2500 },
    ]);
    expect(l.changes.map((c) => [c.leader, c.term])).toEqual([['n1', 1], ['n2', 3]]);
    expect(l.leaderOfTerm.get(2)).toBeUndefined();
  });

  it('gives each node a lane of what it believed, interval by interval', () => {
    expect(l.roles.map((r) => [r.node, r.role, r.term, r.fromMs, r.toMs])).toEqual([
      ['n1', 'candidate', 1, 100, 120],
      ['n1', 'leader', 1, 120, 998],
      ['n2', 'follower', 1, 125, 1600],
      ['n3', 'follower', 2, 1300, 3000],
      ['n2', 'follower', 3, 1600, 1610],
      ['n2', 'leader', 3, 1610, 2500],
      ['n2', 'follower', 4, 2500, 3000],
    ]);
  });

  it('without role telemetry, reads candidates from elections and leaders from leader events', () => {
    const bare = deriveLeadership([[10, 'n1', 'election', { term: 1 }], [20, 'n1', 'leader', { leader: 'n1', term: 1 }], [20, 'n2', 'leader', { leader: 'n1', term: 1 }]], [], 50)!;
    expect(bare.roles.map((r) => [r.node, r.role, r.term, r.fromMs, r.toMs])).toEqual([
      ['n1', 'candidate', 1, 10, 20],
      ['n1', 'leader', 1, 20, 50],
      ['n2', 'follower', 1, 20, 50],
    ]);
  });

  it('marks every election', () => {
    expect(l.elections.map((e) => [e.node, e.term])).toEqual([['n1', 1], ['n3', 2], ['n2', 3]]);
    expect(l.nodes).toEqual(['n1', 'n2', 'n3']);
  });

  it('cuts a pause out of a leader’s segment but keeps its role', () => {
    const paused = deriveLeadership(events.slice(0, 6), [[500, 'pause', { nodes: ['n1'] }, 'live'], [700, 'resume', { nodes: ['n1'] }, 'live']], 900)!;
    expect(paused.segments).toEqual([
      { node: 'n1', term: 1, fromMs: 120, toMs: 500 },
      { node: 'n1', term: 1, fromMs: 700, toMs: 900 },
    ]);
  });

  it('falls back to leader events when a program reports no roles', () => {
    const bare = deriveLeadership([[10, 'n2', 'leader', { leader: 'n2', term: 1 }], [10, 'n1', 'leader', { leader: 'n2', term: 1 }], [50, 'n2', 'leader', { leader: null, term: 2 }]], [], 100)!;
    expect(bare.segments).toEqual([{ node: 'n2', term: 1, fromMs: 10, toMs: 50 }]);
  });

  it('is null without election telemetry', () => {
    expect(deriveLeadership([[1, 'n1', 'apply', { index: 1 }]], [], 10)).toBeNull();
  });
});

describe('down periods', () => {
  it('joins faults and process events, and leaves open ones running to the end', () => {
    const periods = downPeriods(
      [[100, 'pause', { nodes: ['n2'] }, 'live'], [300, 'resume', { nodes: ['n2'] }, 'live'], [400, 'kill', { nodes: ['n1'] }, 'live']],
      [[401, 'n1', 'exit', {}], [900, 'n3', 'crash', {}], [950, 'n3', 'up', {}]],
      1000,
    );
    expect(periods).toEqual([
      { node: 'n2', cause: 'pause', fromMs: 100, toMs: 300 },
      { node: 'n1', cause: 'kill', fromMs: 400, toMs: 1000 },
      { node: 'n3', cause: 'crash', fromMs: 900, toMs: 950 },
    ]);
  });
});
