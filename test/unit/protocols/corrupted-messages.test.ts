// Bodies as the switch's corruption leaves them (one character of a key, a string or a digit
// changed), fed straight to each protocol that used to throw on them: a peer's message that
// cannot be read is ignored with a log line, a client's request gets error 12, nothing throws.
import { describe, expect, it } from 'vitest';
import type { Body, Output, Program } from '../../../core/sdk/index.js';
import { withDefaults } from '../../../core/sdk/index.js';
import { raft } from '../../../core/protocols/raft/programs.js';
import type { RaftState } from '../../../core/protocols/raft/types.js';
import { txnWriteCycle } from '../../../core/protocols/maelstrom/txn-write-cycle.js';
import { linKvStale } from '../../../core/protocols/maelstrom/stale-kv.js';
import { primaryBackup } from '../../../core/protocols/replication/primary-backup.js';
import type { ReplicaState } from '../../../core/protocols/replication/replica-state.js';
import { shardedKv } from '../../../core/protocols/sharding/sharded-kv.js';
import { quorumKv } from '../../../core/protocols/quorum/quorum-kv.js';
import { kafka } from '../../../core/protocols/maelstrom/kafka.js';
import { SimNode, type SimNodeHost } from '../../../core/simulation/sim-node.js';

const PEERS = ['n1', 'n2', 'n3'];

function start<S>(program: Program, self: string, params: Record<string, unknown> = {}): { state: S; step(from: string, body: Body): Output[]; timer(name: string): Output[] } {
  const [initial] = program.protocol.init({ kind: 'start', self, peers: PEERS, params: withDefaults(program, params), now: 0, seed: 1 });
  const node = {
    state: initial as S,
    step(from: string, body: Body): Output[] {
      const [next, out] = program.protocol.step(node.state, { kind: 'message', from, body, now: 0 });
      node.state = next as S;
      return out;
    },
    timer(name: string): Output[] {
      const [next, out] = program.protocol.step(node.state, { kind: 'timer', name, now: 0 });
      node.state = next as S;
      return out;
    },
  };
  return node;
}

const sends = (out: Output[]) => out.filter((o) => o.kind === 'send').map((o) => (o as { body: Body }).body);
const onlyALogLine = (out: Output[]) => expect(out).toEqual([{ kind: 'log', text: expect.stringMatching(/^ignored a malformed /) }]);
const entry = (term: number, command: unknown) => ({ term, command });

