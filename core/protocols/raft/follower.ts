// A follower's side of replication: the AppendEntries consistency check with a conflict
// hint for fast backtracking (§5.3), and installing a leader's snapshot (§7).
import type { Body, Output } from '../../sdk/index.js';
import { arrayField, event, ignoredMalformed, integerField, metric, reply } from '../../sdk/index.js';
import { commitUpTo } from './apply.js';
import { isCommand, snapshotPairs } from './kv.js';
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

const isLogEntry = (value: unknown): value is LogEntry =>
  typeof value === 'object' && value !== null && Number.isSafeInteger((value as LogEntry).term) && isCommand((value as LogEntry).command);

interface AppendEntries {
  term: number;
  prevIndex: number;
  prevTerm: number;
  leaderCommit: number;
  entries: LogEntry[];
}

/** An append_entries' fields, or undefined when one is missing or of the wrong type; raft-election's carry only the term. */
function appendEntriesFields(s: RaftState, body: Body): AppendEntries | undefined {
  const term = integerField(body, 'term');
  if (term === undefined) return undefined;
  if (!s.config.replicateLog) return { term, prevIndex: 0, prevTerm: 0, leaderCommit: 0, entries: [] };
  const prevIndex = integerField(body, 'prev_log_index');
  const prevTerm = integerField(body, 'prev_log_term');
  const leaderCommit = integerField(body, 'leader_commit');
  const entries = arrayField(body, 'entries');
  if (prevIndex === undefined || prevTerm === undefined || leaderCommit === undefined || !entries?.every(isLogEntry)) return undefined;
  return { term, prevIndex, prevTerm, leaderCommit, entries: entries as LogEntry[] };
}

export function handleAppendEntries(s: RaftState, from: string, body: Body, out: Output[]): void {
  const append = appendEntriesFields(s, body);
  // A message we cannot read (a corrupted body) is ignored; the leader sends again.
  if (!append) {
    out.push(ignoredMalformed(from, body));
    return;
  }
  const { prevIndex, prevTerm } = append;
  if (!acceptLeader(s, from, append.term, out)) {
    out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: false }));
    return;
  }
  if (!s.config.replicateLog) {
    out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: true }));
    return;
  }
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
  const lastNew = mergeEntries(s, prevIndex, append.entries);
  commitUpTo(s, Math.min(append.leaderCommit, lastNew), out);
  out.push(reply(from, body, { type: 'append_entries_res', term: s.currentTerm, success: true, match_index: lastNew }));
}

export function handleInstallSnapshot(s: RaftState, from: string, body: Body, out: Output[]): void {
  const leaderTerm = integerField(body, 'term');
  const index = integerField(body, 'last_included_index');
  const term = integerField(body, 'last_included_term');
  const pairs = snapshotPairs(body.data);
  if (leaderTerm === undefined || index === undefined || term === undefined || !pairs) {
    out.push(ignoredMalformed(from, body));
    return;
  }
  if (!acceptLeader(s, from, leaderTerm, out) || !s.config.replicateLog) {
    out.push(reply(from, body, { type: 'install_snapshot_res', term: s.currentTerm, success: false }));
    return;
  }
  if (index > s.lastApplied) {
    // Keep the entries after the snapshot if our log agrees at its last index; else drop the log.
    s.entries = termAt(s, index) === term ? s.entries.slice(index - s.snapshotIndex) : [];
    s.snapshotIndex = index;
    s.snapshotTerm = term;
    s.kv = new Map(pairs);
    s.lastApplied = index;
    if (index > s.commitIndex) {
      s.commitIndex = index;
      out.push(metric('commit_index', index));
    }
    out.push(metric('applied_index', index), event('snapshot', { index, term }));
  }
  out.push(reply(from, body, { type: 'install_snapshot_res', term: s.currentTerm, success: true, match_index: index }));
}
