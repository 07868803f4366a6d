// A forwarded request carries a stamp: the forwarding node's boot time and a sequence number
// of its own, so that its receiver can tell a copy the network duplicated from a new request
// (see received-forwards.ts). The boot time is the node's `now` at init, so a restarted node
// (whose state, and so its sequence, starts again from 1) never reuses a stamp that its
// earlier incarnation sent: the seeded random stream would not do, as it starts over too.
import type { Body } from '../../sdk/index.js';

/** The field of a forwarded request that carries its stamp. */
export const STAMP_FIELD = 'forward_stamp';

export interface ForwardStamp {
  /** The forwarder's `now` when it started. */
  boot: number;
  /** 1, 2, 3… per forwarder incarnation. */
  seq: number;
}

/** The part of a forwarding node's state that numbers its forwards. */
export interface ForwardStamper {
  boot: number;
  nextSeq: number;
}

/** A forwarder's stamps for an incarnation that started at `now`. */
export const forwardStamper = (now: number): ForwardStamper => ({ boot: now, nextSeq: 1 });

/** The request with the next stamp of this node added. */
export function stampForward(stamper: ForwardStamper, request: Body): Body {
  const stamp: ForwardStamp = { boot: stamper.boot, seq: stamper.nextSeq++ };
  return { ...request, [STAMP_FIELD]: stamp };
}

/** The stamp of a message, or null when it has none or a malformed one (then it is not deduplicated). */
export function stampOf(body: Body): ForwardStamp | null {
  const stamp = body[STAMP_FIELD] as Partial<ForwardStamp> | null | undefined;
  if (typeof stamp !== 'object' || stamp === null) return null;
  const { boot, seq } = stamp;
  if (typeof boot !== 'number' || !Number.isFinite(boot) || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  return { boot, seq };
}