describe('raft on corrupted bodies', () => {
  it('ignores an append_entries whose term key is corrupted, instead of taking a NaN term', () => {
    const n2 = start<RaftState>(raft, 'n2');
    onlyALogLine(n2.step('n1', { type: 'append_entries', msg_id: 1, tzrm: 1, prev_log_index: 0, prev_log_term: 0, entries: [], leader_commit: 0 }));
    expect(n2.state.currentTerm).toBe(0);
    expect(n2.state.leader).toBeNull();
  });

  it('ignores an append_entries carrying an entry whose command it cannot read, instead of throwing when it applies it', () => {
    const n2 = start<RaftState>(raft, 'n2');
    const base = { type: 'append_entries', msg_id: 1, term: 1, prev_log_index: 0, prev_log_term: 0, leader_commit: 1 };
    onlyALogLine(n2.step('n1', { ...base, entries: [entry(1, { op: 'noop' }), { term: 1, commznd: { op: 'noop' } }] }));
    onlyALogLine(n2.step('n1', { ...base, entries: [entry(1, { op: 'wrzte', key: 1, value: 2 })] }));
    onlyALogLine(n2.step('n1', { ...base, entries: [entry(1, { op: 'write', kez: 1, value: 2 })] }));
    const { prev_log_index: _, ...withoutPrevIndex } = base;
    onlyALogLine(n2.step('n1', { ...withoutPrevIndex, prev_log_indez: 0, entries: [] }));
    expect(n2.state.entries).toEqual([]);
    // The same message uncorrupted is taken.
    const out = n2.step('n1', { ...base, entries: [entry(1, { op: 'write', key: 1, value: 2 })] });
    expect(sends(out)).toEqual([{ type: 'append_entries_res', term: 1, success: true, match_index: 1, in_reply_to: 1 }]);
    expect(n2.state.commitIndex).toBe(1);
  });

  it('ignores a request_vote, a vote and an install_snapshot with a field missing', () => {
    const n2 = start<RaftState>(raft, 'n2');
    onlyALogLine(n2.step('n1', { type: 'request_vote', term: 1, last_log_index: 0, last_log_tzrm: 0 }));
    onlyALogLine(n2.step('n1', { type: 'request_vote_res', tarm: 1, vote_granted: true }));
    onlyALogLine(n2.step('n1', { type: 'install_snapshot', msg_id: 2, term: 1, last_included_indez: 3, last_included_term: 1, data: [] }));
    onlyALogLine(n2.step('n1', { type: 'install_snapshot', msg_id: 2, term: 1, last_included_index: 3, last_included_term: 1, dada: [] }));
    expect(n2.state.currentTerm).toBe(0);
    expect(n2.state.votedFor).toBeNull();
    expect(n2.state.snapshotIndex).toBe(0);
  });

  it('as leader, ignores a successful append_entries_res without its match_index, and goes on heartbeating', () => {
    const n1 = start<RaftState>(raft, 'n1');
    n1.timer('election');
    n1.step('n2', { type: 'request_vote_res', term: 1, vote_granted: true });
    expect(n1.state.role).toBe('leader');
    onlyALogLine(n1.step('n2', { type: 'append_entries_res', in_reply_to: 1, term: 1, success: true, match_indez: 1 }));
    expect(n1.state.progress.get('n2')).toMatchObject({ matchIndex: 0, nextIndex: 2 });
    expect(() => n1.timer('heartbeat')).not.toThrow();
  });

  it('answers a client request lacking a field with error 12 naming it', () => {
    const n1 = start<RaftState>(raft, 'n1');
    const error = (text: string, inReplyTo: number) => ({ type: 'error', code: 12, text, in_reply_to: inReplyTo });
    expect(sends(n1.step('c1', { type: 'read', msg_id: 1, kez: 1 }))).toEqual([error('malformed read: key is missing', 1)]);
    expect(sends(n1.step('c1', { type: 'write', msg_id: 2, key: 1, valhe: 3 }))).toEqual([error('malformed write: value is missing', 2)]);
    expect(sends(n1.step('c1', { type: 'cas', msg_id: 3, key: 1, from: 1, tn: 2 }))).toEqual([error('malformed cas: to is missing', 3)]);
  });
});

describe('txn-write-cycle on corrupted bodies', () => {
  it('ignores a replicated write that is not an append, which used to make the next append to its key throw', () => {
    const n1 = start<{ store: Map<string, unknown> }>(txnWriteCycle, 'n1');
    n1.step('n2', { type: 'replicate', writes: [['appenu', 1, 5]] });
    expect(n1.state.store.size).toBe(0);
    const [answer] = sends(n1.step('c1', { type: 'txn', msg_id: 1, txn: [['append', 1, 6], ['r', 1, null]] }));
    expect(answer).toMatchObject({ type: 'txn_ok', txn: [['append', 1, 6], ['r', 1, [6]]], in_reply_to: 1 });
  });
});

describe('lin-kv-stale on corrupted bodies', () => {
  it('answers a request lacking a field with error 12 instead of running it on the key null', () => {
    const n1 = start<{ kv: Map<string, unknown> }>(linKvStale, 'n1');
    const [answer] = sends(n1.step('c1', { type: 'write', msg_id: 1, kfy: 1, value: 2 }));
    expect(answer).toMatchObject({ type: 'error', code: 12, text: 'malformed write: key is missing', in_reply_to: 1 });
    expect(n1.state.kv.size).toBe(0);
  });
});

