// Maelstrom's unique-ids workload: clients ask random nodes to generate an id; every id
// acknowledged must be distinct from all others. Ids may be any JSON value.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, wrongReply, type Pending, type Request, type Verdict } from './request-workload.js';

export class UniqueIdsWorkload extends RequestWorkload {
  protected nextRequest(): Request {
    return { op: 'generate', body: { type: 'generate' }, detail: {} };
  }

  protected judge(reply: Body, _request: Pending): Verdict {
    if (reply.type !== 'generate_ok') return wrongReply(`expected generate_ok, got ${reply.type}`);
    if (!('id' in reply) || reply.id === undefined) return wrongReply('generate_ok without id');
    return { outcome: 'ok', detail: { id: reply.id } };
  }
}
