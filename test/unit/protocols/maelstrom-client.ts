// A Maelstrom client for protocol tests on the in-memory network: it numbers its requests
// and finds the replies the nodes sent back to it (sends to clients are recorded only).
import { createRng } from '../../../core/sdk/index.js';
import type { Body } from '../../../core/sdk/index.js';
import type { HistoryOp } from '../../../core/checks/history.js';
import type { Link, Sim } from './sim.js';

export interface TestClient {
  /** Sends the request to `node` now and returns its msg_id. */
  send(node: string, body: Body): number;
  /** The node's reply to the request with this msg_id, if one has come. */
  replyTo(msgId: number): Body | undefined;
  /** Sends, runs the network `waitMs` on, and returns the reply. */
  ask(node: string, body: Body, waitMs?: number): Body | undefined;
  /** Every request so far as a checker reads it: times in µs, outcome, and the workload's detail. */
  history(): HistoryOp[];
}

const INDEFINITE_CODES = new Set([0, 13]);

export function testClient(sim: Sim, name = 'c1'): TestClient {
  let nextMsgId = 1;
  const requests: Array<{ msgId: number; node: string; body: Body; at: number }> = [];
  const replyRecord = (msgId: number) => sim.sends().find((s) => s.to === name && s.body.in_reply_to === msgId);
  const client: TestClient = {
    send(node, body) {
      const msgId = nextMsgId++;
      requests.push({ msgId, node, body, at: sim.now });
      sim.inject(node, name, { ...body, msg_id: msgId });
      return msgId;
    },
    replyTo: (msgId) => replyRecord(msgId)?.body,
    history: () =>
      requests.map(({ msgId, node, body, at }) => {
        const reply = replyRecord(msgId);
        const { type, ...fields } = body;
        const detail: Record<string, unknown> = { ...fields };
        if (reply?.body.type === 'read_ok') detail.value = reply.body.value;
        if (reply?.body.type === 'txn_ok') detail.result = reply.body.txn;
        if (reply?.body.type === 'error') detail.code = reply.body.code;
        const outcome = !reply || (reply.body.type === 'error' && INDEFINITE_CODES.has(reply.body.code as number)) ? 'unknown' : reply.body.type === 'error' ? 'fail' : 'ok';
        return { id: msgId, client: name, node, f: type, invokeUs: at * 1000, completeUs: reply && outcome !== 'unknown' ? reply.time * 1000 : null, outcome, detail };
      }),
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
