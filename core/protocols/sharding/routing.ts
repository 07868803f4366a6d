// Any node takes any request: one that does not own the key passes it on to the owner it
// knows and relays the answer under the client's msg_id. Views of the membership differ for
// a moment after a change, so a request may be passed on again; after MAX_FORWARDS hops it
// is refused with error 11, which is definite: no node applied it. A forward that gets no
// answer in time is error 0: the owner may have applied it. Each hop is stamped, so that a
// copy the network duplicated is taken only once by the node it reaches (../forwarded/).
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, send, setTimer } from '../../sdk/index.js';
import { ERROR_TEMPORARILY_UNAVAILABLE, ERROR_TIMEOUT, errorBody } from '../raft/kv.js';
import { stampForward, type ForwardStamper } from '../forwarded/forward-stamp.js';
import type { ReceivedForwards } from '../forwarded/received-forwards.js';
import { payloadOf } from '../replication/forwarding.js';

export const MAX_FORWARDS = 3;
const FORWARD_TIMER_PREFIX = 'forward:';
const ANSWER_TYPES = new Set(['read_ok', 'write_ok', 'cas_ok', 'error']);

export interface Routing {
  nextMsgId: number;
  forwardTimeoutMs: number;
  /** Our msg_id of a forwarded request → the one who sent it to us, its msg_id, and the owner. */
  forwarded: Map<number, { from: string; msgId: number | undefined; owner: string }>;
  /** Stamps for the requests this node passes on, and the passed-on requests it took. */
  forwardStamps: ForwardStamper;
  receivedForwards: ReceivedForwards;
}

/** How many times a request was passed on already (a field of forwarded requests). */
export const forwardsOf = (body: Body): number => (typeof body.forwards === 'number' ? body.forwards : 0);

/** Passes the request on to `owner`, or refuses it (error 11) when it has gone round too often. */
export function forwardRequest(routing: Routing, from: string, request: Body, owner: string, out: Output[]): 'forwarded' | 'refused' {
  const hops = forwardsOf(request);
  if (hops >= MAX_FORWARDS) {
    out.push(answerTo(routing, from, request.msg_id, errorBody(ERROR_TEMPORARILY_UNAVAILABLE, `passed on ${hops} times while the nodes' views of the membership differ; not applied`)));
    return 'refused';
  }
  const id = routing.nextMsgId++;
  routing.forwarded.set(id, { from, msgId: request.msg_id, owner });
  out.push(send(owner, stampForward(routing.forwardStamps, { ...payloadOf(request), forwards: hops + 1, msg_id: id })), setTimer(FORWARD_TIMER_PREFIX + id, routing.forwardTimeoutMs));
  return 'forwarded';
}

/** Relays an owner's answer to whoever sent us the request; false when it answers nothing we forwarded. */
export function relayAnswer(routing: Routing, answer: Body, out: Output[]): boolean {
  const id = answer.in_reply_to;
  if (typeof id !== 'number' || !ANSWER_TYPES.has(answer.type)) return false;
  const forwarded = routing.forwarded.get(id);
  if (!forwarded) return false;
  routing.forwarded.delete(id);
  out.push(cancelTimer(FORWARD_TIMER_PREFIX + id), answerTo(routing, forwarded.from, forwarded.msgId, payloadOf(answer)));
  return true;
}

/** Answers a forward whose time ran out with error 0; false when the timer is not a forward's. */
export function expireForward(routing: Routing, timer: string, out: Output[]): boolean {
  if (!timer.startsWith(FORWARD_TIMER_PREFIX)) return false;
  const id = Number(timer.slice(FORWARD_TIMER_PREFIX.length));
  const forwarded = routing.forwarded.get(id);
  if (!forwarded) return true;
  routing.forwarded.delete(id);
  out.push(answerTo(routing, forwarded.from, forwarded.msgId, errorBody(ERROR_TIMEOUT, `the owner ${forwarded.owner} did not answer in time; the request may or may not have happened`)));
  return true;
}

export function answerTo(routing: Routing, to: string, msgId: number | undefined, body: Body): Output {
  return send(to, { ...body, msg_id: routing.nextMsgId++, in_reply_to: msgId });
}
