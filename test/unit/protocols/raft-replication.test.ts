import { describe, it, expect } from 'vitest';
import { createRng, withDefaults } from '../../../core/sdk/index.js';
import type { Body, Output } from '../../../core/sdk/index.js';
import { raft } from '../../../core/protocols/raft/programs.js';
import type { LogEntry, RaftState } from '../../../core/protocols/raft/types.js';
import { RaftSim } from './raft-sim.js';

const noop = { op: 'noop' } as const;
const entry = (term: number): LogEntry => ({ term, command: noop });

/** A lone member built by init, for driving step() by hand. */
function member(self: string, peers: string[], edit: (s: RaftState) => void): RaftState {
  const [s] = raft.protocol.init({ kind: 'start', self, peers, params: withDefaults(raft, {}), now: 0, seed: 1 });
  edit(s as RaftState);
  return s as RaftState;
}

function step(s: RaftState, from: string, body: Body): Output[] {
  return raft.protocol.step(s, { kind: 'message', from, body, now: 0 })[1];
}

const sentBodies = (out: Output[]) => out.flatMap((o) => (o.kind === 'send' ? [{ to: o.to, ...o.body }] : []));

/** Every pair of nodes agrees on what it applied at every index both applied. */
function expectAppliedLogsAgree(sim: RaftSim): void {
  const byIndex = new Map<number, string>();
  for (const id of sim.ids) {
    for (const [index, digest] of sim.appliedBy(id)) {
      expect({ index, digest }).toEqual({ index, digest: byIndex.get(index) ?? digest });
      byIndex.set(index, digest);
    }
  }
}

function expectOneLeaderPerTerm(sim: RaftSim): void {
  for (const [term, leaders] of sim.leadersByTerm()) expect({ term, leaders }).toEqual({ term, leaders: leaders.slice(0, 1) });
}

