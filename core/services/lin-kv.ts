// lin-kv: a linearizable key-value store. One map, each request applied atomically in the
// order requests arrive.
import type { Body } from '../sdk/protocol.js';
import { applyKv, isKvRequest, keyOf, parseKvRequest } from './kv-request.js';
import type { Service } from './service.js';

export class LinKv implements Service {
  private readonly values = new Map<string, unknown>();

  handle(_client: string, body: Body): Body {
    const request = parseKvRequest('lin-kv', body);
    if (!isKvRequest(request)) return request;
    const key = keyOf(request);
    const outcome = applyKv(request, this.values.has(key) ? { exists: true, value: this.values.get(key) } : { exists: false });
    if (outcome.write) this.values.set(key, outcome.write.value);
    return outcome.reply;
  }
}
