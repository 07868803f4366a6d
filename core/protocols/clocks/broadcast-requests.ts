// The client side of Maelstrom's broadcast workload, shared by the clock programs:
// `broadcast {message}` → broadcast_ok, `read` → read_ok {messages}, `topology` → topology_ok.
import type { Body, Output } from '../../sdk/index.js';
import { reply } from '../../sdk/index.js';

const NOT_SUPPORTED = 10;
const MALFORMED_REQUEST = 12;

/** The integer a broadcast request carries, or undefined when it carries none. */
export function broadcastValue(body: Body): number | undefined {
  return typeof body.message === 'number' && Number.isInteger(body.message) ? body.message : undefined;
}

/**
 * The answer to any client request other than a valid broadcast: the node's delivered
 * messages for a read, an ack for a topology (these programs choose their own peers),
 * and an error otherwise.
 */
export function answerOtherRequest(client: string, body: Body, delivered: readonly number[]): Output {
  switch (body.type) {
    case 'read':
      return reply(client, body, { type: 'read_ok', messages: [...delivered] });
    case 'topology':
      return reply(client, body, { type: 'topology_ok' });
    case 'broadcast':
      return reply(client, body, { type: 'error', code: MALFORMED_REQUEST, text: 'broadcast needs an integer message' });
    default:
      return reply(client, body, { type: 'error', code: NOT_SUPPORTED, text: `unsupported request ${body.type}` });
  }
}
