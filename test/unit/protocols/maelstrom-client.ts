// A Maelstrom client for protocol tests on the in-memory network: it numbers its requests
// and finds the replies the nodes sent back to it (sends to clients are recorded only).
import { createRng } from '../../../core/sdk/index.js';
import type { Body } from '../../../core/sdk/index.js';
import type { Link, Sim } from './sim.js';

export interface TestClient {
  /** Sends the request to `node` now and returns its msg_id. */
  send(node: string, body: Body): number;
  /** The node's reply to the request with this msg_id, if one has come. */
  replyTo(msgId: number): Body | undefined;
  /** Sends, runs the network `waitMs` on, and returns the reply. */
  ask(node: string, body: Body, waitMs?: number): Body | undefined;
}

export function testClient(sim: Sim, name = 'c1'): TestClient {
  let nextMsgId = 1;
  const client: TestClient = {
    send(node, body) {
      const msgId = nextMsgId++;
      sim.inject(node, name, { ...body, msg_id: msgId });
      return msgId;
    },
    replyTo: (msgId) => sim.sends().find((s) => s.to === name && s.body.in_reply_to === msgId)?.body,
    ask(node, body, waitMs = 20) {
      const msgId = client.send(node, body);
      sim.runUntil(sim.now + waitMs);
      return client.replyTo(msgId);
    },
  };
  return client;
}

/** Loses the given share of messages between nodes, drawn from a seeded stream. */
export function seededLoss(share: number, seed = 7): (link: Link) => boolean {
  const rng = createRng(seed, 'loss');
  return () => rng.next() < share;
}

/** Drops messages between the groups and, besides, a seeded share of all the others. */
export function partitionWithLoss(groups: string[][], share: number): (link: Link) => boolean {
  const lost = seededLoss(share);
  const groupOf = (id: string) => groups.findIndex((g) => g.includes(id));
  return (link) => (groupOf(link.from) >= 0 && groupOf(link.to) >= 0 && groupOf(link.from) !== groupOf(link.to)) || lost(link);
}
