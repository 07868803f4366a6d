// Maelstrom's g-set workload: clients add unique elements to a grow-only set and now and then
// read it; at the end every node is read once more, after faults heal and a quiet period.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, type Pending, type Request, type Verdict } from './request-workload.js';
import { acknowledged, isList, readReply } from './read-reply.js';

const READ_SHARE = 0.1;
const READ: Request = { op: 'read', body: { type: 'read' }, detail: {} };

export class GSetWorkload extends RequestWorkload {
  private nextElement = 1;

  protected nextRequest(): Request {
    if (this.rng.next() < READ_SHARE) return READ;
    const element = this.nextElement++;
    return { op: 'add', body: { type: 'add', element }, detail: { element } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    if (request.op === 'add') return acknowledged(reply, 'add_ok');
    return readReply(reply, 'value', isList, 'a list');
  }

  finalReads(nodes: readonly string[]): Promise<void> {
    return this.sendToEach(nodes, () => READ);
  }
}
