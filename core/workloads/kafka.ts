// Maelstrom's kafka workload: clients send unique messages to keyed logs, poll from the offsets
// they have reached, commit what they have polled, and ask for committed offsets to start from
// (Maelstrom's assign). Keys are strings, as Maelstrom sends them.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, wrongReply, type Pending, type Request, type Verdict } from './request-workload.js';
import { acknowledged } from './read-reply.js';

type Offsets = Record<string, number>;

export class KafkaWorkload extends RequestWorkload {
  private nextMessage = 1;
  /** Per client: the next offset it wants to read, per key. */
  private readonly positions = new Map<string, Offsets>();
  /** Per client: the highest offset it has polled and not yet committed, per key. */
  private readonly uncommitted = new Map<string, Offsets>();

  private key(): string {
    return String(this.rng.int(this.spec.keys));
  }

  protected nextRequest(client: string): Request {
    const pick = this.rng.next();
    if (pick < 0.5) {
      const key = this.key();
      const msg = this.nextMessage++;
      return { op: 'send', body: { type: 'send', key, msg }, detail: { key, msg } };
    }
    if (pick < 0.8) {
      // Poll a key from where this client is, so that every key gets read.
      const positions = this.positionsOf(client);
      const key = this.key();
      const offsets = { [key]: positions[key] ?? 0 };
      return { op: 'poll', body: { type: 'poll', offsets }, detail: { offsets } };
    }
    // Commit what this client has polled, else ask where to start (Maelstrom's assign).
    const pending = this.uncommitted.get(client) ?? {};
    if (Object.keys(pending).length > 0) {
      const offsets = { ...pending };
      this.uncommitted.set(client, {});
      return { op: 'commit_offsets', body: { type: 'commit_offsets', offsets }, detail: { offsets } };
    }
    const keys = [this.key()];
    return { op: 'list_committed_offsets', body: { type: 'list_committed_offsets', keys }, detail: { keys } };
  }

  private positionsOf(client: string): Offsets {
    let p = this.positions.get(client);
    if (!p) this.positions.set(client, (p = {}));
    return p;
  }

  protected judge(reply: Body, request: Pending): Verdict {
    switch (request.op) {
      case 'send':
        if (reply.type !== 'send_ok') return wrongReply(`expected send_ok, got ${reply.type}`);
        if (!Number.isSafeInteger(reply.offset)) return wrongReply('send_ok without an integer offset');
        return { outcome: 'ok', detail: { offset: reply.offset } };
      case 'poll':
        return this.judgePoll(reply, request);
      case 'commit_offsets':
        return acknowledged(reply, 'commit_offsets_ok');
      default:
        return this.judgeCommitted(reply, request);
    }
  }

  private judgePoll(reply: Body, request: Pending): Verdict {
    if (reply.type !== 'poll_ok') return wrongReply(`expected poll_ok, got ${reply.type}`);
    const msgs = reply.msgs;
    if (typeof msgs !== 'object' || msgs === null || Array.isArray(msgs)) return wrongReply('poll_ok without a msgs map');
    for (const [key, pairs] of Object.entries(msgs)) {
      if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]))) {
        return wrongReply(`poll_ok's msgs["${key}"] is not a list of [offset, msg] pairs`);
      }
    }
    // The client reads on from past what it saw, and owes a commit for it.
    const positions = this.positionsOf(request.client);
    const owed = this.uncommitted.get(request.client) ?? {};
    for (const [key, pairs] of Object.entries(msgs as Record<string, Array<[number, unknown]>>)) {
      if (pairs.length === 0) continue;
      const highest = Math.max(...pairs.map((p) => p[0]));
      positions[key] = Math.max(positions[key] ?? 0, highest + 1);
      owed[key] = Math.max(owed[key] ?? -1, highest);
    }
    this.uncommitted.set(request.client, owed);
    return { outcome: 'ok', detail: { msgs } };
  }

  private judgeCommitted(reply: Body, request: Pending): Verdict {
    if (reply.type !== 'list_committed_offsets_ok') return wrongReply(`expected list_committed_offsets_ok, got ${reply.type}`);
    const offsets = reply.offsets;
    if (typeof offsets !== 'object' || offsets === null || Array.isArray(offsets) || !Object.values(offsets).every(Number.isSafeInteger)) {
      return wrongReply('list_committed_offsets_ok without an offsets map of integers');
    }
    // Like Maelstrom's assign: a key this client has not read yet starts after the committed offset.
    const positions = this.positionsOf(request.client);
    for (const [key, offset] of Object.entries(offsets as Offsets)) if (positions[key] === undefined) positions[key] = offset + 1;
    return { outcome: 'ok', detail: { committed: offsets } };
  }
}
