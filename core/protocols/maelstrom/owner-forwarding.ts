// One fixed node, the owner, serves every request; the others pass client requests on to
// it and relay its answer under the client's msg_id. A request is never sent twice (a
// repeated write or append could happen twice), so when the owner's answer does not come
// in time the client gets error 0, timeout: indefinite, as the request may have happened.
// Each forward is stamped, and the owner takes each stamp once: a copy the network
// duplicated is not served twice (see ../forwarded/).
import type { Body, Output } from '../../sdk/index.js';
import { cancelTimer, send, setTimer } from '../../sdk/index.js';
import { forwardStamper, stampForward, type ForwardStamper } from '../forwarded/forward-stamp.js';
import { receivedForwards, type ReceivedForwards } from '../forwarded/received-forwards.js';
import { payloadOf } from '../replication/forwarding.js';
import { ERROR_TIMEOUT, errorBody, type MessageCounter } from './replies.js';

export interface Forwarding extends MessageCounter {
  owner: string;
  forwardTimeoutMs: number;
  /** Our msg_id of a forwarded request → the client and its msg_id. */
  forwarded: Map<number, { client: string; msgId: number | undefined }>;
  forwardStamps: ForwardStamper;
  /** At the owner: the stamped forwards taken already. */
  receivedForwards: ReceivedForwards;
}

const FORWARD_TIMER_PREFIX = 'forward:';

/** `now`: the node's time at init, which names this incarnation's forward stamps. */
export const forwardingState = (owner: string, forwardTimeoutMs: number, now: number): Forwarding => ({
  owner,
  forwardTimeoutMs,
  forwarded: new Map(),
  nextMsgId: 1,
  forwardStamps: forwardStamper(now),
  receivedForwards: receivedForwards(),
});

export function forwardToOwner(state: Forwarding, client: string, request: Body, out: Output[]): void {
  const id = state.nextMsgId++;
  state.forwarded.set(id, { client, msgId: request.msg_id });
  out.push(send(state.owner, stampForward(state.forwardStamps, { ...payloadOf(request), msg_id: id })), setTimer(FORWARD_TIMER_PREFIX + id, state.forwardTimeoutMs));
}

/** Passes the owner's answer on to its client; false when the message answers nothing we forwarded. */
export function relayOwnerAnswer(state: Forwarding, answer: Body, out: Output[]): boolean {
  const id = answer.in_reply_to;
  const forwarded = typeof id === 'number' ? state.forwarded.get(id) : undefined;
  if (!forwarded) return false;
  state.forwarded.delete(id as number);
  out.push(cancelTimer(FORWARD_TIMER_PREFIX + id), send(forwarded.client, { ...payloadOf(answer), msg_id: state.nextMsgId++, in_reply_to: forwarded.msgId }));
  return true;
}

/** Answers a forwarded request whose time ran out; false when the timer is not a forward's. */
export function expireForward(state: Forwarding, timer: string, out: Output[]): boolean {
  if (!timer.startsWith(FORWARD_TIMER_PREFIX)) return false;
  const id = Number(timer.slice(FORWARD_TIMER_PREFIX.length));
  const forwarded = state.forwarded.get(id);
  if (!forwarded) return true;
  state.forwarded.delete(id);
  const timeout = errorBody(ERROR_TIMEOUT, `the owner ${state.owner} did not answer in time; the request may or may not have happened`);
  out.push(send(forwarded.client, { ...timeout, msg_id: state.nextMsgId++, in_reply_to: forwarded.msgId }));
  return true;
}
