// Every store that forwards a client's request to a leader, a primary or an owner takes a
// forward the network duplicated once (core/protocols/forwarded/): a write, an append or a
// kafka send is applied once, and the client gets one answer. The network here delivers a
// second copy of every message between nodes, 20 ms after the first; clients' own requests
// are not duplicated (in Maelstrom's model a duplicated request is a second request).
import { describe, expect, it } from 'vitest';
import type { Body, Program } from '../../../core/sdk/index.js';
import { kafka } from '../../../core/protocols/maelstrom/kafka.js';
import { txnListAppend } from '../../../core/protocols/maelstrom/serialized-txn.js';
import { linKvStale } from '../../../core/protocols/maelstrom/stale-kv.js';
import { raft } from '../../../core/protocols/raft/programs.js';
import type { RaftState } from '../../../core/protocols/raft/types.js';
import { primaryBackup } from '../../../core/protocols/replication/primary-backup.js';
import type { ReplicaState } from '../../../core/protocols/replication/replica-state.js';
import { shardedKv, type ShardedKvState } from '../../../core/protocols/sharding/sharded-kv.js';
import { holdersOf } from '../../../core/protocols/sharding/placement.js';
import { keyText } from '../../../core/protocols/sharding/hash.js';
import { createSim, type Sim } from './sim.js';

const NODES = ['n1', 'n2', 'n3'];

/** A cluster whose node-to-node messages all arrive twice; `copies` counts the duplicates sent. */
function duplicatingCluster(program: Program, params: Record<string, unknown> = {}): { sim: Sim; ask: (node: string, body: Body, waitMs?: number) => Body[]; copies: () => number } {
  let copies = 0;
  let msgId = 0;
  let created: Sim | undefined;
  const pending: Array<(sim: Sim) => void> = [];
  const sim: Sim = createSim(program, NODES, params, {
    drop: (link) => {
      copies++;
      // What a node sends at init goes before the simulation exists: its copy is scheduled right after.
      const duplicate = (s: Sim) => s.at(link.time + 20, () => s.inject(link.to, link.from, link.body));
      if (created) duplicate(created);
      else pending.push(duplicate);
      return false;
    },
  });
  created = sim;
  for (const duplicate of pending) duplicate(sim);
  const ask = (node: string, body: Body, waitMs = 200): Body[] => {
    const id = ++msgId;
    sim.inject(node, 'c1', { ...body, msg_id: id });
    sim.runUntil(sim.now + waitMs);
    return sim.sends().filter((s) => s.to === 'c1' && s.body.in_reply_to === id).map((s) => s.body);
  };
  return { sim, ask, copies: () => copies };
}

const types = (answers: Body[]) => answers.map((a) => a.type);

describe('a duplicated forward is applied once', () => {
  it('kafka: each send forwarded to the owner gets one offset, and the log holds it once', () => {
    const { sim, ask, copies } = duplicatingCluster(kafka);
    expect(ask('n2', { type: 'send', key: 'k', msg: 'a' })).toMatchObject([{ type: 'send_ok', offset: 0 }]);
    expect(ask('n3', { type: 'send', key: 'k', msg: 'b' })).toMatchObject([{ type: 'send_ok', offset: 1 }]);
    expect(ask('n2', { type: 'send', key: 'k', msg: 'c' })).toMatchObject([{ type: 'send_ok', offset: 2 }]);
    expect(copies()).toBeGreaterThanOrEqual(6);
    expect(ask('n1', { type: 'poll', offsets: { k: 0 } })).toMatchObject([{ type: 'poll_ok', msgs: { k: [[0, 'a'], [1, 'b'], [2, 'c']] } }]);
    // A restarted forwarder numbers its forwards from 1 again, under a new boot time: they are new to the owner.
    sim.runUntil(sim.now + 100);
    sim.restart('n2');
    expect(ask('n2', { type: 'send', key: 'k', msg: 'd' })).toMatchObject([{ type: 'send_ok', offset: 3 }]);
  });

  it('txn-list-append: an append forwarded to the owner is appended once', () => {
    const { ask } = duplicatingCluster(txnListAppend);
    expect(types(ask('n2', { type: 'txn', txn: [['append', 'x', 1]] }))).toEqual(['txn_ok']);
    expect(types(ask('n3', { type: 'txn', txn: [['append', 'x', 2]] }))).toEqual(['txn_ok']);
    expect(ask('n2', { type: 'txn', txn: [['r', 'x', null]] })).toMatchObject([{ type: 'txn_ok', txn: [['r', 'x', [1, 2]]] }]);
  });

  it('lin-kv-stale: a write forwarded to the owner is applied once', () => {
    const { sim, ask } = duplicatingCluster(linKvStale);
    expect(types(ask('n2', { type: 'write', key: 'x', value: 1 }))).toEqual(['write_ok']);
    expect(sim.stateOf<{ versions: Map<string, number> }>('n1').versions.get(JSON.stringify('x'))).toBe(1);
  });

  it('raft: a write a follower forwards is appended to the log once', () => {
    const { sim, ask } = duplicatingCluster(raft);
    sim.runUntil(2000);
    const leader = NODES.find((n) => sim.stateOf<RaftState>(n).role === 'leader')!;
    const follower = NODES.find((n) => n !== leader)!;
    expect(types(ask(follower, { type: 'write', key: 'x', value: 1 }, 500))).toEqual(['write_ok']);
    expect(types(ask(follower, { type: 'cas', key: 'x', from: 1, to: 2 }, 500))).toEqual(['cas_ok']);
    const applied = sim.events('apply').filter((e) => e.node === leader && e.data.key === 'x');
    expect(applied).toHaveLength(2);
  });

  it('primary-backup: a write a backup relays is applied once by the primary', () => {
    const { sim, ask } = duplicatingCluster(primaryBackup, { mode: 'sync', primary: 'n1' });
    expect(types(ask('n2', { type: 'write', key: 'x', value: 1 }))).toEqual(['write_ok']);
    expect(types(ask('n3', { type: 'write', key: 'x', value: 2 }))).toEqual(['write_ok']);
    expect(sim.stateOf<ReplicaState>('n1').log.last).toBe(2);
  });

  it('sharded-kv: a write passed on to the key\'s owner is applied once', () => {
    const { sim, ask } = duplicatingCluster(shardedKv, { vnodes: 8 });
    for (const key of [1, 2, 3, 4, 5, 6]) {
      const owner = holdersOf(sim.stateOf<ShardedKvState>('n1').placement, key)[0];
      const other = NODES.find((n) => n !== owner)!;
      expect(types(ask(other, { type: 'write', key, value: 'v' }))).toEqual(['write_ok']);
      expect(sim.stateOf<ShardedKvState>(owner).store.get(keyText(key))?.version).toBe(1);
    }
  });
});
