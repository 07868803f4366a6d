// Small constructors for protocol outputs, so protocol code reads like the algorithm.
import type { Body, Output } from './protocol.js';

export const send = (to: string, body: Body): Output => ({ kind: 'send', to, body });
export const setTimer = (name: string, afterMs: number): Output => ({ kind: 'setTimer', name, afterMs });
export const cancelTimer = (name: string): Output => ({ kind: 'cancelTimer', name });
export const metric = (name: string, value: number): Output => ({ kind: 'metric', name, value });
export const event = (type: string, data?: unknown): Output => ({ kind: 'event', type, data });
export const state = (key: string, value: unknown): Output => ({ kind: 'state', key, value });
export const log = (text: string): Output => ({ kind: 'log', text });

/** Answers a request: the reply carries in_reply_to = the request's msg_id. */
export function reply(to: string, request: Body, body: Body): Output {
  return { kind: 'send', to, body: { ...body, in_reply_to: request.msg_id } };
}
