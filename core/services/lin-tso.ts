// lin-tso: a linearizable timestamp oracle. Each `ts` request gets the next integer, from 0.
import type { Body } from '../sdk/protocol.js';
import { notSupported, type Service } from './service.js';

export class LinTso implements Service {
  private next = 0;

  handle(_client: string, body: Body): Body {
    if (body.type !== 'ts') return notSupported('lin-tso', body.type);
    return { type: 'ts_ok', ts: this.next++ };
  }
}