describe('primary-backup on corrupted bodies', () => {
  it('ignores a sync_snapshot whose index is missing or whose pairs are not pairs, keeping its log and store', () => {
    const n2 = start<ReplicaState>(primaryBackup, 'n2', { mode: 'sync', primary: 'n1' });
    const good = { type: 'sync_snapshot', sid: 'n1:1', index: 0, runs: [], kv: [], keep: 0, commit: 0 };
    for (const body of [{ ...good, indzx: 0, index: undefined }, { ...good, keep: 'x' }, { ...good, kv: [['k']] }, { ...good, kv: 7 }]) {
      expect(() => n2.step('n1', body as Body)).not.toThrow();
      expect(n2.state.log.last).toBe(0);
      expect(n2.state.kv.size).toBe(0);
    }
  });
});

describe('the other stores answer a client request lacking a field with error 12', () => {
  const malformed = (text: string) => [expect.objectContaining({ type: 'error', code: 12, text, in_reply_to: 1 })];
  it('sharded-kv and quorum-kv: a write whose key was corrupted', () => {
    for (const program of [shardedKv, quorumKv]) {
      const n1 = start<unknown>(program, 'n1');
      expect(sends(n1.step('c1', { type: 'write', msg_id: 1, kez: 1, value: 2 })), program.name).toEqual(malformed('malformed write: key is missing'));
    }
  });

  it('kafka: a send without its msg, a poll without offsets, a list without keys', () => {
    const owner = start<unknown>(kafka, 'n1');
    expect(sends(owner.step('c1', { type: 'send', msg_id: 1, key: 'k', mzg: 5 }))).toEqual(malformed('msg is missing'));
    expect(sends(owner.step('c1', { type: 'poll', msg_id: 1, offzets: { k: 0 } }))).toEqual(malformed('offsets must be an object of key: offset'));
    expect(sends(owner.step('c1', { type: 'list_committed_offsets', msg_id: 1, kezs: ['k'] }))).toEqual(malformed('keys must be a list'));
    // Nothing was stored by the malformed send.
    expect(sends(owner.step('c1', { type: 'poll', msg_id: 2, offsets: { k: 0 } }))).toEqual([expect.objectContaining({ type: 'poll_ok', msgs: {} })]);
  });
});

describe('the simulator node host', () => {
  it('logs and drops a body that does not parse or is not an object with a string type; the protocol never sees it', () => {
    const seen: Body[] = [];
    const logs: string[] = [];
    const program: Program = {
      name: 'seer',
      description: 'remembers what it is given',
      params: [],
      protocol: { init: () => [null, []], step: (s, input) => (input.kind === 'message' && seen.push(input.body), [s, []]) },
      logicalClocks: false,
    };
    const host = {
      scheduler: { nowUs: 0 },
      sink: { event() {}, metric() {}, log: (_t: number, _node: string, _stream: string, text: string) => logs.push(text) },
      sinkRetains: false,
      send() {},
      nodeEvent() {},
      exited() {},
    } as unknown as SimNodeHost;
    const node = new SimNode('n1', 1, program, {}, 1, { skewMs: 0, driftPpm: 0 }, PEERS, host);
    node.boot();
    for (const text of ['{"tzpe":"read","msg_id":1}', '[1]', '"read"', '{"type":5}', '{"type":"re', '{"type":"read","msg_id":2}']) node.receive('c1', text);
    expect(seen).toEqual([{ type: 'read', msg_id: 2 }]);
    expect(logs).toEqual([
      'malformed message from c1: {"tzpe":"read","msg_id":1}',
      'malformed message from c1: [1]',
      'malformed message from c1: "read"',
      'malformed message from c1: {"type":5}',
      'malformed message from c1: {"type":"re',
    ]);
  });
});
