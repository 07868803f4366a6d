import { describe, it, expect } from 'vitest';
import { primaryBackup } from '../../../core/protocols/replication/primary-backup.js';
import { opDigest } from '../../../core/protocols/replication/kv-store.js';
import type { ReplicaState } from '../../../core/protocols/replication/replica-state.js';
import { PbSim } from './pb-sim.js';

const nodes = ['n1', 'n2', 'n3'];
const appliedIndexes = (sim: PbSim, node: string) => sim.events('apply', node).map((e) => e.data.index);
const kvOf = (sim: PbSim, node: string) => Object.fromEntries(sim.stateOf<ReplicaState>(node).kv);
const sentAt = (sim: PbSim, from: string, type: string) => sim.sent.filter((m) => m.from === from && m.body.type === type).map((m) => m.time);

describe('primary-backup with a fixed primary', () => {
  it('announces the primary once and reports empty logs', () => {
    const sim = new PbSim(primaryBackup, nodes);
    sim.runUntil(50);
    expect(sim.events(undefined, 'n1').map((e) => [e.type, e.data])).toEqual([
      ['leader', { leader: 'n1', term: 0 }],
      ['role', { role: 'leader', term: 0 }],
    ]);
    expect(sim.events(undefined, 'n2').map((e) => [e.type, e.data])).toEqual([
      ['leader', { leader: 'n1', term: 0 }],
      ['role', { role: 'follower', term: 0 }],
    ]);
    expect(sim.metrics('last_index').map((m) => [m.node, m.value])).toEqual([['n1', 0]]);
    expect(sim.metrics('commit_index').map((m) => [m.node, m.value])).toEqual([['n1', 0]]);
    expect(sim.metrics('applied_index').map((m) => [m.node, m.value])).toEqual([['n1', 0], ['n2', 0], ['n3', 0]]);
  });

  it('sync: a write is acknowledged only after every backup applied it', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'sync' });
    sim.runUntil(10);
    const id = sim.request('c1', 'n1', { type: 'write', key: 'x', value: 1 });
    sim.runUntil(100);
    const digest = opDigest({ type: 'write', key: 'x', value: 1 });
    const applies = sim.events('apply');
    expect(applies.map((e) => [e.node, e.time, e.data])).toEqual([
      ['n1', 11, { index: 1, term: 0, key: 'x', digest }],
      ['n2', 12, { index: 1, term: 0, key: 'x', digest }],
      ['n3', 12, { index: 1, term: 0, key: 'x', digest }],
    ]);
    // The acks are back at 13: only then does the client get its answer.
    expect(sentAt(sim, 'n1', 'write_ok')).toEqual([13]);
    expect(sim.answerTo('c1', id)!.body).toEqual({ type: 'write_ok', in_reply_to: id });
    expect(sim.metrics('last_index', 'n1').map((m) => [m.time, m.value])).toEqual([[0, 0], [11, 1]]);
    expect(sim.metrics('commit_index', 'n1').map((m) => [m.time, m.value])).toEqual([[0, 0], [13, 1]]);
    for (const node of nodes) expect(kvOf(sim, node)).toEqual({ '"x"': 1 });
  });

  it('async: the client is answered before any backup applies the write', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'async' });
    // The replicates are lost: the client hears write_ok all the same.
    sim.drop = (_from, _to, body) => body.type === 'replicate' && sim.now < 100;
    sim.runUntil(10);
    const id = sim.request('c1', 'n1', { type: 'write', key: 'x', value: 1 });
    sim.runUntil(100);
    expect(sim.answerTo('c1', id)!).toMatchObject({ time: 12, body: { type: 'write_ok' } });
    expect(appliedIndexes(sim, 'n2')).toEqual([]);
    expect(sim.metrics('commit_index', 'n1').at(-1)).toMatchObject({ time: 11, value: 1 });
    // No later write reveals the gap, so the primary sends the newest entry again to backups that did not ack it.
    sim.runUntil(200);
    expect(sim.events('apply', 'n2').map((e) => [e.time, e.data.index])).toEqual([[112, 1]]);
    expect(appliedIndexes(sim, 'n3')).toEqual([1]);
  });

  it('fills a gap in a backup log with sync_request', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'sync' });
    sim.drop = (_from, to, body) => to === 'n2' && body.type === 'replicate' && body.index === 2;
    const ids: number[] = [];
    for (const [i, time] of [10, 20, 30].entries()) sim.at(time, () => ids.push(sim.request('c1', 'n1', { type: 'write', key: 'k', value: i + 1 })));
    sim.runUntil(600);
    expect(appliedIndexes(sim, 'n2')).toEqual([1, 2, 3]);
    // Entry 3 waited in the buffer from 32 ms; the gap persisted for gapTimeout (100 ms).
    const requests = sim.sent.filter((m) => m.from === 'n2' && m.body.type === 'sync_request' && m.time > 0);
    expect(requests.map((m) => [m.time, m.body.from])).toEqual([[132, 2]]);
    expect(sim.events('apply', 'n2').slice(1).map((e) => e.time)).toEqual([134, 134]);
    // The writes waited for n2 but within replicationTimeout, so they succeeded.
    expect(ids.map((id) => sim.answerTo('c1', id)!.body.type)).toEqual(['write_ok', 'write_ok', 'write_ok']);
    expect(sim.answerTo('c1', ids[1])!.time).toBe(136);
    expect(sim.metrics('applied_index', 'n2').map((m) => m.value)).toEqual([0, 1, 3]);
    expect(kvOf(sim, 'n2')).toEqual({ '"k"': 3 });
  });

  it('a resync reply overtaken by the missing replicate neither truncates nor applies twice', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'sync' });
    // Replicate 2 reaches n2 at 133, between its sync_request (132) and the reply (134).
    sim.delayFor = (_from, to, body) => (to === 'n2' && body.type === 'replicate' && body.index === 2 ? 112 : undefined);
    for (const [i, time] of [10, 20, 30].entries()) sim.at(time, () => sim.request('c1', 'n1', { type: 'write', key: 'k', value: i + 1 }));
    sim.runUntil(300);
    expect(sentAt(sim, 'n2', 'sync_request').filter((t) => t > 0)).toEqual([132]);
    expect(sentAt(sim, 'n1', 'sync_entries').filter((t) => t > 10)).toEqual([133]);
    expect(sim.events('apply', 'n2').map((e) => [e.time, e.data.index])).toEqual([[12, 1], [133, 2], [133, 3]]);
    expect(sim.events('truncate')).toEqual([]);
    expect(kvOf(sim, 'n2')).toEqual({ '"k"': 3 });
  });

  it('serves read, write and cas with lin-kv semantics and errors', () => {
    const sim = new PbSim(primaryBackup, nodes);
    const ask = (body: Record<string, unknown> & { type: string }) => {
      const id = sim.request('c1', 'n1', body);
      sim.runFor(20);
      const { in_reply_to: _ignored, ...answer } = sim.answerTo('c1', id)!.body;
      return answer;
    };
    sim.runUntil(10);
    expect(ask({ type: 'read', key: 'a' })).toMatchObject({ type: 'error', code: 20 });
    expect(ask({ type: 'write', key: 'a', value: 1 })).toEqual({ type: 'write_ok' });
    expect(ask({ type: 'read', key: 'a' })).toEqual({ type: 'read_ok', value: 1 });
    expect(ask({ type: 'cas', key: 'a', from: 2, to: 3 })).toMatchObject({ type: 'error', code: 22 });
    expect(ask({ type: 'cas', key: 'b', from: 1, to: 2 })).toMatchObject({ type: 'error', code: 20 });
    expect(ask({ type: 'cas', key: 'a', from: 1, to: 3 })).toEqual({ type: 'cas_ok' });
    expect(ask({ type: 'read', key: 'a' })).toEqual({ type: 'read_ok', value: 3 });
    expect(ask({ type: 'delete', key: 'a' })).toMatchObject({ type: 'error', code: 10 });
    // Keys keep their JSON type: 1 and "1" differ.
    expect(ask({ type: 'write', key: 1, value: 'one' })).toEqual({ type: 'write_ok' });
    expect(ask({ type: 'read', key: '1' })).toMatchObject({ type: 'error', code: 20 });
    // Only the writes that changed the state were logged and replicated.
    expect(sim.events('apply', 'n3').map((e) => [e.data.index, e.data.key, e.data.digest])).toEqual([
      [1, 'a', opDigest({ type: 'write', key: 'a', value: 1 })],
      [2, 'a', opDigest({ type: 'cas', key: 'a', from: 1, to: 3 })],
      [3, 1, opDigest({ type: 'write', key: 1, value: 'one' })],
    ]);
    expect(kvOf(sim, 'n3')).toEqual({ '"a"': 3, '1': 'one' });
  });

  it('a backup forwards client requests to the primary and relays the answer under the client msg_id', () => {
    const sim = new PbSim(primaryBackup, nodes);
    sim.runUntil(10);
    const write = sim.request('c1', 'n2', { type: 'write', key: 'x', value: 7, lamport: 4, vc: { c1: 1 } });
    sim.runUntil(30);
    const read = sim.request('c2', 'n3', { type: 'read', key: 'x' });
    sim.runUntil(60);
    const forwarded = sim.sent.find((m) => m.from === 'n2' && m.to === 'n1' && m.body.type === 'write')!;
    // The client's clocks stay behind; the relay carries its own stamp, so that the primary takes a duplicated copy once.
    expect(forwarded.body).toEqual({ type: 'write', key: 'x', value: 7, msg_id: 1, forward_stamp: { boot: expect.any(Number), seq: 1 } });
    expect(sim.answerTo('c1', write)).toMatchObject({ from: 'n2', body: { type: 'write_ok', in_reply_to: write } });
    expect(sim.answerTo('c2', read)).toMatchObject({ from: 'n3', body: { type: 'read_ok', value: 7, in_reply_to: read } });
    expect(sim.stateOf<ReplicaState>('n2').forwards.size).toBe(0);
  });

  it('a backup whose primary does not answer replies error 0 (the outcome is unknown)', () => {
    const sim = new PbSim(primaryBackup, nodes, { replicationTimeout: 200 });
    sim.runUntil(10);
    sim.crash('n1');
    const id = sim.request('c1', 'n2', { type: 'read', key: 'x' });
    sim.runUntil(1000);
    // Forwarded at 11, given up after twice the replication timeout.
    expect(sim.answerTo('c1', id)).toMatchObject({ time: 412, body: { type: 'error', code: 0, in_reply_to: id } });
  });

  it('sync: a crashed backup fails writes with error 0 (outcome unknown) until it is back, and nothing is committed without it', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'sync' });
    sim.runUntil(5);
    sim.crash('n3');
    const first = sim.request('c1', 'n1', { type: 'write', key: 'x', value: 1 });
    sim.runUntil(600);
    expect(sim.answerTo('c1', first)).toMatchObject({ time: 507, body: { type: 'error', code: 0 } });
    const second = sim.request('c1', 'n1', { type: 'write', key: 'x', value: 2 });
    sim.runUntil(1200);
    // The primary never drops a backup on its own: that is how a cut-off primary would split the brain.
    expect(sim.answerTo('c1', second)).toMatchObject({ time: 1102, body: { type: 'error', code: 0 } });
    // Both writes stand at the primary and the live backup (error 0 means "unknown", not "undone").
    expect(kvOf(sim, 'n2')).toEqual({ '"x"': 2 });
    sim.start('n3');
    sim.runUntil(1300);
    expect(appliedIndexes(sim, 'n3')).toEqual([1, 2]);
    const third = sim.request('c1', 'n1', { type: 'write', key: 'x', value: 3 });
    sim.runUntil(1400);
    // n3 acked again, so it is waited for: it applied index 3 before the answer left n1.
    expect(sim.answerTo('c1', third)!.body.type).toBe('write_ok');
    expect(sim.events('apply', 'n3').at(-1)!.time).toBeLessThan(sim.answerTo('c1', third)!.time);
    expect(kvOf(sim, 'n3')).toEqual({ '"x"': 3 });
  });

  it('a restarted fixed primary starts from an empty log and the backups truncate to it', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'sync' });
    for (const [i, time] of [10, 20, 30].entries()) sim.at(time, () => sim.request('c1', 'n1', { type: 'write', key: `k${i}`, value: i }));
    sim.runUntil(100);
    sim.crash('n1');
    sim.runUntil(200);
    sim.start('n1');
    sim.runUntil(300);
    const id = sim.request('c1', 'n1', { type: 'write', key: 'new', value: 9 });
    sim.runUntil(400);
    expect(sim.answerTo('c1', id)!.body.type).toBe('write_ok');
    for (const node of ['n2', 'n3']) {
      expect(sim.events('truncate', node).map((e) => e.data)).toEqual([{ from: 3, to: 0 }]);
      expect(appliedIndexes(sim, node)).toEqual([1, 2, 3, 1]);
      expect(kvOf(sim, node)).toEqual({ '"new"': 9 });
    }
  });

  it('a backup too far behind for the log window gets a snapshot', () => {
    const sim = new PbSim(primaryBackup, nodes, { mode: 'async' });
    sim.crash('n3');
    for (let i = 0; i < 1200; i++) sim.request('c1', 'n1', { type: 'write', key: i % 7, value: i });
    sim.runUntil(100);
    sim.start('n3');
    sim.runUntil(200);
    expect(sim.events(undefined, 'n3').filter((e) => e.type === 'snapshot' || e.type === 'truncate' || e.type === 'apply')).toEqual([
      expect.objectContaining({ type: 'snapshot', data: { index: 1200 } }),
    ]);
    // 0 at the first start, 0 again after the restart, then the snapshot.
    expect(sim.metrics('applied_index', 'n3').map((m) => m.value)).toEqual([0, 0, 1200]);
    expect(kvOf(sim, 'n3')).toEqual(kvOf(sim, 'n1'));
    // It follows on from there.
    sim.request('c1', 'n1', { type: 'write', key: 'after', value: 1 });
    sim.runUntil(250);
    expect(sim.events('apply', 'n3').map((e) => e.data.index)).toEqual([1201]);
  });

  it('is deterministic', () => {
    const run = () => {
      const sim = new PbSim(primaryBackup, nodes, { mode: 'sync' });
      sim.drop = (_from, to, body) => to === 'n3' && body.type === 'replicate' && Number(body.index) % 3 === 0;
      for (let i = 0; i < 30; i++) sim.at(10 + i * 7, () => sim.request('c1', i % 2 ? 'n2' : 'n1', { type: 'write', key: i % 4, value: i }));
      sim.at(120, () => sim.crash('n2'));
      sim.at(400, () => sim.start('n2'));
      sim.runUntil(1500);
      return JSON.stringify([sim.records, sim.inbox]);
    };
    expect(run()).toBe(run());
  });
});
