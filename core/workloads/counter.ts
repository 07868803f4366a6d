// Maelstrom's g-counter and pn-counter workloads: clients add deltas (g: 1…5; pn: -5…4, as
// Maelstrom draws them) and read the sum; at the end every node is read
// once more, after faults heal and a quiet period.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, type Pending, type Request, type Verdict } from './request-workload.js';
import { acknowledged, isInteger, readReply } from './read-reply.js';

const READ_SHARE = 0.5;
const READ: Request = { op: 'read', body: { type: 'read' }, detail: {} };

export class CounterWorkload extends RequestWorkload {
  protected nextRequest(): Request {
    if (this.rng.next() < READ_SHARE) return READ;
    const delta = this.spec.kind === 'g-counter' ? 1 + this.rng.int(5) : this.rng.int(10) - 5;
    return { op: 'add', body: { type: 'add', delta }, detail: { delta } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    if (request.op === 'add') return acknowledged(reply, 'add_ok');
    return readReply(reply, 'value', isInteger, 'an integer');
  }

  finalReads(nodes: readonly string[]): Promise<void> {
    return this.sendToEach(nodes, () => READ);
  }
}
