// The distributed limiter's view of the global rate: what this node admitted in the last
// second, plus what each peer last said it admitted in its own last second. Peers' counts
// arrive by gossip, so they are late by up to a gossip interval; a peer silent for three
// intervals is taken to admit nothing, which is why a partition lets every side spend the
// whole budget.

export const WINDOW_MS = 1000;
/** Gossip intervals after which a silent peer's count is dropped. */
export const STALE_AFTER_INTERVALS = 3;

export interface GlobalEstimate {
  /** Per limiter key ('*' or a client id): this node's admission times in the window. */
  own: Map<string, number[]>;
  /** Per peer: its latest counts per key, and when (this node's clock) they arrived. */
  peers: Map<string, { counts: Record<string, number>; at: number }>;
  staleAfterMs: number;
}

export function newEstimate(gossipMs: number): GlobalEstimate {
  return { own: new Map(), peers: new Map(), staleAfterMs: STALE_AFTER_INTERVALS * gossipMs };
}

export function recordAdmission(e: GlobalEstimate, key: string, now: number): void {
  const times = e.own.get(key);
  if (times) times.push(now);
  else e.own.set(key, [now]);
}

/** This node's admissions in the last window, per key (older ones are dropped). */
export function ownCounts(e: GlobalEstimate, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, times] of e.own) {
    let first = 0;
    while (first < times.length && times[first] <= now - WINDOW_MS) first++;
    times.splice(0, first);
    if (times.length) out[key] = times.length;
    else e.own.delete(key);
  }
  return out;
}

export function onPeerCounts(e: GlobalEstimate, peer: string, counts: Record<string, number>, now: number): void {
  e.peers.set(peer, { counts, at: now });
}

/** The estimated admissions of every node in the last window under `key`. */
export function estimatedGlobal(e: GlobalEstimate, key: string, now: number): number {
  let total = ownCounts(e, now)[key] ?? 0;
  for (const { counts, at } of e.peers.values()) if (now - at <= e.staleAfterMs) total += counts[key] ?? 0;
  return total;
}

/** Peers heard from recently enough to count. */
export function livePeers(e: GlobalEstimate, now: number): number {
  let n = 0;
  for (const { at } of e.peers.values()) if (now - at <= e.staleAfterMs) n++;
  return n;
}

/** One more admission keeps the estimated global count within `rate` per window. */
export function globalAllows(e: GlobalEstimate, key: string, rate: number, now: number): boolean {
  return estimatedGlobal(e, key, now) + 1 <= (rate * WINDOW_MS) / 1000;
}
