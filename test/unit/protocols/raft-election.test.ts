import { describe, it, expect } from 'vitest';
import { createRng } from '../../../core/sdk/index.js';
import { raftElection, raft } from '../../../core/protocols/raft/programs.js';
import type { RaftState } from '../../../core/protocols/raft/types.js';
import { RaftSim, type Message } from './raft-sim.js';

const isVote = (from: string, to: string) => (m: Message) => m.body.type === 'request_vote' && m.from === from && m.to === to;

function expectOneLeaderPerTerm(sim: RaftSim): void {
  for (const [term, leaders] of sim.leadersByTerm()) expect({ term, leaders }).toEqual({ term, leaders: leaders.slice(0, 1) });
}

function settle(sim: RaftSim, ms: number): string {
  const leader = sim.settle(ms);
  expect(leader).not.toBeNull();
  return leader!;
}

describe('raft-election', () => {
  it('a split vote elects nobody in its term; the next term elects exactly one leader', () => {
    const sim = new RaftSim(raftElection, { seed: 7, nodes: 4, manual: true });
    sim.fire('n1', 'election');
    sim.fire('n2', 'election');
    expect(sim.eventsOf('election').map((e) => [e.node, e.data])).toEqual([['n1', { term: 1 }], ['n2', { term: 1 }]]);
    // n3 hears n1 first and n4 hears n2 first; every other request finds the vote taken.
    for (const [from, to] of [['n1', 'n3'], ['n2', 'n4'], ['n1', 'n4'], ['n2', 'n3'], ['n1', 'n2'], ['n2', 'n1']]) sim.deliver(isVote(from, to));
    const replies = sim.deliver((m) => m.body.type === 'request_vote_res');
    expect(replies.filter((m) => m.body.vote_granted).map((m) => `${m.from}>${m.to}`).sort()).toEqual(['n3>n1', 'n4>n2']);
    expect(sim.stateOf<RaftState>('n1').votesGranted.size).toBe(2);
    expect(sim.stateOf<RaftState>('n2').votesGranted.size).toBe(2);
    expect(sim.stateOf<RaftState>('n1').role).toBe('candidate');
    expect(sim.leadersByTerm().size).toBe(0);

    sim.fire('n3', 'election');
    while (sim.held.length > 0) sim.deliver(() => true);
    expect([...sim.leadersByTerm()]).toEqual([[2, ['n3']]]);
    for (const id of sim.ids) expect(sim.stateOf<RaftState>(id)).toMatchObject({ currentTerm: 2, leader: 'n3' });

    // Heartbeats keep it there: no further elections.
    sim.automatic();
    sim.runFor(3000);
    expect([...sim.leadersByTerm()]).toEqual([[2, ['n3']]]);
    expect(sim.eventsOf('election').length).toBe(3);
  });

  it('emits term, role, leader and election events with the documented shapes', () => {
    const sim = new RaftSim(raftElection, { seed: 3, nodes: 3, manual: true });
    sim.fire('n1', 'election');
    while (sim.held.length > 0) sim.deliver(() => true);
    const of = (node: string) => sim.events.filter((e) => e.node === node).map((e) => [e.type, e.data]);
    expect(of('n1')).toEqual([
      ['term', { term: 1 }],
      ['role', { role: 'candidate', term: 1 }],
      ['election', { term: 1 }],
      ['role', { role: 'leader', term: 1 }],
      ['leader', { leader: 'n1', term: 1 }],
    ]);
    expect(of('n2')).toEqual([
      ['term', { term: 1 }],
      ['leader', { leader: 'n1', term: 1 }],
    ]);
    // raft-election keeps no log, so it reports no replication metrics.
    expect(sim.metrics).toEqual([]);
  });

  it('elects a leader within a bounded time in a 5-node cluster', () => {
    const times: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const sim = new RaftSim(raftElection, { seed, nodes: 5 });
      settle(sim, 1500);
      times.push(sim.eventsOf('role').find((e) => e.data.role === 'leader')!.at);
      expectOneLeaderPerTerm(sim);
    }
    times.sort((a, b) => a - b);
    // The first timeout is at least 150 ms; with 1–10 ms links most elections finish in the first round.
    expect(times[0]).toBeGreaterThanOrEqual(150);
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(320);
    expect(times[times.length - 1]).toBeLessThan(1000);
  });

  it('re-elects after the leader crashes', () => {
    const sim = new RaftSim(raftElection, { seed: 11, nodes: 5 });
    const first = settle(sim, 2000);
    const term = sim.stateOf<RaftState>(first).currentTerm;
    sim.crash(first);
    const crashedAt = sim.now;
    const second = settle(sim, 2000);
    expect(second).not.toBe(first);
    expect(sim.stateOf<RaftState>(second).currentTerm).toBeGreaterThan(term);
    // Nobody notices before the shortest election timeout; someone does by the longest plus a round trip.
    const nextElection = sim.eventsOf('election').find((e) => e.at > crashedAt)!;
    expect(nextElection.at - crashedAt).toBeGreaterThanOrEqual(150);
    expect(nextElection.at - crashedAt).toBeLessThanOrEqual(300 + 50);
    expectOneLeaderPerTerm(sim);
  });

  it('a leader partitioned away keeps its stale term until the heal, then steps down', () => {
    const sim = new RaftSim(raftElection, { seed: 5, nodes: 5 });
    const old = settle(sim, 2000);
    const oldTerm = sim.stateOf<RaftState>(old).currentTerm;
    const rest = sim.ids.filter((id) => id !== old);
    sim.partition([old], rest);
    sim.runUntil(() => rest.some((id) => sim.stateOf<RaftState>(id).role === 'leader'), 2000);
    const fresh = rest.find((id) => sim.stateOf<RaftState>(id).role === 'leader')!;
    const newTerm = sim.stateOf<RaftState>(fresh).currentTerm;
    expect(newTerm).toBeGreaterThan(oldTerm);
    sim.runFor(500);
    // Raft without check-quorum: the cut-off leader still believes in itself.
    expect(sim.stateOf<RaftState>(old)).toMatchObject({ role: 'leader', currentTerm: oldTerm });

    const healedAt = sim.now;
    sim.heal();
    sim.runFor(200);
    expect(sim.stateOf<RaftState>(old)).toMatchObject({ role: 'follower', currentTerm: newTerm, leader: fresh });
    const after = sim.events.filter((e) => e.node === old && e.at >= healedAt).map((e) => [e.type, e.data]);
    expect(after).toEqual([
      ['term', { term: newTerm }],
      ['leader', { leader: null, term: newTerm }],
      ['role', { role: 'follower', term: newTerm }],
      ['leader', { leader: fresh, term: newTerm }],
    ]);
    expectOneLeaderPerTerm(sim);
  });

  it('has at most one leader per term under random partitions, pauses and crashes', () => {
    for (const program of [raftElection, raft]) {
      for (let seed = 100; seed < 110; seed++) {
        const sim = new RaftSim(program, { seed, nodes: 5, delay: [1, 30] });
        const chaos = createRng(seed, 'chaos');
        let crashed = 0;
        for (let round = 0; round < 60; round++) {
          const shuffled = chaos.shuffle([...sim.ids]);
          const leader = sim.currentLeader();
          const action = chaos.int(5);
          if (action === 0) sim.partition(shuffled.slice(0, 2), shuffled.slice(2));
          else if (action === 1) sim.heal();
          else if (action === 2 && leader) sim.pause(leader);
          else if (action === 3) {
            for (const id of sim.ids) if (!sim.isUp(id) && !sim.isCrashed(id)) sim.resume(id);
          } else if (action === 4 && leader && crashed === 0) {
            sim.crash(leader);
            crashed++;
          }
          sim.runFor(100 + chaos.int(400));
        }
        expect(sim.leadersByTerm().size).toBeGreaterThan(8);
        expectOneLeaderPerTerm(sim);
      }
    }
  });

  it('repeats exactly with the same seed and differs with another', () => {
    const run = (seed: number) => {
      const sim = new RaftSim(raftElection, { seed, nodes: 5 });
      sim.runFor(1000);
      sim.crash(sim.currentLeader()!);
      sim.runFor(1000);
      return JSON.stringify(sim.events);
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it('answers client requests with error 10', () => {
    const sim = new RaftSim(raftElection, { seed: 1, nodes: 3 });
    settle(sim, 2000);
    const id = sim.request('c1', sim.currentLeader()!, { type: 'write', key: 1, value: 2 });
    sim.runFor(50);
    expect(sim.answerTo('c1', id)).toMatchObject({ type: 'error', code: 10, in_reply_to: id });
  });

  it('is unsafe across restarts, as documented: a node that forgets its vote can elect a second leader in a term', () => {
    const sim = new RaftSim(raftElection, { seed: 9, nodes: 3, manual: true });
    sim.fire('n1', 'election');
    sim.fire('n3', 'election');
    sim.deliver(isVote('n1', 'n2')); // n2 votes for n1 in term 1
    sim.deliver((m) => m.body.type === 'request_vote_res' && m.to === 'n1');
    expect(sim.stateOf<RaftState>('n1').role).toBe('leader');
    sim.restart('n2'); // comes back with votedFor and currentTerm forgotten
    sim.drop((m) => m.to === 'n2' && m.from === 'n1');
    sim.deliver(isVote('n3', 'n2'));
    sim.deliver((m) => m.body.type === 'request_vote_res' && m.to === 'n3');
    expect([...sim.leadersByTerm()]).toEqual([[1, ['n1', 'n3']]]);
  });
});
