// Answers to Maelstrom requests: every reply carries the request's msg_id as in_reply_to
// and a msg_id of the node's own, and a failure is an `error` with Maelstrom's code.
import type { Body, Output } from '../../sdk/index.js';
import { send } from '../../sdk/index.js';

/** Maelstrom's error codes used here; 0 (timeout) is indefinite, the others definite. */
export const ERROR_TIMEOUT = 0;
export { ERROR_MALFORMED_REQUEST } from '../../sdk/body-fields.js';

/** The part of a node's state that numbers its own messages. */
export interface MessageCounter {
  nextMsgId: number;
}

export function errorBody(code: number, text: string): Body {
  return { type: 'error', code, text };
}

/** The reply to `request` from `to`, numbered with the node's next msg_id. */
export function answer(node: MessageCounter, to: string, request: Body, body: Body): Output {
  return send(to, { ...body, msg_id: node.nextMsgId++, in_reply_to: request.msg_id });
}

/** A message from another server node rather than from a client (c1…) or a service. */
export function fromPeer(peers: readonly string[], from: string): boolean {
  return peers.includes(from);
}

/** A list field of a body, or an empty list when it is missing or not a list. */
export const listField = (body: Body, field: string): unknown[] => (Array.isArray(body[field]) ? (body[field] as unknown[]) : []);
