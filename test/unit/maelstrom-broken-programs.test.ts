// The three nodes broken on purpose, each made to show its anomaly on the in-memory network:
// a stale read, adds lost after a partition, and two nodes that order appends differently.
import { describe, expect, it } from 'vitest';
import { gCounterLossy } from '../../core/protocols/maelstrom/lossy-counter.js';
import { linKvStale } from '../../core/protocols/maelstrom/stale-kv.js';
import { txnWriteCycle } from '../../core/protocols/maelstrom/txn-write-cycle.js';
import { createSim } from './protocols/sim.js';
import { testClient } from './protocols/maelstrom-client.js';

const THREE = ['n1', 'n2', 'n3'];
const ids = (inReplyTo: number) => ({ msg_id: expect.any(Number), in_reply_to: inReplyTo });

describe('lin-kv-stale', () => {
  it('answers lin-kv shapes, with errors 20 and 22', () => {
    const client = testClient(createSim(linKvStale, THREE));
    expect(client.ask('n1', { type: 'read', key: 1 })).toEqual({ type: 'error', code: 20, text: expect.any(String), ...ids(1) });
    expect(client.ask('n2', { type: 'write', key: 1, value: 5 })).toEqual({ type: 'write_ok', ...ids(2) });
    expect(client.ask('n3', { type: 'cas', key: 1, from: 4, to: 6 })).toEqual({ type: 'error', code: 22, text: expect.any(String), ...ids(3) });
    expect(client.ask('n1', { type: 'cas', key: 1, from: 5, to: 6 })).toEqual({ type: 'cas_ok', ...ids(4) });
    expect(client.ask('n1', { type: 'read', key: 1 })).toEqual({ type: 'read_ok', value: 6, ...ids(5) });
  });

  it('serves a stale read after an acknowledged write, until the owner replicates', () => {
    const sim = createSim(linKvStale, THREE, { replicationDelay: 200 });
    const client = testClient(sim);
    client.ask('n1', { type: 'write', key: 'x', value: 1 });
    sim.runUntil(500);
    expect(client.ask('n2', { type: 'write', key: 'x', value: 2 })).toMatchObject({ type: 'write_ok' });
    // The write is acknowledged, yet n2's own copy still holds the value before it.
    expect(client.ask('n2', { type: 'read', key: 'x' })).toMatchObject({ type: 'read_ok', value: 1 });
    sim.runUntil(sim.now + 300);
    expect(client.ask('n2', { type: 'read', key: 'x' })).toMatchObject({ type: 'read_ok', value: 2 });
  });
});

describe('g-counter-lossy', () => {
  it('sums adds made one after another without faults', () => {
    const sim = createSim(gCounterLossy, THREE);
    const client = testClient(sim);
    for (const [i, node] of THREE.entries()) client.ask(node, { type: 'add', delta: i + 1 }, 50);
    sim.runUntil(sim.now + 500);
    for (const node of THREE) expect(client.ask(node, { type: 'read' }), node).toMatchObject({ type: 'read_ok', value: 6 });
  });

  it('loses the adds of one side of a partition once it heals', () => {
    const sim = createSim(gCounterLossy, THREE, { gossipInterval: 50 });
    const client = testClient(sim);
    sim.partition(['n1'], ['n2', 'n3']);
    expect(client.ask('n1', { type: 'add', delta: 5 })).toEqual({ type: 'add_ok', ...ids(1) });
    client.ask('n2', { type: 'add', delta: 3 });
    client.ask('n3', { type: 'add', delta: 4 });
    sim.runUntil(500);
    sim.setDrop(undefined);
    sim.runUntil(1000);
    const reads = THREE.map((node) => client.ask(node, { type: 'read' })?.value);
    // Every add was acknowledged (5 + 3 + 4 = 12), but the nodes agree on less.
    expect(reads).toEqual([7, 7, 7]);
  });
});

describe('txn-write-cycle', () => {
  it('lets two nodes order the same appends differently, on two keys at once', () => {
    const sim = createSim(txnWriteCycle, THREE, { replicationDelay: 50 });
    const client = testClient(sim);
    const first = client.send('n1', { type: 'txn', txn: [['append', 'x', 1], ['append', 'y', 1]] });
    client.send('n2', { type: 'txn', txn: [['append', 'x', 2], ['append', 'y', 2]] });
    sim.runUntil(5);
    expect(client.replyTo(first)).toEqual({ type: 'txn_ok', txn: [['append', 'x', 1], ['append', 'y', 1]], ...ids(first) });
    sim.runUntil(200);
    const read = [['r', 'x', null], ['r', 'y', null]];
    expect(client.ask('n1', { type: 'txn', txn: read })?.txn).toEqual([['r', 'x', [1, 2]], ['r', 'y', [1, 2]]]);
    expect(client.ask('n2', { type: 'txn', txn: read })?.txn).toEqual([['r', 'x', [2, 1]], ['r', 'y', [2, 1]]]);
  });
});
