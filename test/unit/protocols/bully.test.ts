import { describe, it, expect } from 'vitest';
import { bully, type BullyState } from '../../../core/protocols/election/bully.js';
import { compareNodeIds } from '../../../core/protocols/election/node-order.js';
import { PbSim } from './pb-sim.js';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
const leaderOf = (sim: PbSim, node: string) => sim.stateOf<BullyState>(node).leader;
const leadersOfTerms = (sim: PbSim) => {
  const byTerm = new Map<number, Set<string>>();
  for (const e of sim.events('role')) {
    if (e.data.role !== 'leader') continue;
    byTerm.set(e.data.term, (byTerm.get(e.data.term) ?? new Set()).add(e.node));
  }
  return byTerm;
};

describe('bully election', () => {
  it('orders ids by number: n10 outranks n9', () => {
    expect(compareNodeIds('n10', 'n9')).toBeGreaterThan(0);
    expect(compareNodeIds('n2', 'n2')).toBe(0);
    expect(['n10', 'n2', 'n9', 'n1'].sort(compareNodeIds)).toEqual(['n1', 'n2', 'n9', 'n10']);
  });

  it('elects the highest id and reports it with the documented events', () => {
    const sim = new PbSim(bully, ['n8', 'n9', 'n10']);
    sim.runUntil(1000);
    for (const node of ['n8', 'n9', 'n10']) expect(leaderOf(sim, node)).toBe('n10');
    expect(sim.stateOf<BullyState>('n10')).toMatchObject({ role: 'leader', term: 1, leader: 'n10' });
    expect(sim.stateOf<BullyState>('n8')).toMatchObject({ role: 'follower', term: 1, leader: 'n10' });
    // Nobody outranks n10: it announces after one answer timeout.
    expect(sim.events(undefined, 'n10').map((e) => [e.time, e.type, e.data])).toEqual([
      [0, 'role', { role: 'candidate', term: 0 }],
      [0, 'election', { term: 1 }],
      [100, 'term', { term: 1 }],
      [100, 'role', { role: 'leader', term: 1 }],
      [100, 'leader', { leader: 'n10', term: 1 }],
    ]);
    // n8 got an ok from above, so it waited for the announcement.
    expect(sim.events(undefined, 'n8').map((e) => [e.time, e.type, e.data])).toEqual([
      [0, 'role', { role: 'candidate', term: 0 }],
      [0, 'election', { term: 1 }],
      [101, 'term', { term: 1 }],
      [101, 'role', { role: 'follower', term: 1 }],
      [101, 'leader', { leader: 'n10', term: 1 }],
    ]);
    // Elections go upwards only; the coordinator heartbeats every 50 ms.
    expect(sim.sent.filter((m) => m.body.type === 'election').map((m) => `${m.from}>${m.to}`).sort()).toEqual(['n8>n10', 'n8>n9', 'n9>n10']);
    const beats = sim.sent.filter((m) => m.body.type === 'heartbeat' && m.to === 'n8');
    expect(beats.length).toBe(18); // 150, 200, …, 1000
    expect(beats.every((m) => m.from === 'n10' && m.body.term === 1)).toBe(true);
  });

  it('elects the highest live id when the top node is down', () => {
    const sim = new PbSim(bully, five);
    sim.crash('n5');
    sim.runUntil(1000);
    for (const node of ['n1', 'n2', 'n3', 'n4']) expect(leaderOf(sim, node)).toBe('n4');
    expect(sim.events('role').filter((e) => e.data.role === 'leader').map((e) => [e.node, e.time, e.data.term])).toEqual([['n4', 100, 1]]);
  });

  it('after the coordinator crashes the next highest takes over within leaderTimeout + answerTimeout + a round', () => {
    const sim = new PbSim(bully, five);
    sim.runUntil(1000);
    sim.crash('n5');
    sim.runUntil(3000);
    const takeover = sim.events('role').filter((e) => e.data.role === 'leader' && e.time > 1000);
    expect(takeover.map((e) => [e.node, e.data.term])).toEqual([['n4', 2]]);
    // The last heartbeat left n5 at 1000; silence is noticed 250 ms later, n4 waits 100 ms for an ok.
    expect(takeover[0].time).toBeGreaterThanOrEqual(1000 + 250);
    expect(takeover[0].time).toBeLessThanOrEqual(1000 + 250 + 100 + 2);
    for (const node of ['n1', 'n2', 'n3']) {
      expect(sim.stateOf<BullyState>(node)).toMatchObject({ role: 'follower', term: 2, leader: 'n4' });
      expect(sim.events('leader', node).map((e) => e.data)).toEqual([
        { leader: 'n5', term: 1 },
        { leader: null, term: 1 },
        { leader: 'n4', term: 2 },
      ]);
    }
    // One election epoch for the failover, and it ended with a leader.
    expect(new Set(sim.events('election').filter((e) => e.time > 1000).map((e) => e.data.term))).toEqual(new Set([2]));
  });

  it('a restarted higher node takes over again, in a newer term', () => {
    const sim = new PbSim(bully, five);
    sim.runUntil(1000);
    sim.crash('n5');
    sim.runUntil(2000);
    sim.start('n5');
    sim.runUntil(3000);
    for (const node of five) expect(leaderOf(sim, node)).toBe('n5');
    // It learnt term 2 from n4's heartbeats while waiting, and announced term 3.
    expect(sim.stateOf<BullyState>('n5')).toMatchObject({ role: 'leader', term: 3 });
    const comeback = sim.events('role').find((e) => e.node === 'n5' && e.data.role === 'leader' && e.time >= 2000)!;
    expect(comeback.time).toBe(2100);
    expect(sim.events('role', 'n4').at(-1)!.data).toEqual({ role: 'follower', term: 3 });
  });

  it('a restarted lower node rejoins the current coordinator without a new term', () => {
    const sim = new PbSim(bully, five);
    sim.runUntil(1000);
    sim.crash('n2');
    sim.runUntil(1510); // between two heartbeats
    sim.start('n2');
    sim.runUntil(2500);
    for (const node of five) expect(leaderOf(sim, node)).toBe('n5');
    // n2 asks the lower n1 for the term, runs its election, and the coordinator answers it directly.
    expect(sim.sent.filter((m) => m.time >= 1510 && m.body.type !== 'heartbeat').map((m) => [m.time, `${m.from}>${m.to}`, m.body])).toEqual([
      [1510, 'n2>n1', { type: 'term_query' }],
      [1510, 'n2>n3', { type: 'election', term: 0 }],
      [1510, 'n2>n4', { type: 'election', term: 0 }],
      [1510, 'n2>n5', { type: 'election', term: 0 }],
      [1511, 'n1>n2', { type: 'term_reply', term: 1 }],
      [1511, 'n3>n2', { type: 'ok', term: 1 }],
      [1511, 'n4>n2', { type: 'ok', term: 1 }],
      [1511, 'n5>n2', { type: 'ok', term: 1 }],
      [1511, 'n5>n2', { type: 'coordinator', term: 1 }],
    ]);
    expect(sim.events(undefined, 'n2').filter((e) => e.time >= 1510).map((e) => [e.time, e.type, e.data])).toEqual([
      [1510, 'role', { role: 'candidate', term: 0 }],
      [1510, 'election', { term: 1 }],
      [1512, 'term', { term: 1 }],
      [1512, 'role', { role: 'follower', term: 1 }],
      [1512, 'leader', { leader: 'n5', term: 1 }],
    ]);
    // Followers of a live coordinator answer ok but start no election of their own.
    expect(sim.events().filter((e) => e.time >= 1510 && e.node !== 'n2')).toEqual([]);
  });

  it('restarts its election when an ok came but no coordinator did', () => {
    const silence = 400;
    const sim: PbSim = new PbSim(bully, ['n1', 'n2', 'n3'], {}, {
      drop: (_from, to, body): boolean => to === 'n1' && (body.type === 'coordinator' || body.type === 'heartbeat') && sim.now < silence,
    });
    sim.runUntil(1000);
    const elections = sim.events('election', 'n1');
    // The ok is back at 2 ms (a round trip), then coordinatorTimeout (300 ms) passes without an announcement.
    expect(elections.map((e) => e.time).slice(0, 2)).toEqual([0, 302]);
    expect(leaderOf(sim, 'n1')).toBe('n3');
    expect(sim.stateOf<BullyState>('n1').role).toBe('follower');
  });

  it('keeps at most one leader per term through crashes and restarts', () => {
    const sim = new PbSim(bully, five);
    const plan: Array<[number, () => void]> = [
      [500, () => sim.crash('n5')],
      [900, () => sim.crash('n4')],
      [1300, () => sim.start('n5')],
      [1700, () => sim.crash('n1')],
      [1800, () => sim.start('n4')],
      [2100, () => sim.crash('n5')],
      [2150, () => sim.start('n1')],
      [2600, () => sim.start('n5')],
    ];
    for (const [time, action] of plan) sim.at(time, action);
    sim.runUntil(4000);
    const byTerm = leadersOfTerms(sim);
    for (const [, nodes] of byTerm) expect(nodes.size).toBe(1);
    expect(byTerm.size).toBeGreaterThanOrEqual(4);
    // Terms only grow, and the run ends with the top node leading everyone.
    for (const node of five) expect(leaderOf(sim, node)).toBe('n5');
    const terms = sim.events('term', 'n3').map((e) => e.data.term);
    expect(terms).toEqual([...terms].sort((a, b) => a - b));
  });

  it('answers client requests with error 10', () => {
    const sim = new PbSim(bully, ['n1', 'n2']);
    const id = sim.request('c1', 'n1', { type: 'read', key: 1 });
    sim.runUntil(10);
    expect(sim.answerTo('c1', id)!.body).toMatchObject({ type: 'error', code: 10, in_reply_to: id });
  });

  it('is deterministic', () => {
    const run = () => {
      const sim = new PbSim(bully, five);
      sim.at(700, () => sim.crash('n5'));
      sim.at(1500, () => sim.start('n5'));
      sim.runUntil(2500);
      return JSON.stringify(sim.records);
    };
    expect(run()).toBe(run());
  });
});
