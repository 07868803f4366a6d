// A backup takes client requests too: it relays them to the primary it knows and relays
// the answer back under the client's own msg_id. Without a known primary, or if the
// primary does not answer in time, the client gets error 11 (no primary: surely not done)
// or 0 (a relayed request unanswered: it may or may not have been done). Relayed requests
// are stamped, so that the primary takes a copy the network duplicated only once (../forwarded/).
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, reply, send, setTimer } from '../../sdk/index.js';
import { stampForward } from '../forwarded/forward-stamp.js';
import { ERROR_OUTCOME_UNKNOWN, ERROR_TEMPORARILY_UNAVAILABLE, errorBody } from './kv-store.js';
import { currentPrimary, type ReplicaState } from './replica-state.js';

export const FORWARD_TIMER_PREFIX = 'forward.';
const ANSWER_TYPES = new Set(['read_ok', 'write_ok', 'cas_ok', 'error']);

export function forwardRequest(s: ReplicaState, client: string, body: Body, out: Output[]): void {
  const primary = currentPrimary(s);
  if (!primary || primary === s.self) {
    out.push(reply(client, body, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, 'no primary known')));
    return;
  }
  const id = s.nextMsgId++;
  s.forwards.set(id, { client, msgId: body.msg_id, primary });
  // A sync write may take replicationTimeout at the primary, plus the two hops.
  out.push(send(primary, stampForward(s.forwardStamps, { ...payloadOf(body), msg_id: id })), setTimer(FORWARD_TIMER_PREFIX + id, 2 * s.replicationTimeout));
}

/** Passes the primary's answer on to the client; false when the message is no such answer. */
export function relayAnswer(s: ReplicaState, body: Body, out: Output[]): boolean {
  if (typeof body.in_reply_to !== 'number' || !ANSWER_TYPES.has(body.type)) return false;
  const forwarded = s.forwards.get(body.in_reply_to);
  if (!forwarded) return false;
  s.forwards.delete(body.in_reply_to);
  out.push(cancelTimer(FORWARD_TIMER_PREFIX + body.in_reply_to), send(forwarded.client, { ...payloadOf(body), in_reply_to: forwarded.msgId }));
  return true;
}

export function onForwardTimeout(s: ReplicaState, id: number, out: Output[]): void {
  failForward(s, id, 'the primary did not answer in time; the outcome is unknown', out);
}

/**
 * Requests relayed to a primary that has since been replaced get error 0 at once: the
 * old one may be dead, and sending a write again to the new one could apply it twice.
 */
export function failForwardsToFormerPrimary(s: ReplicaState, out: Output[]): void {
  const primary = currentPrimary(s);
  for (const [id, forwarded] of s.forwards) {
    if (forwarded.primary === primary) continue;
    out.push(cancelTimer(FORWARD_TIMER_PREFIX + id));
    failForward(s, id, 'the primary changed; the outcome is unknown', out);
  }
}

function failForward(s: ReplicaState, id: number, text: string, out: Output[]): void {
  const forwarded = s.forwards.get(id);
  if (!forwarded) return;
  s.forwards.delete(id);
  out.push(send(forwarded.client, { ...errorBody(ERROR_OUTCOME_UNKNOWN, text), in_reply_to: forwarded.msgId }));
}

/** The request or answer without its envelope: ids belong to one hop, the clocks to the runtime. */
export function payloadOf(body: Body): Body {
  const { msg_id: _id, in_reply_to: _replyTo, lamport: _lamport, vc: _vc, ...payload } = body;
  return payload as Body;
}
