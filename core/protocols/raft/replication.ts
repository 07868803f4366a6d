// The leader's side of log replication (§5.3): AppendEntries to each follower from its
// nextIndex, backtracking with the follower's conflict hint, and commitIndex advanced
// only over entries of the current term stored on a majority (§5.4.2, figure 8).
import type { Body, Output } from '../../sdk/index.js';
import { metric, send, setTimer } from '../../sdk/index.js';
import { advanceCommitIndex } from './apply.js';
import { snapshotOf } from './kv.js';
import { entriesFrom, lastIndexOfTerm, lastLogIndex, termAt } from './log.js';
import { HEARTBEAT_TIMER, observeTerm } from './roles.js';
import type { Command, PendingRequest, RaftState } from './types.js';

/** Batches sent but not yet acknowledged, per follower, before new appends wait for acks. */
const MAX_BATCHES_IN_FLIGHT = 4;

export function majority(s: RaftState): number {
  return Math.floor((s.peers.length + 1) / 2) + 1;
}

/** Appends a command to the leader's log and starts replicating it; returns its index. */
export function appendAsLeader(s: RaftState, command: Command, waiting: Omit<PendingRequest, 'term'> | null, out: Output[]): number {
  s.entries.push({ term: s.currentTerm, command });
  const index = lastLogIndex(s);
  if (waiting) s.pending.set(index, { ...waiting, term: s.currentTerm });
  out.push(metric('last_index', index));
  for (const peer of s.peers) if (hasRoomInFlight(s, peer)) replicateTo(s, peer, out);
  advanceCommitIndex(s, majority(s), out); // a one-node cluster commits at once
  return index;
}

export function broadcastAppendEntries(s: RaftState, out: Output[]): void {
  for (const peer of s.peers) replicateTo(s, peer, out);
}

export function heartbeatTick(s: RaftState, out: Output[]): void {
  for (const peer of s.peers) {
    // A full window at heartbeat time means batches were lost or the follower is slow: resend.
    if (!hasRoomInFlight(s, peer)) s.nextIndex.set(peer, (s.matchIndex.get(peer) ?? 0) + 1);
    replicateTo(s, peer, out);
  }
  out.push(setTimer(HEARTBEAT_TIMER, s.config.heartbeatInterval));
}

function hasRoomInFlight(s: RaftState, peer: string): boolean {
  const unacked = (s.nextIndex.get(peer) ?? 1) - 1 - (s.matchIndex.get(peer) ?? 0);
  return unacked < MAX_BATCHES_IN_FLIGHT * s.config.maxEntriesPerAppend;
}

/**
 * Sends the next batch from nextIndex and moves nextIndex past it optimistically; a lost
 * batch shows up as a rejection of the next one (or a full window), which rewinds it.
 */
function replicateTo(s: RaftState, peer: string, out: Output[]): void {
  if (!s.config.replicateLog) {
    out.push(send(peer, { type: 'append_entries', term: s.currentTerm }));
    return;
  }
  const next = s.nextIndex.get(peer) ?? lastLogIndex(s) + 1;
  if (next <= s.snapshotIndex) {
    sendSnapshot(s, peer, out);
    return;
  }
  const entries = entriesFrom(s, next, s.config.maxEntriesPerAppend);
  const body: Body = {
    type: 'append_entries',
    term: s.currentTerm,
    prev_log_index: next - 1,
    prev_log_term: termAt(s, next - 1) ?? 0,
    entries,
    leader_commit: s.commitIndex,
  };
  out.push(send(peer, body));
  s.nextIndex.set(peer, next + entries.length);
}

/** §7: the entries this follower needs are compacted away, so it gets the state machine instead. */
function sendSnapshot(s: RaftState, peer: string, out: Output[]): void {
  const index = s.lastApplied;
  out.push(send(peer, { type: 'install_snapshot', term: s.currentTerm, last_included_index: index, last_included_term: termAt(s, index) ?? 0, data: snapshotOf(s.kv) }));
  s.nextIndex.set(peer, index + 1);
}

/** An answer to append_entries or install_snapshot. */
export function handleAppendReply(s: RaftState, from: string, body: Body, out: Output[]): void {
  const term = Number(body.term);
  observeTerm(s, term, out);
  if (s.role !== 'leader' || term !== s.currentTerm || !s.config.replicateLog) return;
  const match = s.matchIndex.get(from) ?? 0;
  if (body.success === true) {
    const acked = Math.min(Number(body.match_index), lastLogIndex(s));
    if (acked > match) s.matchIndex.set(from, acked);
    if ((s.nextIndex.get(from) ?? 0) <= acked) s.nextIndex.set(from, acked + 1);
    advanceCommitIndex(s, majority(s), out);
    if ((s.nextIndex.get(from) ?? 0) <= lastLogIndex(s) && hasRoomInFlight(s, from)) replicateTo(s, from, out);
    return;
  }
  s.nextIndex.set(from, Math.min(lastLogIndex(s) + 1, Math.max(match + 1, backtrackTo(s, body))));
  replicateTo(s, from, out);
}

/**
 * The faster backtracking of §5.3: skip the follower's whole conflicting term at once,
 * or straight to the end of its log when it is too short.
 */
function backtrackTo(s: RaftState, body: Body): number {
  const conflictIndex = Math.max(1, Number(body.conflict_index) || 1);
  if (typeof body.conflict_term !== 'number') return conflictIndex;
  const ours = lastIndexOfTerm(s, body.conflict_term);
  return ours === undefined ? conflictIndex : Math.min(ours + 1, conflictIndex + (ours + 1 - conflictIndex));
}
