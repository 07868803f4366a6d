// What a failure detector believes about each peer, and the telemetry every detector
// shares: `heartbeat {peer, gapMs}` per arrival, `suspect`/`dead`/`alive {peer}` on
// transitions only, and state('suspected', sorted ids suspected or dead) on change.
import { event, state } from '../../sdk/index.js';
import type { Output } from '../../sdk/index.js';

export type PeerStatus = 'alive' | 'suspect' | 'dead';

export interface PeerRecord {
  status: PeerStatus;
  /** Local time of the last heartbeat (or ack) from the peer; start time before the first. */
  lastArrival: number;
  /** Local time this peer became suspected; meaningful while suspect or dead. */
  suspectedAt: number;
}

export interface PeerStatusTracker {
  peers: Map<string, PeerRecord>;
  /** The last published suspected set, to publish only changes. */
  published: string;
}

export function createPeerStatus(peers: readonly string[], now: number, out: Output[]): PeerStatusTracker {
  const tracker: PeerStatusTracker = { peers: new Map(), published: '[]' };
  for (const peer of peers) tracker.peers.set(peer, { status: 'alive', lastArrival: now, suspectedAt: now });
  // The inspector gets the (empty) set once, so it has a value before the first change.
  out.push(state('suspected', []));
  return tracker;
}

export function recordOf(tracker: PeerStatusTracker, peer: string): PeerRecord {
  const record = tracker.peers.get(peer);
  if (!record) throw new Error(`not a monitored peer: ${peer}`);
  return record;
}

/** Records a heartbeat (or ack) arrival and emits its gap; returns the gap in ms. */
export function recordArrival(tracker: PeerStatusTracker, peer: string, now: number, out: Output[]): number {
  const record = recordOf(tracker, peer);
  const gapMs = now - record.lastArrival;
  record.lastArrival = now;
  out.push(event('heartbeat', { peer, gapMs }));
  return gapMs;
}

/**
 * Moves a peer to `to`, emitting the transition events and the suspected set.
 * A peer declared dead straight from alive passes through suspect first, so every
 * `dead` is preceded by a `suspect` (detection time is measured from the latter).
 */
export function transition(tracker: PeerStatusTracker, peer: string, to: PeerStatus, now: number, out: Output[]): boolean {
  const record = recordOf(tracker, peer);
  if (record.status === to) return false;
  if (to !== 'alive' && record.status === 'alive') {
    record.suspectedAt = now;
    out.push(event('suspect', { peer }));
  }
  if (to === 'dead') out.push(event('dead', { peer }));
  if (to === 'alive') out.push(event('alive', { peer }));
  record.status = to;
  publishSuspected(tracker, out);
  return true;
}

export function suspectedPeers(tracker: PeerStatusTracker): string[] {
  return [...tracker.peers].filter(([, r]) => r.status !== 'alive').map(([peer]) => peer).sort(byNodeId);
}

function publishSuspected(tracker: PeerStatusTracker, out: Output[]): void {
  const suspected = suspectedPeers(tracker);
  const key = JSON.stringify(suspected);
  if (key === tracker.published) return;
  tracker.published = key;
  out.push(state('suspected', suspected));
}

/** n2 before n10. */
export function byNodeId(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
