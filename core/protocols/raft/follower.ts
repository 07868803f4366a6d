// A follower's side of replication: the AppendEntries consistency check with a conflict
// hint for fast backtracking (§5.3), and installing a leader's snapshot (§7).
import type { Body, Output } from '../../sdk/index.js';
import { event, metric, reply, state } from '../../sdk/index.js';
import { commitUpTo } from './apply.js';
import { kvFromSnapshot } from './kv.js';
import { firstIndexOfTermRun, lastLogIndex, mergeEntries, termAt } from './log.js';
import { becomeFollower, observeTerm, resetElectionTimer, setLeader } from './roles.js';
import type { LogEntry, RaftState } from './types.js';

/**
 * Accepts a message from the leader of `term` if that term is current: a candidate of the
 * same term steps down, and the election timer restarts. False when the sender is stale.
 */
function acceptLeader(s: RaftState, from: string, term: number, out: Output[]): boolean {
  observeTerm(s, term, out);
  // A leader of our own term is impossible unless a member forgot its vote (see programs.ts).
  if (term < s.currentTerm || s.role === 'leader') return false;
  becomeFollower(s, out);
  setLeader(s, from, out);
  out.push(resetElectionTimer(s));
  return true;
}

export function handleAppendEntries(s: RaftState, from: string, body: Body, out: Output[]): void {
  if (!acceptLeader(s, from, Number(body.term), out)) {
    out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: false }));
    return;
  }
  if (!s.config.replicateLog) {
    out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: true }));
    return;
  }
  const prevIndex = Number(body.prev_log_index);
  const prevTerm = Number(body.prev_log_term);
  if (prevIndex > lastLogIndex(s)) {
    out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: false, conflict_index: lastLogIndex(s) + 1, conflict_term: null }));
    return;
  }
  // Entries up to the snapshot are committed, so they match the leader's by definition.
  if (prevIndex >= s.snapshotIndex && termAt(s, prevIndex) !== prevTerm) {
    const conflictTerm = termAt(s, prevIndex);
    out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: false, conflict_index: firstIndexOfTermRun(s, prevIndex), conflict_term: conflictTerm }));
    return;
  }
  const entries = Array.isArray(body.entries) ? (body.entries as LogEntry[]) : [];
  const lastNew = mergeEntries(s, prevIndex, entries);
  commitUpTo(s, Math.min(Number(body.leader_commit), lastNew), out);
  out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: true, match_index: lastNew }));
}

export function handleInstallSnapshot(s: RaftState, from: string, body: Body, out: Output[]): void {
  if (!acceptLeader(s, from, Number(body.term), out) || !s.config.replicateLog) {
    out.push(reply(from, body, { type: 'install_snapshot_res', term: s.currentTerm, success: false }));
    return;
  }
  const index = Number(body.last_included_index);
  const term = Number(body.last_included_term);
  if (index > s.lastApplied) {
    // Keep the entries after the snapshot if our log agrees at its last index; else drop the log.
    s.entries = termAt(s, index) === term ? s.entries.slice(index - s.snapshotIndex) : [];
    s.snapshotIndex = index;
    s.snapshotTerm = term;
    s.kv = kvFromSnapshot(body.data);
    s.lastApplied = index;
    if (index > s.commitIndex) {
      s.commitIndex = index;
      out.push(metric('commit_index', index), state('commitIndex', index));
    }
    out.push(metric('applied_index', index), event('snapshot', { index, term }));
  }
  out.push(reply(from, body, { type: 'install_snapshot_res', term: s.currentTerm, success: true, match_index: index }));
}