describe('raft log replication', () => {
  it('a follower rejects a mismatched AppendEntries with the conflict hint, and merges without cutting matching entries', () => {
    const s = member('n1', ['n1', 'n2', 'n3'], (s) => (s.entries = [entry(1), entry(1), entry(2), entry(2), entry(2)]));
    const base = { type: 'append_entries', term: 3, entries: [], leader_commit: 0 };
    expect(sentBodies(step(s, 'n2', { ...base, msg_id: 9, prev_log_index: 5, prev_log_term: 3 }))).toEqual([
      { to: 'n2', type: 'append_entries_res', term: 3, success: false, conflict_index: 3, conflict_term: 2, in_reply_to: 9 },
    ]);
    expect(sentBodies(step(s, 'n2', { ...base, msg_id: 10, prev_log_index: 7, prev_log_term: 3 }))).toEqual([
      { to: 'n2', type: 'append_entries_res', term: 3, success: false, conflict_index: 6, conflict_term: null, in_reply_to: 10 },
    ]);
    // Index 3 conflicts (term 2 vs 3): the log is cut there and the leader's entry takes its place.
    expect(sentBodies(step(s, 'n2', { ...base, msg_id: 11, prev_log_index: 2, prev_log_term: 1, entries: [entry(3)] }))).toEqual([
      { to: 'n2', type: 'append_entries_res', term: 3, success: true, match_index: 3, in_reply_to: 11 },
    ]);
    expect(s.entries.map((e) => e.term)).toEqual([1, 1, 3]);
    // A stale, reordered append covering entries we already have must not cut anything.
    step(s, 'n2', { ...base, msg_id: 8, prev_log_index: 1, prev_log_term: 1, entries: [entry(1)] });
    expect(s.entries.map((e) => e.term)).toEqual([1, 1, 3]);
    expect(s).toMatchObject({ role: 'follower', leader: 'n2', currentTerm: 3 });
  });

  it('the leader skips a whole conflicting term when it backtracks', () => {
    const s = member('n1', ['n1', 'n2', 'n3'], (s) => {
      s.currentTerm = 3;
      s.role = 'leader';
      s.entries = [entry(1), entry(1), entry(3), entry(3)];
      s.progress.set('n2', { nextIndex: 5, matchIndex: 0, inFlight: 0, rewoundAtMsgId: 0 });
    });
    // n2 holds term 2 from index 3 on; we have no term 2, so we resend from index 3.
    const sent = sentBodies(step(s, 'n2', { type: 'append_entries_res', term: 3, success: false, conflict_index: 3, conflict_term: 2, in_reply_to: 1 }));
    expect(sent).toMatchObject([{ to: 'n2', type: 'append_entries', prev_log_index: 2, prev_log_term: 1, entries: [entry(3), entry(3)] }]);
    expect(s.progress.get('n2')!.nextIndex).toBe(5);
    // A rejection of an append sent before that rewind is stale and ignored.
    expect(step(s, 'n2', { type: 'append_entries_res', term: 3, success: false, conflict_index: 1, conflict_term: null, in_reply_to: 0 })).toEqual([]);
  });

  it('commits an earlier term\'s entry only once an entry of the current term is on a majority (figure 8)', () => {
    const peers = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const s = member('n1', peers, (s) => {
      s.currentTerm = 4;
      s.role = 'leader';
      s.entries = [entry(1), { term: 2, command: { op: 'write', key: 'x', value: 1 } }];
      for (const p of peers.slice(1)) s.progress.set(p, { nextIndex: 3, matchIndex: 0, inFlight: 0, rewoundAtMsgId: 0 });
    });
    const ack = (from: string, match: number) => step(s, from, { type: 'append_entries_res', term: 4, success: true, match_index: match });
    ack('n2', 2);
    ack('n3', 2);
    // Index 2 (term 2) is on 3 of 5 servers, but it is not of term 4: nothing commits yet.
    expect(s.commitIndex).toBe(0);
    s.entries.push({ term: 4, command: noop });
    ack('n2', 3);
    expect(s.commitIndex).toBe(0);
    const out = ack('n3', 3);
    expect(s.commitIndex).toBe(3);
    expect(s.kv.get('"x"')).toBe(1);
    expect(out.filter((o) => o.kind === 'event').map((o) => o.kind === 'event' && o.data)).toEqual([
      { index: 1, term: 1, key: null, digest: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { index: 2, term: 2, key: 'x', digest: expect.stringMatching(/^[0-9a-f]{8}$/) },
      { index: 3, term: 4, key: null, digest: expect.stringMatching(/^[0-9a-f]{8}$/) },
    ]);
    expect(out.filter((o) => o.kind === 'metric')).toEqual([
      { kind: 'metric', name: 'commit_index', value: 3 },
      { kind: 'metric', name: 'applied_index', value: 3 },
    ]);
  });

  it('repairs followers with divergent uncommitted entries after a leader change; all logs agree', () => {
    const sim = new RaftSim(raft, { seed: 21, nodes: 5 });
    const old = sim.settle(2000)!;
    for (let i = 0; i < 3; i++) sim.request('c1', old, { type: 'write', key: `k${i}`, value: i });
    sim.runFor(200);
    const follower = sim.ids.find((id) => id !== old)!;
    const majority = sim.ids.filter((id) => id !== old && id !== follower);
    sim.partition([old, follower], majority);
    const lost = [0, 1, 2].map((i) => sim.request('c2', old, { type: 'write', key: 'lost', value: i }));
    sim.runFor(100);
    // The minority's follower holds the old leader's uncommitted entries.
    const oldLast = sim.stateOf<RaftState>(old).entries.length;
    expect(sim.stateOf<RaftState>(follower).entries.length).toBe(oldLast);
    expect(sim.stateOf<RaftState>(old).commitIndex).toBe(oldLast - 3);

    sim.runUntil(() => majority.some((id) => sim.stateOf<RaftState>(id).role === 'leader'), 2000);
    const fresh = majority.find((id) => sim.stateOf<RaftState>(id).role === 'leader')!;
    const won = [0, 1, 2, 3, 4].map((i) => sim.request('c3', fresh, { type: 'write', key: 'won', value: i }));
    sim.runFor(300);
    for (const id of won) expect(sim.answerTo('c3', id)).toMatchObject({ type: 'write_ok' });
    expect(sim.stateOf<RaftState>(follower).entries[oldLast - 1].term).toBeLessThan(sim.stateOf<RaftState>(fresh).currentTerm);

    sim.heal();
    sim.runFor(1000);
    // The old leader stepped down and answered its waiting clients with error 0: outcome unknown.
    for (const id of lost) expect(sim.answerTo('c2', id)).toMatchObject({ type: 'error', code: 0 });
    const reference = sim.stateOf<RaftState>(fresh);
    for (const id of sim.ids) {
      const s = sim.stateOf<RaftState>(id);
      expect(s.entries).toEqual(reference.entries);
      expect(s.commitIndex).toBe(reference.entries.length);
      expect([...s.kv]).toEqual([...reference.kv]);
      expect(s.kv.has('"lost"')).toBe(false);
    }
    expectAppliedLogsAgree(sim);
    expectOneLeaderPerTerm(sim);
  });

  it('keeps every acknowledged write across crashes, pauses and partitions of successive leaders', () => {
    const sim = new RaftSim(raft, { seed: 31, nodes: 5 });
    const acknowledged = new Map<string, number>();
    const leaders: string[] = [];
    const faults = [
      (l: string) => sim.crash(l),
      (l: string) => sim.partition([l], sim.ids.filter((id) => id !== l)),
      (l: string) => sim.pause(l),
    ];
    for (const [round, fault] of faults.entries()) {
      const leader = sim.settle(3000)!;
      expect(leader).not.toBeNull();
      leaders.push(leader);
      const ids = ['a', 'b'].map((key) => [key, sim.request('c1', leader, { type: 'write', key, value: round })] as const);
      sim.runFor(300);
      for (const [key, id] of ids) {
        expect(sim.answerTo('c1', id)).toMatchObject({ type: 'write_ok' });
        acknowledged.set(key, round);
      }
      fault(leader);
      // Time for the others to elect someone new before the cut-off leader may rejoin.
      sim.runFor(1000);
      sim.heal();
    }
    for (const id of sim.ids) if (!sim.isCrashed(id)) sim.resume(id);
    const leader = sim.settle(3000)!;
    expect(new Set([...leaders, leader]).size).toBe(4);
    const reads = ['a', 'b'].map((key) => [key, sim.request('c1', leader, { type: 'read', key })] as const);
    sim.runFor(300);
    for (const [key, id] of reads) expect(sim.answerTo('c1', id)).toMatchObject({ type: 'read_ok', value: acknowledged.get(key) });
    expectAppliedLogsAgree(sim);
    expectOneLeaderPerTerm(sim);
  });

  it('sends a snapshot to a follower that fell behind the compacted log', () => {
    const sim = new RaftSim(raft, { seed: 4, nodes: 3, params: { logCompactionThreshold: 20 } });
    const leader = sim.settle(2000)!;
    const lagging = sim.ids.find((id) => id !== leader)!;
    sim.partition([lagging], sim.ids.filter((id) => id !== lagging));
    for (let i = 0; i < 60; i++) sim.request('c1', leader, { type: 'write', key: i % 7, value: i });
    sim.runFor(300);
    expect(sim.stateOf<RaftState>(leader).snapshotIndex).toBeGreaterThan(20);
    sim.heal();
    sim.runUntil(() => sim.eventsOf('snapshot').length > 0, 1000);
    sim.request('c1', leader, { type: 'write', key: 'after', value: 1 });
    sim.runFor(300);
    const [installed] = sim.eventsOf('snapshot');
    expect(installed.node).toBe(lagging);
    const l = sim.stateOf<RaftState>(leader);
    const f = sim.stateOf<RaftState>(lagging);
    expect([...f.kv]).toEqual([...l.kv]);
    expect(f.commitIndex).toBe(l.commitIndex);
    // Entries after the snapshot arrive as usual and are applied one by one.
    expect(sim.appliedBy(lagging).get(l.commitIndex)).toBe(sim.appliedBy(leader).get(l.commitIndex));
    // Memory stays bounded: compaction keeps at most the threshold of applied entries.
    for (const s of [l, f]) expect(s.lastApplied - s.snapshotIndex).toBeLessThanOrEqual(20);
    expectAppliedLogsAgree(sim);
  });

  it('keeps logs consistent and one leader per term under random faults with client load', () => {
    for (let seed = 200; seed < 206; seed++) {
      const sim = new RaftSim(raft, { seed, nodes: 5, delay: [1, 25] });
      const chaos = createRng(seed, 'chaos');
      for (let round = 0; round < 40; round++) {
        const shuffled = chaos.shuffle([...sim.ids]);
        const action = chaos.int(4);
        if (action === 0) sim.partition(shuffled.slice(0, 2), shuffled.slice(2));
        else if (action === 1) sim.heal();
        else if (action === 2 && sim.currentLeader()) sim.pause(sim.currentLeader()!);
        else for (const id of sim.ids) if (!sim.isUp(id)) sim.resume(id);
        for (let i = 0; i < 10; i++) {
          const key = chaos.int(3);
          const kind = chaos.int(3);
          const body = kind === 0 ? { type: 'read', key } : kind === 1 ? { type: 'write', key, value: chaos.int(5) } : { type: 'cas', key, from: chaos.int(5), to: chaos.int(5) };
          sim.request(`c${i}`, chaos.pick(sim.ids), body);
        }
        sim.runFor(100 + chaos.int(300));
      }
      sim.heal();
      for (const id of sim.ids) sim.resume(id);
      sim.runFor(2000);
      expect(sim.leadersByTerm().size).toBeGreaterThan(5);
      expectOneLeaderPerTerm(sim);
      expectAppliedLogsAgree(sim);
      const commits = sim.ids.map((id) => sim.stateOf<RaftState>(id).commitIndex);
      expect(new Set(commits).size).toBe(1);
      expect(commits[0]).toBeGreaterThan(100);
    }
  });
});
