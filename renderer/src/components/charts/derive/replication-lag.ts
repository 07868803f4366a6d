// Replication lag per follower on a fixed grid: how many entries behind the newest index
// known at the leader (or primary) it had applied, and for how long the oldest entry it
// had not yet applied had existed.
//
// Who leads comes from the election telemetry when the run has it: of the nodes acting as
// leader, the one with the highest term. A stale leader, cut off and still believing it
// leads an older term, is measured as a follower: it is behind the real leader. Without
// election telemetry the leader is whoever last reported `last_index`. Reading the leader
// from `last_index` alone would flip between a stale primary and the new one while both
// report.
import type { MetricPoint } from '../../../../../core/api/contract.js';
import { isDownAt, type DownPeriod } from './down-periods.js';
import type { LeaderSegment } from './leadership.js';
import { sortNodeIds } from './node-order.js';

export const LAG_TICK_MS = 100;

export interface FollowerLag {
  node: string;
  /** [run ms, entries behind, ms behind]; null values while the node leads or is down. */
  points: Array<[number, number | null, number | null]>;
  maxEntries: number;
  maxMs: number;
}

export interface ReplicationLag {
  followers: FollowerLag[];
  maxEntries: number;
  maxMs: number;
}

interface Sample {
  ms: number;
  node: string;
  value: number;
}

/** Null when the run reports no replication (no `last_index` or no `applied_index`). */
export function deriveReplicationLag(
  metrics: readonly MetricPoint[],
  untilMs: number,
  down: readonly DownPeriod[] = [],
  leaders: readonly LeaderSegment[] = [],
  tickMs = LAG_TICK_MS,
): ReplicationLag | null {
  const heads: Sample[] = [];
  const applied = new Map<string, Sample[]>();
  for (const [ms, node, name, value] of metrics) {
    if (name === 'last_index') heads.push({ ms, node, value });
    else if (name === 'applied_index') {
      let own = applied.get(node);
      if (!own) applied.set(node, (own = []));
      own.push({ ms, node, value });
    }
  }
  if (heads.length === 0 || applied.size === 0) return null;
  // Telemetry arrives in per-node batches, so the merged stream is only roughly in order.
  const byTime = (a: Sample, b: Sample) => a.ms - b.ms;
  heads.sort(byTime);
  for (const own of applied.values()) own.sort(byTime);

  // When each index first existed at a leader.
  const createdAt: number[] = [];
  let newest = 0;
  for (const h of heads) for (; newest < h.value; newest++) createdAt[newest + 1] = h.ms;

  let first = heads[0].ms;
  for (const own of applied.values()) first = Math.min(first, own[0].ms);
  const start = Math.ceil(first / tickMs) * tickMs;

  const nodes = sortNodeIds(applied.keys());
  const followers: FollowerLag[] = nodes.map((node) => ({ node, points: [], maxEntries: 0, maxMs: 0 }));
  const cursors = nodes.map(() => ({ index: 0, value: null as number | null }));
  let headIndex = 0;
  let lastReport: Sample | null = null;
  const reported = new Map<string, number>();
  for (let t = start; t <= untilMs; t += tickMs) {
    while (headIndex < heads.length && heads[headIndex].ms <= t) {
      lastReport = heads[headIndex++];
      reported.set(lastReport.node, lastReport.value);
    }
    const acting = leaders.filter((s) => s.fromMs <= t && t < s.toMs);
    const current = acting.reduce<LeaderSegment | null>((best, s) => (!best || s.term > best.term || (s.term === best.term && s.fromMs > best.fromMs) ? s : best), null);
    const leader = current?.node ?? lastReport?.node ?? null;
    const head = (current && reported.get(current.node)) ?? lastReport?.value ?? 0;
    nodes.forEach((node, i) => {
      const own = applied.get(node)!;
      const cursor = cursors[i];
      while (cursor.index < own.length && own[cursor.index].ms <= t) cursor.value = own[cursor.index++].value;
      const follower = followers[i];
      if (cursor.value === null || node === leader || isDownAt(down, node, t)) {
        // A gap, so the line breaks, but only one per stretch.
        const last = follower.points[follower.points.length - 1];
        if (last && last[1] !== null) follower.points.push([t, null, null]);
        return;
      }
      const behind = Math.max(0, head - cursor.value);
      const oldest = createdAt[cursor.value + 1];
      const lagMs = behind > 0 && oldest !== undefined ? Math.max(0, t - oldest) : 0;
      follower.points.push([t, behind, lagMs]);
      follower.maxEntries = Math.max(follower.maxEntries, behind);
      follower.maxMs = Math.max(follower.maxMs, lagMs);
    });
  }
  const withData = followers.filter((f) => f.points.some((p) => p[1] !== null));
  return {
    followers: withData,
    maxEntries: Math.max(0, ...withData.map((f) => f.maxEntries)),
    maxMs: Math.max(0, ...withData.map((f) => f.maxMs)),
  };
}
