// The leader's side of log replication (§5.3): AppendEntries to each follower from its
// nextIndex, backtracking with the follower's conflict hint, and commitIndex advanced
// only over entries of the current term stored on a majority (§5.4.2, figure 8).
import type { Body, Output } from '../../sdk/index.js';
import { ignoredMalformed, integerField, metric, send, setTimer } from '../../sdk/index.js';
import { advanceCommitIndex } from './apply.js';
import { snapshotOf } from './kv.js';
import { entriesFrom, lastIndexOfTerm, lastLogIndex, termAt } from './log.js';
import { HEARTBEAT_TIMER, observeTerm } from './roles.js';
import type { Command, FollowerProgress, PendingRequest, RaftState } from './types.js';

/** Batches in flight to one follower before new appends wait for its answers. */
const MAX_BATCHES_IN_FLIGHT = 4;

export function majority(s: RaftState): number {
  return Math.floor((s.peers.length + 1) / 2) + 1;
}

export function startLeading(s: RaftState): void {
  s.progress.clear();
  for (const peer of s.peers) {
    s.progress.set(peer, { nextIndex: lastLogIndex(s) + 1, matchIndex: 0, inFlight: 0, rewoundAtMsgId: 0 });
  }
}

/** Appends a command to the leader's log and starts replicating it; returns its index. */
export function appendAsLeader(s: RaftState, command: Command, waiting: Omit<PendingRequest, 'term'> | null, out: Output[]): number {
  const index = appendLocally(s, command, waiting, out);
  for (const [peer, p] of s.progress) if (p.inFlight < MAX_BATCHES_IN_FLIGHT) replicateTo(s, peer, p, out);
  return index;
}

/** The append itself; the next heartbeat carries it. */
export function appendLocally(s: RaftState, command: Command, waiting: Omit<PendingRequest, 'term'> | null, out: Output[]): number {
  s.entries.push({ term: s.currentTerm, command });
  const index = lastLogIndex(s);
  if (waiting) s.pending.set(index, { ...waiting, term: s.currentTerm });
  out.push(metric('last_index', index));
  advanceCommitIndex(s, majority(s), out); // a one-node cluster commits at once
  return index;
}

/** Every heartbeat interval each follower gets an append, empty or not; it also retries lost batches. */
export function sendHeartbeats(s: RaftState, out: Output[]): void {
  for (const [peer, p] of s.progress) {
    p.inFlight = 0;
    replicateTo(s, peer, p, out);
  }
  out.push(setTimer(HEARTBEAT_TIMER, s.config.heartbeatInterval));
}

/**
 * Sends the next batch from nextIndex and moves nextIndex past it optimistically; a lost
 * batch shows up as a rejection of a later append, which rewinds nextIndex.
 */
function replicateTo(s: RaftState, peer: string, p: FollowerProgress, out: Output[]): void {
  if (!s.config.replicateLog) {
    out.push(send(peer, { type: 'append_entries', term: s.currentTerm }));
    return;
  }
  if (p.nextIndex <= s.snapshotIndex) {
    sendSnapshot(s, peer, p, out);
    return;
  }
  const entries = entriesFrom(s, p.nextIndex, s.config.maxEntriesPerAppend);
  const body: Body = {
    type: 'append_entries',
    msg_id: s.nextMsgId++,
    term: s.currentTerm,
    prev_log_index: p.nextIndex - 1,
    prev_log_term: termAt(s, p.nextIndex - 1) ?? 0,
    entries,
    leader_commit: s.commitIndex,
  };
  out.push(send(peer, body));
  if (entries.length > 0) p.inFlight++;
  p.nextIndex += entries.length;
}

/** §7: the entries this follower needs are compacted away, so it gets the state machine instead. */
function sendSnapshot(s: RaftState, peer: string, p: FollowerProgress, out: Output[]): void {
  const index = s.lastApplied;
  const body: Body = {
    type: 'install_snapshot',
    msg_id: s.nextMsgId++,
    term: s.currentTerm,
    last_included_index: index,
    last_included_term: termAt(s, index) ?? 0,
    data: snapshotOf(s.kv),
  };
  out.push(send(peer, body));
  p.inFlight++;
  p.nextIndex = index + 1;
}

/** An answer to append_entries or install_snapshot. */
export function handleAppendReply(s: RaftState, from: string, body: Body, out: Output[]): void {
  const term = integerField(body, 'term');
  const matchIndex = integerField(body, 'match_index');
  // A success is counted by its match_index: without one it cannot be.
  if (term === undefined || (body.success === true && matchIndex === undefined)) {
    out.push(ignoredMalformed(from, body));
    return;
  }
  observeTerm(s, term, out);
  const p = s.progress.get(from);
  if (s.role !== 'leader' || term !== s.currentTerm || !s.config.replicateLog || !p) return;
  p.inFlight = Math.max(0, p.inFlight - 1);
  if (body.success === true && matchIndex !== undefined) {
    const acked = Math.min(matchIndex, lastLogIndex(s));
    p.matchIndex = Math.max(p.matchIndex, acked);
    p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
    advanceCommitIndex(s, majority(s), out);
    if (p.nextIndex <= lastLogIndex(s) && p.inFlight < MAX_BATCHES_IN_FLIGHT) replicateTo(s, from, p, out);
    return;
  }
  // Only a failed consistency check carries a hint; stale ones predate the last rewind.
  if (typeof body.conflict_index !== 'number' || Number(body.in_reply_to) < p.rewoundAtMsgId) return;
  p.nextIndex = Math.min(lastLogIndex(s) + 1, Math.max(p.matchIndex + 1, backtrackTo(s, body)));
  p.rewoundAtMsgId = s.nextMsgId;
  p.inFlight = 0;
  replicateTo(s, from, p, out);
}

/**
 * The faster backtracking of §5.3: skip the follower's whole conflicting term at once,
 * or go straight to the end of its log when it is too short.
 */
function backtrackTo(s: RaftState, body: Body): number {
  const conflictIndex = Math.max(1, Number(body.conflict_index) || 1);
  if (typeof body.conflict_term !== 'number') return conflictIndex;
  const ours = lastIndexOfTerm(s, body.conflict_term);
  return ours === undefined ? conflictIndex : ours + 1;
}
