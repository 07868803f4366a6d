// Replication safety from `apply {index, term, digest}` events: replicas' logs agree
// (Raft's log matching, seen through what they applied), and nothing applied is ever
// replaced (committed entries are never lost). Async primary-backup fails the second
// on purpose: a new primary truncates what the old one had applied.
import { lowerBound, RangeMax } from './range-max.js';

export interface ApplyRecord {
  node: string;
  tUs: number;
  index: number;
  term: number;
  digest: string | number;
}

type AppliedEntry = Omit<ApplyRecord, 'index'>;

export interface ReplicatedLogsResult {
  valid: boolean;
  /** Indexes applied by more than one replica. */
  indexesChecked: number;
  /** Indexes where replicas ended up with different entries. */
  conflicts: number;
  violations: Array<{ index: number; entries: AppliedEntry[] }>;
}

export interface CommittedNotLostResult {
  valid: boolean;
  indexesChecked: number;
  /** Indexes whose first applied entry was later replaced by another. */
  lost: number;
  violations: Array<{ index: number; applied: AppliedEntry; replacedBy: AppliedEntry }>;
}

const MAX_EXAMPLES = 10;

/** Compares each replica's latest entry at every index that more than one replica applied. */
/** Given commit records, only committed entries are compared: logs must agree on every committed index. */
export function checkReplicatedLogs(applies: readonly ApplyRecord[], commits?: readonly CommitRecord[]): ReplicatedLogsResult {
  const latest = new Map<number, Map<string, AppliedEntry>>();
  const committed = commits ? committedBy(commits, applies) : null;
  for (const a of inTimeOrder(applies)) {
    if (committed && !committed(a)) continue;
    const atIndex = latest.get(a.index) ?? new Map<string, AppliedEntry>();
    atIndex.set(a.node, entryOf(a));
    latest.set(a.index, atIndex);
  }
  let indexesChecked = 0;
  let conflicts = 0;
  const violations: ReplicatedLogsResult['violations'] = [];
  for (const index of [...latest.keys()].sort((a, b) => a - b)) {
    const entries = [...latest.get(index)!.values()];
    if (entries.length < 2) continue;
    indexesChecked++;
    if (new Set(entries.map((e) => e.digest)).size === 1) continue;
    conflicts++;
    if (violations.length < MAX_EXAMPLES) violations.push({ index, entries });
  }
  return { valid: conflicts === 0, indexesChecked, conflicts, violations };
}

/** A node's commit index from some moment on (the `commit_index` metric). */
export interface CommitRecord {
  node: string;
  tUs: number;
  commitIndex: number;
}

/**
 * The first entry applied at an index, by any replica, must be the only one ever applied
 * there. Given commit records, only committed entries count, on both sides: those at or
 * below a commit index that the node which applied them reported while it held them. (A
 * backup may drop an entry its primary never committed, and a cut-off primary that cannot
 * commit may diverge: no client was told. Two primaries that both commit at one index lose
 * one of the writes.)
 */
export function checkCommittedNotLost(applies: readonly ApplyRecord[], commits?: readonly CommitRecord[]): CommittedNotLostResult {
  const first = new Map<number, AppliedEntry>();
  const lostIndexes = new Set<number>();
  const violations: CommittedNotLostResult['violations'] = [];
  const committed = commits ? committedBy(commits, applies) : null;
  for (const a of inTimeOrder(applies)) {
    if (committed && !committed(a)) continue;
    const applied = first.get(a.index);
    if (!applied) {
      first.set(a.index, entryOf(a));
      continue;
    }
    if (applied.digest === a.digest || lostIndexes.has(a.index)) continue;
    lostIndexes.add(a.index);
    if (violations.length < MAX_EXAMPLES) violations.push({ index: a.index, applied, replacedBy: entryOf(a) });
  }
  return { valid: lostIndexes.size === 0, indexesChecked: first.size, lost: lostIndexes.size, violations };
}

/**
 * Was the entry committed: did its node report a commit index at or above it while the
 * entry was still the one it held there (before it applied another at that index)?
 */
function committedBy(commits: readonly CommitRecord[], applies: readonly ApplyRecord[]): (a: ApplyRecord) => boolean {
  const reportsOf = new Map<string, { times: number[]; highest: RangeMax }>();
  for (const [node, reports] of groupBy([...commits].sort((a, b) => a.tUs - b.tUs), (c) => c.node)) {
    reportsOf.set(node, { times: reports.map((c) => c.tUs), highest: new RangeMax(reports.map((c) => c.commitIndex)) });
  }
  const appliedAt = new Map<string, number[]>();
  for (const a of inTimeOrder(applies)) {
    const key = `${a.node}/${a.index}`;
    const times = appliedAt.get(key);
    if (times) times.push(a.tUs);
    else appliedAt.set(key, [a.tUs]);
  }
  return (a) => {
    const reports = reportsOf.get(a.node);
    if (!reports) return false;
    const replacedAt = appliedAt.get(`${a.node}/${a.index}`)?.find((t) => t > a.tUs) ?? Infinity;
    const { times } = reports;
    // The reports made while the entry was held: from when it was applied until it was replaced.
    const from = lowerBound(times.length, (i) => times[i], a.tUs);
    const until = lowerBound(times.length, (i) => times[i], replacedAt);
    return reports.highest.max(from, until - 1) >= a.index;
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

// Stable, so applies in the same microsecond keep their recorded order.
const inTimeOrder = (applies: readonly ApplyRecord[]): ApplyRecord[] => [...applies].sort((a, b) => a.tUs - b.tUs);

const entryOf = ({ node, tUs, term, digest }: ApplyRecord): AppliedEntry => ({ node, tUs, term, digest });
