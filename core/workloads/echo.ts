// Maelstrom's echo workload: each reply must echo back what was sent.
import type { Body } from '../sdk/protocol.js';
import { RequestWorkload, type Pending, type Request, type Verdict } from './request-workload.js';

export class EchoWorkload extends RequestWorkload {
  protected nextRequest(): Request {
    const echo = `Please echo ${this.rng.int(1_000_000)}`;
    return { op: 'echo', body: { type: 'echo', echo }, detail: { echo } };
  }

  protected judge(reply: Body, request: Pending): Verdict {
    if (reply.type === 'echo_ok' && reply.echo === request.detail.echo) return { outcome: 'ok' };
    return { outcome: 'fail', wrong: true, detail: { expected: request.detail.echo } };
  }
}
