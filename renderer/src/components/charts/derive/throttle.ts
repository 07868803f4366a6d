// What the throttle chart draws, from the limiter nodes' metrics and the clients' record:
// accepted and rejected per second (the nodes' cumulative counters, differenced per second
// and summed over the nodes), attempts per second (every request the clients sent, retries
// included), the cluster's limit, and each node's bucket level or queue length.
import type { MetricPoint, OperationPoint } from '../../../../../core/api/contract.js';

export const THROTTLE_BIN_MS = 1000;

export interface ThrottleSeries {
  /** [bin start s, per second]; a bin still filling in a live run is left out. */
  accepted: Array<[number, number]>;
  rejected: Array<[number, number]>;
  attempts: Array<[number, number]>;
  /** Summed over the nodes' throttle.limit; null when the limits are per client. */
  limit: number | null;
  /** 'tokens' (token bucket) or 'queue' (leaky bucket), per node: [s, value]. */
  levelKind: 'tokens' | 'queue' | null;
  levels: Map<string, Array<[number, number]>>;
}

export const isThrottleMetric = (m: MetricPoint) => m[2].startsWith('throttle.');

export function deriveThrottle(metrics: readonly MetricPoint[], operations: readonly OperationPoint[], untilMs: number): ThrottleSeries {
  const bins = Math.max(0, Math.floor(untilMs / THROTTLE_BIN_MS));
  const accepted = new Array<number>(bins).fill(0);
  const rejected = new Array<number>(bins).fill(0);
  const counters = new Map<string, number>();
  const limits = new Map<string, number>();
  const levels = new Map<string, Array<[number, number]>>();
  let levelKind: ThrottleSeries['levelKind'] = null;
  for (const [ms, node, name, value] of metrics) {
    if (name === 'throttle.accepted' || name === 'throttle.rejected') {
      const key = `${node} ${name}`;
      const before = counters.get(key) ?? 0;
      counters.set(key, value);
      // A restarted node counts from 0 again.
      const delta = value >= before ? value - before : value;
      const bin = Math.floor(ms / THROTTLE_BIN_MS);
      if (bin < bins) (name === 'throttle.accepted' ? accepted : rejected)[bin] += delta;
    } else if (name === 'throttle.limit') {
      limits.set(node, value);
    } else if (name === 'throttle.tokens' || name === 'throttle.queue') {
      levelKind = name === 'throttle.tokens' ? 'tokens' : 'queue';
      let points = levels.get(node);
      if (!points) levels.set(node, (points = []));
      points.push([ms / 1000, value]);
    }
  }
  const attempts = new Array<number>(bins).fill(0);
  for (const op of operations) {
    const bin = Math.floor(op[0] / THROTTLE_BIN_MS);
    if (bin >= 0 && bin < bins) attempts[bin]++;
  }
  const perSecond = (counts: number[]) => counts.map((n, i): [number, number] => [(i * THROTTLE_BIN_MS) / 1000, (n * 1000) / THROTTLE_BIN_MS]);
  return {
    accepted: perSecond(accepted),
    rejected: perSecond(rejected),
    attempts: perSecond(attempts),
    limit: limits.size ? [...limits.values()].reduce((a, b) => a + b, 0) : null,
    levelKind,
    levels,
  };
}
