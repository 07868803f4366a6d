// Availability on each side of a partition: the share of client operations that succeed on
// the majority side and on the minority side while a partition is in force. This is the CAP
// lesson in numbers: a CP store refuses on the minority side, an AP store answers everywhere.
import type { HistoryOp } from '../checks/history.js';
import { foldNetwork, type FaultStep } from './state-fold.js';

export type Side = 'majority' | 'minority' | 'whole';

export interface SideCount {
  /** Operations the store answered (see `answered`). */
  ok: number;
  total: number;
}

export interface SideAvailability {
  /** Operations invoked while a partition was in force, by the side of the node they went to. */
  majority: SideCount;
  minority: SideCount;
  /** Operations invoked while no partition was in force. */
  whole: SideCount;
}

/** [run ms at the start of the bucket, share of its operations that succeeded]. */
export type SharePoint = [number, number];

export interface SideSeries {
  majority: SharePoint[];
  minority: SharePoint[];
  whole: SharePoint[];
  /** The majority side and the whole cluster together: one line for everything but the minority. */
  notMinority: SharePoint[];
}

export const SIDE_BUCKET_MS = 1000;

/** The side of `node` under the partition in force at tUs (a group with more than half the nodes is the majority). */
export function sideAt(faults: readonly FaultStep[], nodeCount: number, node: string, tUs: number): Side {
  const groups = foldNetwork(faults, tUs).partitions[0];
  if (!groups) return 'whole';
  const group = groups.find((g) => g.includes(node));
  if (!group) return 'whole';
  return group.length * 2 > nodeCount ? 'majority' : 'minority';
}

/** Final reads after the run are left out: they judge convergence, not availability. */
function counted(op: HistoryOp): boolean {
  return op.detail.final !== true;
}

/** Maelstrom's errors that answer about the data: the key does not exist, a cas's precondition failed. */
const DATA_ANSWERS = new Set([20, 22]);

/**
 * The store answered: ok, or a definite error about the data. A read of a key never written
 * on this side was served; refusing (11), timing out or crashing is what unavailable means.
 */
export function answered(op: HistoryOp): boolean {
  return op.outcome === 'ok' || (op.outcome === 'fail' && DATA_ANSWERS.has(Number(op.detail.code)));
}

export function availabilityBySide(history: readonly HistoryOp[], faults: readonly FaultStep[], nodeCount: number): SideAvailability | null {
  if (!faults.some((f) => f.kind === 'partition' || f.kind === 'partition-pattern')) return null;
  const out: SideAvailability = { majority: { ok: 0, total: 0 }, minority: { ok: 0, total: 0 }, whole: { ok: 0, total: 0 } };
  for (const op of history) {
    if (!counted(op)) continue;
    const side = out[sideAt(faults, nodeCount, op.node, op.invokeUs)];
    side.total++;
    if (answered(op)) side.ok++;
  }
  return out;
}

/** The share of operations that succeed per second, on each side (a bucket without operations on a side is left out). */
export function availabilitySeries(history: readonly HistoryOp[], faults: readonly FaultStep[], nodeCount: number): SideSeries {
  const buckets: Record<Side | 'notMinority', Map<number, SideCount>> = { majority: new Map(), minority: new Map(), whole: new Map(), notMinority: new Map() };
  const count = (map: Map<number, SideCount>, bucket: number, ok: boolean) => {
    const c = map.get(bucket) ?? { ok: 0, total: 0 };
    c.total++;
    if (ok) c.ok++;
    map.set(bucket, c);
  };
  for (const op of history) {
    if (!counted(op)) continue;
    const bucket = Math.floor(op.invokeUs / 1000 / SIDE_BUCKET_MS) * SIDE_BUCKET_MS;
    const side = sideAt(faults, nodeCount, op.node, op.invokeUs);
    count(buckets[side], bucket, answered(op));
    if (side !== 'minority') count(buckets.notMinority, bucket, answered(op));
  }
  const points = (map: Map<number, SideCount>): SharePoint[] =>
    [...map.entries()].sort((a, b) => a[0] - b[0]).map(([t, c]) => [t, Math.round((c.ok / c.total) * 1000) / 1000]);
  return { majority: points(buckets.majority), minority: points(buckets.minority), whole: points(buckets.whole), notMinority: points(buckets.notMinority) };
}

export const share = (c: SideCount): number | null => (c.total ? Math.round((c.ok / c.total) * 1000) / 1000 : null);
