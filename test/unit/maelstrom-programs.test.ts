// The built-in nodes for Maelstrom's workloads, driven through their state machines on the
// in-memory network: exact reply shapes, and convergence after loss and a healed partition.
import { describe, expect, it } from 'vitest';
import { broadcast } from '../../core/protocols/maelstrom/broadcast.js';
import { gCounter, pnCounter } from '../../core/protocols/maelstrom/counters.js';
import { gSet } from '../../core/protocols/maelstrom/g-set.js';
import { kafka } from '../../core/protocols/maelstrom/kafka.js';
import { txnListAppend, txnRwRegister } from '../../core/protocols/maelstrom/serialized-txn.js';
import { uniqueIds } from '../../core/protocols/maelstrom/unique-ids.js';
import { createSim } from './protocols/sim.js';
import { partitionWithLoss, seededLoss, testClient } from './protocols/maelstrom-client.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const THREE = ['n1', 'n2', 'n3'];
/** A reply's envelope: the node's own msg_id and the request's as in_reply_to. */
const ids = (inReplyTo: number) => ({ msg_id: expect.any(Number), in_reply_to: inReplyTo });

describe('unique-ids', () => {
  it('answers generate_ok with ids that stay distinct across nodes, even partitioned', () => {
    const sim = createSim(uniqueIds, THREE);
    sim.partition(['n1'], ['n2', 'n3']);
    const client = testClient(sim);
    const requests = Array.from({ length: 30 }, (_, i) => client.send(THREE[i % 3], { type: 'generate' }));
    sim.runUntil(50);
    const replies = requests.map((id) => client.replyTo(id));
    expect(replies[0]).toEqual({ type: 'generate_ok', id: expect.any(String), ...ids(requests[0]) });
    expect(new Set(replies.map((r) => r?.id)).size).toBe(30);
  });
});

