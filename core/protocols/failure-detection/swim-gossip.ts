// SWIM's infection-style dissemination: membership updates ride on pings, acks and
// ping-reqs, each retransmitted a bounded number of times (λ·log n), fewest-sent first.
import type { PeerStatus } from './peer-status.js';

export interface MemberUpdate {
  id: string;
  status: PeerStatus;
  /** Incarnation of `id` the update is about. */
  inc: number;
}

export interface GossipQueue {
  /** At most one pending update per member: a newer one replaces it. */
  pending: Map<string, { update: MemberUpdate; sent: number }>;
  /** Transmissions per update before it is dropped. */
  limit: number;
}

/** λ in λ·⌈log2(n+1)⌉ transmissions, enough for an epidemic to reach everyone w.h.p. */
export const RETRANSMIT_MULTIPLIER = 3;

export function createGossip(memberCount: number): GossipQueue {
  return { pending: new Map(), limit: RETRANSMIT_MULTIPLIER * Math.ceil(Math.log2(memberCount + 1)) };
}

export function spread(queue: GossipQueue, update: MemberUpdate): void {
  queue.pending.delete(update.id);
  queue.pending.set(update.id, { update, sent: 0 });
}

/** Up to `max` updates for one message, none about `skip`; each counts as one transmission. */
export function takeUpdates(queue: GossipQueue, max: number, skip?: string): MemberUpdate[] {
  // Stable sort: among equally sent updates, the older rumour goes first.
  const chosen = [...queue.pending.values()]
    .filter((entry) => entry.update.id !== skip)
    .sort((a, b) => a.sent - b.sent)
    .slice(0, Math.max(0, max));
  for (const entry of chosen) {
    entry.sent += 1;
    if (entry.sent >= queue.limit) queue.pending.delete(entry.update.id);
  }
  return chosen.map((entry) => entry.update);
}
