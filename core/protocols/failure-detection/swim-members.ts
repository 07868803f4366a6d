// SWIM's membership view: each member's status and incarnation, the precedence rules
// that decide which update wins, and refutation of rumours about oneself.
import { cancelTimer, event, setTimer, state } from '../../sdk/index.js';
import type { Output } from '../../sdk/index.js';
import { createPeerStatus, recordOf, transition, type PeerStatus, type PeerStatusTracker } from './peer-status.js';
import { createGossip, spread, type GossipQueue, type MemberUpdate } from './swim-gossip.js';

export interface SwimMembers {
  self: string;
  /** This node's own incarnation; only it ever raises it. */
  incarnation: number;
  incarnations: Map<string, number>;
  tracker: PeerStatusTracker;
  gossip: GossipQueue;
  suspicionTimeoutMs: number;
}

const SUSPICION_TIMER = 'suspicion:';
/** One suspicion timer per suspect, named after it. */
export const suspicionTimerName = (member: string): string => `${SUSPICION_TIMER}${member}`;
/** The suspect a timer name belongs to, or null for other timers. */
export const suspectOfTimer = (name: string): string | null =>
  name.startsWith(SUSPICION_TIMER) ? name.slice(SUSPICION_TIMER.length) : null;

export function createMembers(self: string, others: string[], suspicionTimeoutMs: number, now: number, out: Output[]): SwimMembers {
  out.push(state('incarnation', 0));
  return {
    self,
    incarnation: 0,
    incarnations: new Map(others.map((id) => [id, 0])),
    tracker: createPeerStatus(others, now, out),
    gossip: createGossip(others.length + 1),
    suspicionTimeoutMs,
  };
}

export function statusOf(members: SwimMembers, id: string): PeerStatus {
  return recordOf(members.tracker, id).status;
}

export function viewOf(members: SwimMembers, id: string): MemberUpdate {
  return { id, status: statusOf(members, id), inc: members.incarnations.get(id) ?? 0 };
}

/**
 * SWIM's precedence, with memberlist's rule that a confirmed death needs an
 * incarnation at least as new (so a refuted member is not killed by an old rumour):
 * alive(i) beats anything older than i; suspect(i) beats alive(≤ i), suspect(< i) and
 * dead(< i); dead(i) beats alive or suspect (≤ i).
 */
function wins(update: MemberUpdate, current: MemberUpdate): boolean {
  if (update.status === 'alive') return update.inc > current.inc;
  if (update.status === 'suspect') return current.status === 'alive' ? update.inc >= current.inc : update.inc > current.inc;
  return current.status !== 'dead' && update.inc >= current.inc;
}

/** Applies an update heard from anyone (or decided locally); winners are gossiped on. */
export function applyUpdate(members: SwimMembers, update: MemberUpdate, now: number, out: Output[]): void {
  if (update.id === members.self) {
    refuteIfNeeded(members, update, out);
    return;
  }
  if (!members.incarnations.has(update.id)) return; // membership is the fixed node list
  const current = viewOf(members, update.id);
  if (!wins(update, current)) return;
  members.incarnations.set(update.id, update.inc);
  transition(members.tracker, update.id, update.status, now, out);
  if (update.status === 'suspect') {
    recordOf(members.tracker, update.id).suspectedAt = now;
    out.push(setTimer(suspicionTimerName(update.id), members.suspicionTimeoutMs));
  } else if (current.status === 'suspect') {
    out.push(cancelTimer(suspicionTimerName(update.id)));
  }
  spread(members.gossip, update);
}

/** A suspect left unrefuted for the suspicion timeout is confirmed dead. */
export function confirmIfStillSuspect(members: SwimMembers, id: string, now: number, out: Output[]): void {
  const current = viewOf(members, id);
  if (current.status === 'suspect') applyUpdate(members, { ...current, status: 'dead' }, now, out);
}

/**
 * A rumour that this node is suspect or dead at its incarnation (or a newer one, as
 * after a restart from 0) is refuted by a higher incarnation, gossiped as alive.
 */
function refuteIfNeeded(members: SwimMembers, update: MemberUpdate, out: Output[]): void {
  if (update.status === 'alive') {
    // Our own alive from a previous life: carry on from it so our messages are not stale.
    if (update.inc > members.incarnation) setIncarnation(members, update.inc, out);
    return;
  }
  if (update.inc < members.incarnation) return;
  setIncarnation(members, update.inc + 1, out);
  out.push(event('refute', { incarnation: members.incarnation }));
  spread(members.gossip, { id: members.self, status: 'alive', inc: members.incarnation });
}

function setIncarnation(members: SwimMembers, inc: number, out: Output[]): void {
  members.incarnation = inc;
  out.push(state('incarnation', inc));
}
