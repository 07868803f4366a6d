// What a key-value run gave up for what: availability overall and on each side of a
// partition, stale reads, and how long after the last heal reads were still stale.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import { loadHistory, type HistoryOp } from '../checks/history.js';
import { answered, availabilityBySide, share } from './partition-sides.js';
import { findStaleReads } from './stale-reads.js';
import { partitionConflicts, type PartitionConflicts } from './partition-conflicts.js';
import type { RecordedFault } from './recorded.js';

export interface KvConsistency {
  /** Share of the operations the store answered: ok, or a definite answer about the data (no such key). */
  availability: number | null;
  /** While a partition was in force: the share that succeeded on each side. */
  bySide?: { majority: number | null; minority: number | null; majorityOps: number; minorityOps: number };
  reads: number;
  staleReads: number;
  /** The most acknowledged writes one read missed. */
  maxVersionsBehind: number;
  /**
   * After the last heal: stale reads, ms from the heal to the last of them (0 when none), and
   * the keys written on both sides of the partition, with the writes the losing side lost.
   */
  afterHeal?: { staleReads: number; convergedMs: number } & PartitionConflicts;
}

const KV_OPS = ['read', 'write', 'cas'];

export function measureKvConsistency(db: Database.Database, runId: number, faults: readonly RecordedFault[], nodeCount: number): KvConsistency | null {
  const writes = cachedStatement(db, "select count(*) from operations where run_id = ? and op in ('write', 'cas')").pluck().get(runId) as number;
  if (writes === 0) return null;
  return kvConsistency(loadHistory(db, runId, KV_OPS), faults, nodeCount);
}

export function kvConsistency(history: readonly HistoryOp[], faults: readonly RecordedFault[], nodeCount: number): KvConsistency {
  const counted = history.filter((op) => op.detail.final !== true);
  const ok = counted.filter(answered).length;
  const stale = findStaleReads(history);
  const out: KvConsistency = {
    availability: share({ ok, total: counted.length }),
    reads: stale.reads,
    staleReads: stale.stale.length,
    maxVersionsBehind: stale.maxBehind,
  };
  const sides = availabilityBySide(history, faults, nodeCount);
  if (sides) {
    out.bySide = { majority: share(sides.majority), minority: share(sides.minority), majorityOps: sides.majority.total, minorityOps: sides.minority.total };
  }
  const heals = faults.filter((f) => f.kind === 'heal');
  if (heals.length) {
    const healUs = heals[heals.length - 1].tUs;
    const after = stale.stale.filter((r) => r.tUs >= healUs);
    out.afterHeal = {
      staleReads: after.length,
      convergedMs: after.length ? Math.round((after[after.length - 1].tUs - healUs) / 1000) : 0,
      ...partitionConflicts(history, faults, nodeCount, healUs),
    };
  }
  return out;
}
