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

/**
 * A request with a timeout: sends `body` with `msg_id` and sets the timer `rpc:<msgId>`.
 * On the reply (in_reply_to = msgId), cancel it with `cancelTimer(rpcTimer(msgId))`;
 * if the timer fires first, the request timed out.
 */
export function rpc(to: string, body: Body, msgId: number, timeoutMs: number): Output[] {
  return [{ kind: 'send', to, body: { ...body, msg_id: msgId } }, { kind: 'setTimer', name: rpcTimer(msgId), afterMs: timeoutMs }];
}

export const rpcTimer = (msgId: number) => `rpc:${msgId}`;

/** The msg_id of a timed-out rpc, if this timer is one. */
export function rpcTimedOut(timerName: string): number | null {
  return timerName.startsWith('rpc:') ? Number(timerName.slice(4)) : null;
}
