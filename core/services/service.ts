// A Maelstrom service (lin-kv, seq-kv, lww-kv, lin-tso): a node the engine provides, which
// nodes send requests to by its name. Pure state: no timers, sockets or clocks.
import type { Body } from '../sdk/protocol.js';

/** Maelstrom's error codes that services answer with. */
export const ErrorCode = {
  notSupported: 10,
  malformedRequest: 12,
  keyDoesNotExist: 20,
  preconditionFailed: 22,
} as const;

export interface Service {
  /** The reply to one request from `client`, without in_reply_to (the endpoint adds it). */
  handle(client: string, body: Body): Body;
}

export function errorReply(code: number, text: string): Body {
  return { type: 'error', code, text };
}

export function notSupported(service: string, type: string): Body {
  return errorReply(ErrorCode.notSupported, `${service} does not support requests of type ${JSON.stringify(type)}`);
}
