import { describe, it, expect } from 'vitest';
import { withDefaults } from '../../../core/sdk/index.js';
import { raft } from '../../../core/protocols/raft/programs.js';
import type { RaftState } from '../../../core/protocols/raft/types.js';
import { RaftSim } from './raft-sim.js';

function cluster(seed: number, nodes = 3): { sim: RaftSim; leader: string; follower: string } {
  const sim = new RaftSim(raft, { seed, nodes });
  const leader = sim.settle(2000)!;
  expect(leader).not.toBeNull();
  return { sim, leader, follower: sim.ids.find((id) => id !== leader)! };
}

describe('raft key-value clients', () => {
  it('applies write, read and cas in log order with Maelstrom answers and errors', () => {
    const { sim, leader } = cluster(1);
    const ask = (body: Record<string, unknown>) => {
      const id = sim.request('c1', leader, body as { type: string });
      sim.runFor(100);
      return sim.answerTo('c1', id);
    };
    expect(ask({ type: 'write', key: 1, value: 10 })).toEqual({ type: 'write_ok', in_reply_to: 1 });
    expect(ask({ type: 'read', key: 1 })).toEqual({ type: 'read_ok', value: 10, in_reply_to: 2 });
    expect(ask({ type: 'read', key: 2 })).toMatchObject({ type: 'error', code: 20, in_reply_to: 3 });
    expect(ask({ type: 'cas', key: 1, from: 11, to: 12 })).toMatchObject({ type: 'error', code: 22, in_reply_to: 4 });
    expect(ask({ type: 'cas', key: 2, from: 11, to: 12 })).toMatchObject({ type: 'error', code: 20, in_reply_to: 5 });
    expect(ask({ type: 'cas', key: 1, from: 10, to: 12 })).toEqual({ type: 'cas_ok', in_reply_to: 6 });
    expect(ask({ type: 'read', key: 1 })).toEqual({ type: 'read_ok', value: 12, in_reply_to: 7 });
    expect(ask({ type: 'txn', key: 1 })).toMatchObject({ type: 'error', code: 10, in_reply_to: 8 });
    // Every replica applied the same commands, reads included, at the same indices.
    const applied = sim.ids.map((id) => [...sim.appliedBy(id)]);
    expect(applied[1]).toEqual(applied[0]);
    expect(applied[2]).toEqual(applied[0]);
    expect(applied[0].length).toBe(1 + 7); // the leader's no-op and the seven key-value commands
  });

  it('reports replication metrics and apply events', () => {
    const { sim, leader, follower } = cluster(2);
    sim.request('c1', leader, { type: 'write', key: 'k', value: 'v' });
    sim.runFor(100);
    const metric = (node: string, name: string) => sim.metrics.filter((m) => m.node === node && m.type === name).map((m) => m.data);
    expect(metric(leader, 'last_index')).toEqual([1, 2]);
    expect(metric(leader, 'commit_index')).toEqual([1, 2]);
    expect(metric(leader, 'applied_index')).toEqual([1, 2]);
    expect(metric(follower, 'last_index')).toEqual([]);
    expect(metric(follower, 'commit_index')).toEqual([1, 2]);
    const term = sim.stateOf<RaftState>(leader).currentTerm;
    const applies = sim.eventsOf('apply').filter((e) => e.node === follower).map((e) => e.data);
    expect(applies).toEqual([
      { index: 1, term, key: null, digest: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { index: 2, term, key: 'k', digest: expect.stringMatching(/^[0-9a-f]{8}$/) },
    ]);
    expect(applies[0].digest).not.toBe(applies[1].digest);
  });

  it('a follower forwards a request to the leader and relays the answer with the client\'s msg_id', () => {
    const { sim, leader, follower } = cluster(3);
    const write = sim.request('c1', follower, { type: 'write', key: 'x', value: 1 });
    sim.runFor(100);
    expect(sim.answers.filter((a) => a.client === 'c1')).toMatchObject([{ from: follower, body: { type: 'write_ok', in_reply_to: write } }]);
    const read = sim.request('c2', follower, { type: 'read', key: 'x' });
    sim.runFor(100);
    expect(sim.answers.filter((a) => a.client === 'c2')).toEqual([
      { at: expect.any(Number), client: 'c2', from: follower, body: { type: 'read_ok', value: 1, in_reply_to: read } },
    ]);
    expect(sim.stateOf<RaftState>(leader).kv.get('"x"')).toBe(1);
    expect(sim.stateOf<RaftState>(follower).proxied.size).toBe(0);
  });

  it('without a known leader a node answers error 11, and a forwarded request is not forwarded again', () => {
    const sim = new RaftSim(raft, { seed: 4, nodes: 3, manual: true });
    const id = sim.request('c1', 'n1', { type: 'write', key: 1, value: 1 });
    sim.deliver(() => true);
    expect(sim.answerTo('c1', id)).toMatchObject({ type: 'error', code: 11, in_reply_to: id });

    const [s] = raft.protocol.init({ kind: 'start', self: 'n1', peers: ['n1', 'n2', 'n3'], params: withDefaults(raft, {}), now: 0, seed: 1 });
    (s as RaftState).leader = 'n3'; // stale belief: n3 is no longer leader
    const [, out] = raft.protocol.step(s, { kind: 'message', from: 'n2', body: { type: 'read', key: 1, msg_id: 5, forwarded: true }, now: 0 });
    expect(out.filter((o) => o.kind === 'send')).toEqual([
      { kind: 'send', to: 'n2', body: { type: 'error', code: 11, text: expect.any(String), in_reply_to: 5 } },
    ]);
  });

  it('a forwarded request the leader never answers gets error 0 (timeout, indefinite) after 1 s', () => {
    const { sim, leader, follower } = cluster(5, 5);
    sim.crash(leader);
    const sentAt = sim.now;
    const id = sim.request('c1', follower, { type: 'write', key: 1, value: 1 });
    sim.runFor(1500);
    const answer = sim.answers.find((a) => a.client === 'c1' && a.body.in_reply_to === id)!;
    expect(answer.body).toMatchObject({ type: 'error', code: 0 });
    expect(answer.at - sentAt).toBeGreaterThanOrEqual(1000);
    expect(answer.at - sentAt).toBeLessThan(1020);
    expect(sim.stateOf<RaftState>(follower).proxied.size).toBe(0);
  });

  it('a single-node cluster commits and answers on its own', () => {
    const sim = new RaftSim(raft, { seed: 6, nodes: 1 });
    expect(sim.settle(1000)).toBe('n1');
    const id = sim.request('c1', 'n1', { type: 'write', key: 1, value: 7 });
    sim.runFor(20);
    expect(sim.answerTo('c1', id)).toEqual({ type: 'write_ok', in_reply_to: id });
  });

  it('repeats exactly with the same seed', () => {
    const run = () => {
      const { sim, leader, follower } = cluster(8, 5);
      for (let i = 0; i < 20; i++) sim.request(`c${i % 3}`, i % 2 ? leader : follower, { type: 'write', key: i % 4, value: i });
      sim.runFor(200);
      sim.crash(leader);
      sim.runFor(1000);
      return JSON.stringify([sim.events, sim.metrics, sim.answers]);
    };
    expect(run()).toBe(run());
  });
});
