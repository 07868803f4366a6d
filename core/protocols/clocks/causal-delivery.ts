// The delivery rule of causal broadcast (Birman, Schiper, Stephenson 1991). V_j[k] counts
// the messages from k that node j has delivered; a message from i stamped V_m is the
// V_m[i]-th broadcast of i, sent after i had delivered V_m[k] messages from each k.
import type { VectorClock } from './vector-clock.js';

/** Decides whether a node whose delivered counts are `local` may deliver m now. */
export type DeliveryCondition = (local: VectorClock, origin: string, messageClock: VectorClock) => boolean;

/** V_m[i] = V_j[i] + 1 (the next from i) and V_m[k] ≤ V_j[k] for every k ≠ i (its past is here). */
export const causallyReady: DeliveryCondition = (local, origin, messageClock) => {
  for (const [node, value] of Object.entries(messageClock)) {
    const have = local[node] ?? 0;
    if (node === origin ? value !== have + 1 : value > have) return false;
  }
  return (messageClock[origin] ?? 0) === (local[origin] ?? 0) + 1;
};

/**
 * What a buffered message still waits for: per origin, the highest sequence number it
 * depends on that this node has not delivered yet.
 */
export function missingDependencies(local: VectorClock, origin: string, messageClock: VectorClock): Record<string, number> {
  const waiting: Record<string, number> = {};
  for (const [node, value] of Object.entries(messageClock)) {
    const needed = node === origin ? value - 1 : value;
    if (needed > (local[node] ?? 0)) waiting[node] = needed;
  }
  return waiting;
}