describe('broadcast', () => {
  const line = { n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2', 'n4'], n4: ['n3', 'n5'], n5: ['n4'] };

  it('answers topology, broadcast and read with Maelstrom shapes', () => {
    const sim = createSim(broadcast, NODES);
    const client = testClient(sim);
    const topology = client.send('n1', { type: 'topology', topology: line });
    sim.runUntil(5);
    expect(client.replyTo(topology)).toEqual({ type: 'topology_ok', ...ids(topology) });
    const sent = client.send('n1', { type: 'broadcast', message: 42 });
    sim.runUntil(10);
    expect(client.replyTo(sent)).toEqual({ type: 'broadcast_ok', ...ids(sent) });
    expect(client.ask('n1', { type: 'read' })).toEqual({ type: 'read_ok', messages: [42], ...ids(3) });
  });

  it('gossips only to its topology neighbours, in batches, and every node reads every message after a healed partition', () => {
    const sim = createSim(broadcast, NODES, { gossipInterval: 50 });
    const client = testClient(sim);
    for (const node of NODES) client.send(node, { type: 'topology', topology: line });
    sim.runUntil(5);
    sim.setDrop(partitionWithLoss([['n1', 'n2'], ['n3', 'n4', 'n5']], 0.2));
    for (let m = 1; m <= 20; m++) client.send(m % 2 ? 'n1' : 'n5', { type: 'broadcast', message: m });
    sim.runUntil(1000);
    const duringPartition = client.ask('n5', { type: 'read' });
    expect(duringPartition?.messages).not.toContain(1); // n1's side cannot reach n5's yet
    sim.setDrop(seededLoss(0.2));
    sim.runUntil(3000);
    for (const node of NODES) {
      const read = client.ask(node, { type: 'read' });
      expect([...(read?.messages as number[])].sort((a, b) => a - b), node).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
    const gossip = sim.sends('gossip');
    expect(gossip.every(({ node, to }) => line[node as keyof typeof line].includes(to))).toBe(true);
    // Batching: a gossip carries many messages, so far fewer gossips than messages times links.
    expect(gossip.some((g) => (g.body.messages as unknown[]).length > 1)).toBe(true);
  });
});

describe('g-set', () => {
  it('answers add and read, and the copies agree once a partition heals', () => {
    const sim = createSim(gSet, THREE, { gossipInterval: 50 });
    const client = testClient(sim);
    sim.setDrop(partitionWithLoss([['n1'], ['n2', 'n3']], 0.2));
    const add = client.send('n1', { type: 'add', element: 'a' });
    client.send('n2', { type: 'add', element: 'b' });
    client.send('n3', { type: 'add', element: 'c' });
    sim.runUntil(500);
    expect(client.replyTo(add)).toEqual({ type: 'add_ok', ...ids(add) });
    expect(client.ask('n1', { type: 'read' })?.value).toEqual(['a']);
    sim.setDrop(seededLoss(0.2));
    sim.runUntil(1500);
    for (const node of THREE) {
      const read = client.ask(node, { type: 'read' });
      expect(read).toEqual({ type: 'read_ok', value: expect.any(Array), ...ids(read!.in_reply_to as number) });
      expect([...(read!.value as string[])].sort(), node).toEqual(['a', 'b', 'c']);
    }
  });
});

describe('g-counter and pn-counter', () => {
  it('counts every add made on both sides of a healed partition', () => {
    const sim = createSim(gCounter, THREE, { gossipInterval: 50 });
    const client = testClient(sim);
    sim.setDrop(partitionWithLoss([['n1'], ['n2', 'n3']], 0.2));
    const add = client.send('n1', { type: 'add', delta: 5 });
    client.send('n2', { type: 'add', delta: 3 });
    client.send('n3', { type: 'add', delta: 4 });
    sim.runUntil(500);
    expect(client.replyTo(add)).toEqual({ type: 'add_ok', ...ids(add) });
    expect(client.ask('n1', { type: 'read' })?.value).toBe(5);
    sim.setDrop(seededLoss(0.2));
    sim.runUntil(1500);
    for (const node of THREE) expect(client.ask(node, { type: 'read' }), node).toMatchObject({ type: 'read_ok', value: 12, msg_id: expect.any(Number) });
  });

  it('refuses a negative delta in a g-counter with error 12, and counts it in a pn-counter', () => {
    const g = testClient(createSim(gCounter, THREE));
    expect(g.ask('n1', { type: 'add', delta: -1 })).toEqual({ type: 'error', code: 12, text: expect.any(String), ...ids(1) });
    const sim = createSim(pnCounter, THREE, { gossipInterval: 50 });
    const pn = testClient(sim);
    pn.send('n1', { type: 'add', delta: 10 });
    pn.send('n2', { type: 'add', delta: -4 });
    pn.send('n3', { type: 'add', delta: -1 });
    sim.runUntil(300);
    for (const node of THREE) expect(pn.ask(node, { type: 'read' })?.value, node).toBe(5);
  });
});

describe('kafka', () => {
  it('assigns offsets in order at the owner, polls from an offset and keeps committed offsets from going back', () => {
    const sim = createSim(kafka, THREE);
    const client = testClient(sim);
    const first = client.send('n2', { type: 'send', key: 'k1', msg: 10 }); // forwarded to n1
    sim.runUntil(10);
    expect(client.replyTo(first)).toEqual({ type: 'send_ok', offset: 0, ...ids(first) });
    expect(client.ask('n1', { type: 'send', key: 'k1', msg: 11 })).toMatchObject({ type: 'send_ok', offset: 1 });
    expect(client.ask('n3', { type: 'send', key: 'k2', msg: 20 })).toMatchObject({ type: 'send_ok', offset: 0 });
    expect(client.ask('n3', { type: 'poll', offsets: { k1: 1, k2: 0, k3: 0 } })).toEqual({ type: 'poll_ok', msgs: { k1: [[1, 11]], k2: [[0, 20]] }, ...ids(4) });
    expect(client.ask('n2', { type: 'commit_offsets', offsets: { k1: 1 } })).toEqual({ type: 'commit_offsets_ok', ...ids(5) });
    client.ask('n2', { type: 'commit_offsets', offsets: { k1: 0 } });
    expect(client.ask('n3', { type: 'list_committed_offsets', keys: ['k1', 'k2'] })).toEqual({ type: 'list_committed_offsets_ok', offsets: { k1: 1 }, ...ids(7) });
  });

  it('answers error 0 (timeout, outcome unknown) when the owner is cut off, never a guess', () => {
    const sim = createSim(kafka, THREE, { forwardTimeout: 100 });
    sim.partition(['n1'], ['n2', 'n3']);
    const client = testClient(sim);
    expect(client.ask('n2', { type: 'send', key: 'k1', msg: 1 }, 200)).toEqual({ type: 'error', code: 0, text: expect.any(String), ...ids(1) });
  });
});

describe('txn-list-append and txn-rw-register', () => {
  it('completes reads in the reply, null for a missing key, and forwards to the owner', () => {
    const client = testClient(createSim(txnListAppend, THREE));
    const txn = [['r', 1, null], ['append', 1, 6], ['append', 2, 9]];
    expect(client.ask('n2', { type: 'txn', txn })).toEqual({ type: 'txn_ok', txn: [['r', 1, null], ['append', 1, 6], ['append', 2, 9]], ...ids(1) });
    expect(client.ask('n3', { type: 'txn', txn: [['r', 1, null], ['append', 1, 7], ['r', 1, null], ['r', 2, null]] })?.txn)
      .toEqual([['r', 1, [6]], ['append', 1, 7], ['r', 1, [6, 7]], ['r', 2, [9]]]);
    expect(client.ask('n1', { type: 'txn', txn: [['w', 1, 1]] })).toEqual({ type: 'error', code: 12, text: expect.any(String), ...ids(3) });
  });

  it('runs concurrent transactions from every node in one order, so all nodes read the same lists', () => {
    const sim = createSim(txnListAppend, THREE, {}, { delay: (_link, rng) => 1 + rng.int(10) });
    const client = testClient(sim);
    for (let v = 1; v <= 9; v++) client.send(THREE[v % 3], { type: 'txn', txn: [['append', 'x', v], ['append', 'y', v]] });
    sim.runUntil(100);
    const reads = THREE.map((node) => client.ask(node, { type: 'txn', txn: [['r', 'x', null], ['r', 'y', null]] })?.txn as unknown[][]);
    for (const read of reads) {
      expect(read[0][2]).toHaveLength(9);
      expect(read[0][2]).toEqual(read[1][2]); // x and y in the same order
      expect(read).toEqual(reads[0]);
    }
  });

  it('reads and writes registers', () => {
    const client = testClient(createSim(txnRwRegister, THREE));
    expect(client.ask('n2', { type: 'txn', txn: [['r', 1, null], ['w', 1, 6], ['r', 1, null]] })).toEqual({ type: 'txn_ok', txn: [['r', 1, null], ['w', 1, 6], ['r', 1, 6]], ...ids(1) });
    expect(client.ask('n3', { type: 'txn', txn: [['r', 1, null]] })?.txn).toEqual([['r', 1, 6]]);
  });
});
