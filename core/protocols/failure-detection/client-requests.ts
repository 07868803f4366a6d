// Failure detectors serve no client operations: a workload client that sends one a
// request gets Maelstrom's not-supported error instead of silence.
import { reply } from '../../sdk/index.js';
import type { Body, Output } from '../../sdk/index.js';

export const NOT_SUPPORTED = 10;

/** Answers a request from a non-member with error 10; returns whether it was one. */
export function rejectClientRequest(from: string, body: Body, out: Output[]): boolean {
  if (body.msg_id === undefined) return false;
  out.push(reply(from, body, { type: 'error', code: NOT_SUPPORTED, text: `${body.type} is not supported by a failure detector` }));
  return true;
}
