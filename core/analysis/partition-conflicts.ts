// What a partition left behind once it healed: keys written on both sides while it was in
// force (conflicts), and which side's writes survived. The first read of a key after the heal
// shows whose write won; the other side's acknowledged writes from the partition are lost.
// A CP store has no conflicts (its minority refuses writes); an AP store trades them for
// staying available.
import type { HistoryOp } from '../checks/history.js';
import type { FaultStep } from './state-fold.js';
import { sideAt, type Side } from './partition-sides.js';

export interface PartitionConflicts {
  /** Keys with writes acknowledged on both sides of the partition. */
  conflicts: number;
  /** Conflicts whose key was read after the heal: the read shows which side won. */
  resolved: number;
  /** Acknowledged writes of the losing side of each resolved conflict: gone after the heal. */
  lostWrites: number;
}

type PartitionSide = Exclude<Side, 'whole'>;

function writtenValue(op: HistoryOp): unknown {
  return op.f === 'write' ? op.detail.value : op.f === 'cas' ? op.detail.to : undefined;
}

export function partitionConflicts(history: readonly HistoryOp[], faults: readonly FaultStep[], nodeCount: number, healUs: number): PartitionConflicts {
  // Per key, the acknowledged writes made under the partition, by side; and each value's side.
  const writes = new Map<string, Record<PartitionSide, number>>();
  const sideOfValue = new Map<string, PartitionSide>();
  for (const op of history) {
    const value = writtenValue(op);
    if (op.outcome !== 'ok' || value === undefined || op.invokeUs >= healUs) continue;
    const side = sideAt(faults, nodeCount, op.node, op.invokeUs);
    if (side === 'whole') continue;
    const key = String(op.detail.key);
    const counts = writes.get(key) ?? { majority: 0, minority: 0 };
    counts[side]++;
    writes.set(key, counts);
    sideOfValue.set(`${key}\u0000${JSON.stringify(value)}`, side);
  }
  const result: PartitionConflicts = { conflicts: 0, resolved: 0, lostWrites: 0 };
  for (const [key, counts] of writes) {
    if (counts.majority === 0 || counts.minority === 0) continue;
    result.conflicts++;
    const firstRead = history.find((op) => op.f === 'read' && op.outcome === 'ok' && op.invokeUs >= healUs && String(op.detail.key) === key);
    const winner = firstRead ? sideOfValue.get(`${key}\u0000${JSON.stringify(firstRead.detail.value ?? null)}`) : undefined;
    if (!winner) continue;
    result.resolved++;
    result.lostWrites += counts[winner === 'majority' ? 'minority' : 'majority'];
  }
  return result;
}
