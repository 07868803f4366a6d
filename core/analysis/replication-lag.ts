// Replication lag per follower: how many entries behind the newest one it was, and for how
// long its oldest unapplied entry had existed, sampled on a fixed tick over the run.
import { msFromUs, spread, type RecordedMetric, type Spread } from './recorded.js';

export interface FollowerLag {
  entries: Spread | null;
  ms: Spread | null;
  /** [run ms, entries behind, ms behind] on every tick, for charts. */
  series: Array<[number, number, number]>;
}

export interface LagMeasurements {
  followers: Record<string, FollowerLag>;
}

const TICK_US = 100_000;

/** `isDown(node, tUs)`: a node that is down is no follower at that moment, and is left out. */
export function measureReplicationLag(metrics: RecordedMetric[], endUs: number, isDown: (node: string, tUs: number) => boolean = () => false): LagMeasurements | null {
  const heads = metrics.filter((m) => m.name === 'last_index').sort((a, b) => a.tUs - b.tUs);
  const applied = metrics.filter((m) => m.name === 'applied_index').sort((a, b) => a.tUs - b.tUs);
  if (heads.length === 0 || applied.length === 0) return null;

  // When each index first existed at the leader (or primary).
  const createdAt: number[] = [];
  let newest = 0;
  for (const h of heads) for (; newest < h.value; newest++) createdAt[newest + 1] = h.tUs;

  const followers: Record<string, FollowerLag> = {};
  const nodes = [...new Set(applied.map((m) => m.node))];
  for (const node of nodes) {
    const own = applied.filter((m) => m.node === node);
    const series: Array<[number, number, number]> = [];
    let appliedIdx = 0;
    let headIdx = 0;
    let appliedNow = 0;
    let headNow = 0;
    let leaderNow = '';
    for (let t = own[0].tUs; t <= endUs; t += TICK_US) {
      while (appliedIdx < own.length && own[appliedIdx].tUs <= t) appliedNow = own[appliedIdx++].value;
      while (headIdx < heads.length && heads[headIdx].tUs <= t) {
        headNow = heads[headIdx].value;
        leaderNow = heads[headIdx++].node;
      }
      // The leader is not its own follower.
      if (leaderNow === node || isDown(node, t)) continue;
      const behind = Math.max(0, headNow - appliedNow);
      const oldest = createdAt[appliedNow + 1];
      series.push([msFromUs(t), behind, behind > 0 && oldest !== undefined ? msFromUs(t - oldest) : 0]);
    }
    if (series.length) followers[node] = { entries: spread(series.map((s) => s[1])), ms: spread(series.map((s) => s[2])), series };
  }
  return { followers };
}
