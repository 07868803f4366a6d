// Committing and applying: entries up to commitIndex go through the key-value state
// machine in order, each with an `apply` event, and the leader answers whoever waits.
import type { Output } from '../../sdk/index.js';
import { event, metric } from '../../sdk/index.js';
import { answer, applyCommand, commandDigest, commandKey } from './kv.js';
import { compactTo, entryAt, lastLogIndex, termAt } from './log.js';
import type { RaftState } from './types.js';

/**
 * Figure 2 (leaders): the highest N stored on a majority whose entry is of the current
 * term. Older entries commit only under it — counting replicas of an old-term entry is
 * not enough (figure 8).
 */
export function advanceCommitIndex(s: RaftState, majority: number, out: Output[]): void {
  for (let n = lastLogIndex(s); n > s.commitIndex; n--) {
    if (termAt(s, n) !== s.currentTerm) return; // terms only fall going back
    let replicas = 1;
    for (const p of s.progress.values()) if (p.matchIndex >= n) replicas++;
    if (replicas >= majority) {
      commitUpTo(s, n, out);
      return;
    }
  }
}

export function commitUpTo(s: RaftState, index: number, out: Output[]): void {
  if (index <= s.commitIndex) return;
  s.commitIndex = index;
  out.push(metric('commit_index', index));
  applyCommitted(s, out);
}

function applyCommitted(s: RaftState, out: Output[]): void {
  if (s.lastApplied >= s.commitIndex) return;
  while (s.lastApplied < s.commitIndex) {
    const index = ++s.lastApplied;
    const { term, command } = entryAt(s, index);
    const result = applyCommand(s.kv, command);
    out.push(event('apply', { index, term, key: commandKey(command), digest: commandDigest(command) }));
    const waiting = s.pending.get(index);
    if (!waiting) continue;
    s.pending.delete(index);
    if (waiting.term === term) out.push(answer(waiting.replyTo, waiting.msgId, result));
  }
  out.push(metric('applied_index', s.lastApplied));
  // Keep half the threshold of applied entries, so a follower lagging a little still gets entries, not a snapshot.
  const threshold = s.config.logCompactionThreshold;
  if (s.lastApplied - s.snapshotIndex > threshold) compactTo(s, s.lastApplied - Math.floor(threshold / 2));
}
