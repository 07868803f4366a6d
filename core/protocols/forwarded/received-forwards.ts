// The receiving side of forward stamps (forward-stamp.ts): which forwarded requests a node
// has taken already, so that a copy the network duplicated is not applied a second time.
// A duplicate gets the answer the original got when it was answered at once and that
// answer is still remembered; otherwise it is dropped, and the original's answer (or the
// forwarder's own timeout, error 0) answers the client.
//
// Memory is bounded: per forwarder incarnation, the highest sequence below which every
// stamp was seen plus at most MAX_ABOVE stamps above it (a lost forward leaves a gap: past
// that many, the gap is given up and counts as seen, so a very late original is dropped as
// well, which its forwarder's timeout answers as "outcome unknown"); at most MAX_BOOTS
// incarnations per forwarder; and the last MAX_REPLIES answers.
import type { Body, Output } from '../../sdk/index.js';
import { send } from '../../sdk/index.js';
import { stampOf, type ForwardStamp } from './forward-stamp.js';

export const MAX_ABOVE = 256;
export const MAX_BOOTS = 4;
export const MAX_REPLIES = 64;

interface SeenWindow {
  /** Every sequence up to this one was seen. */
  through: number;
  /** Sequences seen above `through`. */
  above: Set<number>;
}

export interface ReceivedForwards {
  /** Forwarder → its incarnations (by boot time, oldest first) → what was seen of each. */
  seen: Map<string, Map<number, SeenWindow>>;
  /** The answers given to the latest forwards, by forwarder and stamp, oldest first. */
  replies: Map<string, Body>;
}

export const receivedForwards = (): ReceivedForwards => ({ seen: new Map(), replies: new Map() });

const replyKey = (from: string, stamp: ForwardStamp): string => `${from} ${stamp.boot} ${stamp.seq}`;

/**
 * Takes note of a forwarded request from `from`. True when it is a duplicate of one taken
 * before: then the remembered answer, if any, is sent again to `from` and the caller must
 * do nothing more with it. False for a new forward, and for a message without a stamp.
 */
export function isDuplicateForward(received: ReceivedForwards, from: string, request: Body, out: Output[]): boolean {
  const stamp = stampOf(request);
  if (!stamp) return false;
  if (!markSeen(received, from, stamp)) return false;
  const answer = received.replies.get(replyKey(from, stamp));
  if (answer) out.push(send(from, answer));
  return true;
}

/**
 * Remembers the answer to a stamped forward from `from` among `out` (a send to `from`
 * that replies to the request's msg_id), for its duplicates. An answer that comes later
 * (after replication, say) is not remembered: duplicates of that forward are dropped.
 */
function rememberAnswer(received: ReceivedForwards, from: string, request: Body, out: readonly Output[]): void {
  const stamp = stampOf(request);
  if (!stamp || request.msg_id === undefined) return;
  const answer = out.find((o): o is Extract<Output, { kind: 'send' }> => o.kind === 'send' && o.to === from && o.body.in_reply_to === request.msg_id);
  if (!answer) return;
  received.replies.set(replyKey(from, stamp), answer.body);
  if (received.replies.size > MAX_REPLIES) received.replies.delete(received.replies.keys().next().value as string);
}

/**
 * Handles a request through `handle` (which pushes what it does onto `out`), unless it is a
 * duplicate of a stamped forward taken before; remembers the answer `handle` gave at once.
 */
export function handleOnce(received: ReceivedForwards, from: string, request: Body, out: Output[], handle: () => void): void {
  if (isDuplicateForward(received, from, request, out)) return;
  const start = out.length;
  handle();
  rememberAnswer(received, from, request, out.slice(start));
}

/** Marks the stamp seen; true when it had been seen already. */
function markSeen(received: ReceivedForwards, from: string, stamp: ForwardStamp): boolean {
  let boots = received.seen.get(from);
  if (!boots) received.seen.set(from, (boots = new Map()));
  let window = boots.get(stamp.boot);
  if (!window) {
    boots.set(stamp.boot, (window = { through: 0, above: new Set() }));
    if (boots.size > MAX_BOOTS) boots.delete(boots.keys().next().value as number);
  }
  if (stamp.seq <= window.through || window.above.has(stamp.seq)) return true;
  window.above.add(stamp.seq);
  // Past the bound, the oldest gap is given up: the sequences below the smallest seen count as seen.
  if (window.above.size > MAX_ABOVE) window.through = Math.min(...window.above) - 1;
  while (window.above.delete(window.through + 1)) window.through++;
  return false;
}
