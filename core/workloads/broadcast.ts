// Maelstrom's broadcast workload: clients hand unique messages to random nodes to spread,
// and now and then read what a node has delivered.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, type Pending, type Request, type Verdict } from './request-workload.js';

const READ_SHARE = 0.1;

export class BroadcastWorkload extends RequestWorkload {
  private nextMessage = 1;

  protected nextRequest(): Request {
    if (this.rng.next() < READ_SHARE) return { op: 'read', body: { type: 'read' }, detail: {} };
    const message = this.nextMessage++;
    return { op: 'broadcast', body: { type: 'broadcast', message }, detail: { message } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    if (request.op === 'broadcast') return reply.type === 'broadcast_ok' ? { outcome: 'ok' } : { outcome: 'fail', wrong: true };
    if (reply.type !== 'read_ok' || !Array.isArray(reply.messages)) return { outcome: 'fail', wrong: true };
    return { outcome: 'ok', detail: { count: reply.messages.length } };
  }
}
