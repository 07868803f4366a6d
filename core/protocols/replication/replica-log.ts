// A replica's log of applied writes, in index order. Each entry carries the sid (session
// id) of the primary incarnation that created it, and a sid never reuses an index, so
// (index, sid) names one entry: two logs that agree at an index agree on everything
// before it (the log matching of Raft, with sids in place of terms). Only the newest
// entries are kept; the session boundaries (`runs`) are kept for the whole log, which is
// what lets two replicas find where their logs part.
import type { Undo, WriteOp } from './kv-store.js';

export interface LogEntry {
  index: number;
  term: number;
  sid: string;
  op: WriteOp;
  undo: Undo;
}

/** An entry as it travels: the undo record stays with the replica that applied it. */
export type WireEntry = Omit<LogEntry, 'undo'>;

/** The first index of one session's entries. */
export interface Run {
  sid: string;
  from: number;
}

export interface ReplicaLog {
  last: number;
  /** The newest entries, contiguous and ending at `last`. */
  entries: LogEntry[];
  runs: Run[];
}

/** Entries kept for resending to backups and for undoing; a backup further behind gets a snapshot. */
export const LOG_WINDOW = 1000;
/** Session boundaries kept; older ones are forgotten (a log that old no longer matches). */
const MAX_RUNS = 64;

export const emptyLog = (): ReplicaLog => ({ last: 0, entries: [], runs: [] });

export const toWire = ({ index, term, sid, op }: LogEntry): WireEntry => ({ index, term, sid, op });

/** The sid of entry i: '' for index 0 (all logs share the empty prefix), undefined when unknown. */
export function sidAt(runs: readonly Run[], last: number, i: number): string | undefined {
  if (i === 0) return '';
  if (i < 0 || i > last) return undefined;
  for (let j = runs.length - 1; j >= 0; j--) if (runs[j].from <= i) return runs[j].sid;
  return undefined;
}

export const sidOf = (log: ReplicaLog, i: number): string | undefined => sidAt(log.runs, log.last, i);

/** The term a sid was created in: a primary's sid ends with it (node:start:term); 0 for none. */
export function sidTerm(sid: string): number {
  const term = Number(sid.slice(sid.lastIndexOf(':') + 1));
  return sid && Number.isFinite(term) ? term : 0;
}

export const windowStart = (log: ReplicaLog): number => (log.entries.length ? log.entries[0].index : log.last + 1);

export function append(log: ReplicaLog, entry: LogEntry): void {
  if (sidOf(log, log.last) !== entry.sid) {
    log.runs.push({ sid: entry.sid, from: entry.index });
    if (log.runs.length > MAX_RUNS) log.runs.splice(0, log.runs.length - MAX_RUNS);
  }
  log.entries.push(entry);
  log.last = entry.index;
  // Prune in chunks so that appending stays cheap.
  if (log.entries.length > LOG_WINDOW * 1.1) log.entries.splice(0, log.entries.length - LOG_WINDOW);
}

/** Up to `max` entries after index k, or null when some of them are pruned. */
export function entriesAfter(log: ReplicaLog, k: number, max: number): LogEntry[] | null {
  const start = windowStart(log);
  if (k < start - 1) return null;
  return log.entries.slice(k + 1 - start, k + 1 - start + max);
}

/** Removes the entries after k, newest first, for the caller to undo; null when k is below the window. */
export function truncateAfter(log: ReplicaLog, k: number): LogEntry[] | null {
  if (k >= log.last) return [];
  const start = windowStart(log);
  if (k < start - 1) return null;
  const removed = log.entries.splice(k + 1 - start).reverse();
  log.last = k;
  log.runs = log.runs.filter((r) => r.from <= k);
  return removed;
}

/** After a snapshot: nothing to resend or undo, only where the sessions began. */
export function resetTo(log: ReplicaLog, index: number, runs: readonly Run[]): void {
  log.last = index;
  log.entries = [];
  log.runs = runs.filter((r) => r.from <= index);
}

/**
 * The highest index where both logs hold the same entry. Both sids are constant between
 * session boundaries, so only the top index of each such stretch needs comparing.
 */
export function commonPrefix(a: { runs: readonly Run[]; last: number }, b: { runs: readonly Run[]; last: number }): number {
  const top = Math.min(a.last, b.last);
  const candidates = new Set<number>([top]);
  for (const run of [...a.runs, ...b.runs]) if (run.from - 1 < top && run.from > 0) candidates.add(run.from - 1);
  for (const i of [...candidates].sort((x, y) => y - x)) {
    const sid = sidAt(a.runs, a.last, i);
    if (sid !== undefined && sid === sidAt(b.runs, b.last, i)) return i;
  }
  return 0;
}

/** Session boundaries as a peer sent them, malformed ones left out. */
export function runsFrom(value: unknown): Run[] {
  if (!Array.isArray(value)) return [];
  return value.filter((r): r is Run => typeof r?.sid === 'string' && typeof r?.from === 'number');
}
