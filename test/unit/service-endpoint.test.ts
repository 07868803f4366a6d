import { describe, it, expect } from 'vitest';
import { ServiceEndpoint } from '../../core/engine/service-endpoint.js';
import type { InFlight } from '../../core/engine/delivery-queue.js';
import { createServices } from '../../core/services/registry.js';
import { frameBody, frameDest, frameType } from '../../core/sdk/wire.js';

const SERVICE_ADDRESS = 9;

function linKvEndpoint() {
  const sent: Array<{ from: number; to: number; type: string; body: unknown }> = [];
  const provided = createServices(1).find((s) => s.name === 'lin-kv')!;
  const endpoint = new ServiceEndpoint(provided, SERVICE_ADDRESS, (frame, src) => sent.push({ from: src, to: frameDest(frame), type: frameType(frame), body: JSON.parse(frameBody(frame)) }));
  return { endpoint, sent };
}

function request(src: number, body: unknown): InFlight {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { dueUs: 0, order: 0, id: 1, src, srcId: `n${src}`, dest: SERVICE_ADDRESS, frame: Buffer.alloc(0), type: 'x', body: text, bytes: text.length, tSendUs: 0, dupOf: null, corrupted: false };
}

describe('a service as an endpoint of the switch', () => {
  it('answers each request to its sender, from its own address, with in_reply_to, once the delivery is done', async () => {
    const { endpoint, sent } = linKvEndpoint();
    expect(endpoint.deliver(request(2, { type: 'write', key: 'k', value: 1, msg_id: 7 }))).toBe('done');
    // Not yet: the reply leaves after the request's delivery is recorded.
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([{ from: SERVICE_ADDRESS, to: 2, type: 'write_ok', body: { type: 'write_ok', in_reply_to: 7 } }]);
    endpoint.deliver(request(3, { type: 'read', key: 'k', msg_id: 1 }));
    await Promise.resolve();
    expect(sent[1]).toEqual({ from: SERVICE_ADDRESS, to: 3, type: 'read_ok', body: { type: 'read_ok', value: 1, in_reply_to: 1 } });
  });

  it('answers nothing to a body that is not JSON, nor to a reply sent to it', async () => {
    const { endpoint, sent } = linKvEndpoint();
    expect(endpoint.deliver(request(2, '{"type":"re'))).toBe('done');
    expect(endpoint.deliver(request(2, { type: 'read_ok', in_reply_to: 4 }))).toBe('done');
    await Promise.resolve();
    expect(sent).toEqual([]);
  });
});
