// Maelstrom's lin-kv workload (also under its older name kv): read, write and cas over a few
// keys, with unique written values so that a history can be checked.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, wrongReply, type Pending, type Request, type Verdict } from './request-workload.js';

export class KvWorkload extends RequestWorkload {
  private nextValue = 1;

  protected nextRequest(): Request {
    const key = this.rng.int(this.spec.keys);
    const { read, write, cas } = this.spec.mix;
    const pick = this.rng.next() * (read + write + cas);
    if (pick < read) return { op: 'read', body: { type: 'read', key }, detail: { key } };
    if (pick < read + write) {
      const value = this.nextValue++;
      return { op: 'write', body: { type: 'write', key, value }, detail: { key, value } };
    }
    // cas from a recently written value, so that some succeed and some fail.
    const from = Math.max(1, this.nextValue - 1 - this.rng.int(3));
    const to = this.nextValue++;
    return { op: 'cas', body: { type: 'cas', key, from, to }, detail: { key, from, to } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    const expected = `${request.op}_ok`;
    if (reply.type !== expected) return wrongReply(`expected ${expected}, got ${reply.type}`);
    if (request.op !== 'read') return { outcome: 'ok' };
    // A missing value reads as null, as the built-in stores answer a key never written.
    return { outcome: 'ok', detail: { value: reply.value ?? null } };
  }
}
