// The replicated log with a snapshot prefix: entries up to snapshotIndex are folded into
// the state machine and gone; the rest are kept in `entries`.
import type { LogEntry, RaftState } from './types.js';

export function lastLogIndex(s: RaftState): number {
  return s.snapshotIndex + s.entries.length;
}

export function lastLogTerm(s: RaftState): number {
  return s.entries.length > 0 ? s.entries[s.entries.length - 1].term : s.snapshotTerm;
}

/** The term of the entry at `index`; undefined when it is past the end or compacted away. */
export function termAt(s: RaftState, index: number): number | undefined {
  if (index === s.snapshotIndex) return s.snapshotTerm;
  if (index < s.snapshotIndex || index > lastLogIndex(s)) return undefined;
  return s.entries[index - s.snapshotIndex - 1].term;
}

export function entryAt(s: RaftState, index: number): LogEntry {
  return s.entries[index - s.snapshotIndex - 1];
}

/** Up to `max` entries starting at `from` (which must be after the snapshot). */
export function entriesFrom(s: RaftState, from: number, max: number): LogEntry[] {
  const start = from - s.snapshotIndex - 1;
  return s.entries.slice(start, start + max);
}

/** §5.4.1: a candidate's log is at least as up-to-date as ours. */
export function isUpToDate(s: RaftState, lastIndex: number, lastTerm: number): boolean {
  const myTerm = lastLogTerm(s);
  return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= lastLogIndex(s));
}

/** The first index of the run of entries with the same term as `index`, for the conflict hint. */
export function firstIndexOfTermRun(s: RaftState, index: number): number {
  const term = termAt(s, index);
  let first = index;
  while (first - 1 > s.snapshotIndex && termAt(s, first - 1) === term) first--;
  return first;
}

/** The last index holding an entry of `term`, or undefined when the log has none. */
export function lastIndexOfTerm(s: RaftState, term: number): number | undefined {
  for (let i = s.entries.length - 1; i >= 0; i--) {
    if (s.entries[i].term === term) return s.snapshotIndex + 1 + i;
    if (s.entries[i].term < term) return undefined;
  }
  return s.snapshotTerm === term ? s.snapshotIndex : undefined;
}

/**
 * Appends the leader's entries after `prevIndex`, cutting our log only where an entry
 * conflicts (same index, other term): a stale, reordered AppendEntries must not cut
 * entries a newer one already added. Returns the index of the last entry it covered.
 */
export function mergeEntries(s: RaftState, prevIndex: number, incoming: LogEntry[]): number {
  for (let k = 0; k < incoming.length; k++) {
    const index = prevIndex + 1 + k;
    if (index <= s.snapshotIndex) continue; // committed, so it already matches
    const existing = termAt(s, index);
    if (existing === incoming[k].term) continue;
    if (existing !== undefined) s.entries.length = index - s.snapshotIndex - 1;
    s.entries.push(...incoming.slice(k));
    break;
  }
  return prevIndex + incoming.length;
}

/** §7: drops the applied entries up to `index`; the state machine stands in for them. */
export function compactTo(s: RaftState, index: number): void {
  const term = termAt(s, index);
  if (term === undefined || index <= s.snapshotIndex) return;
  s.entries = s.entries.slice(index - s.snapshotIndex);
  s.snapshotIndex = index;
  s.snapshotTerm = term;
}
