// Which of the run's charts have anything to draw, so the grid can fold the others into a
// one-line note instead of a large empty panel.
import type { MetricPoint, NodeEventPoint } from '../../../../core/api/contract.js';

/** The parts of a RunModel this looks at. */
type RunParts = { operations: readonly unknown[]; events: readonly NodeEventPoint[]; metrics: readonly MetricPoint[] };

export interface Relevance {
  latency: boolean;
  heartbeats: boolean;
  leadership: boolean;
  lag: boolean;
  /** A sharded store's ring and keys per node: nodes that report a `ring` state. */
  sharding: boolean;
  /** A rate limiter's accepted and rejected per second: nodes that report `throttle.*` metrics. */
  throttle: boolean;
}

const DETECTOR_EVENTS = new Set(['heartbeat', 'suspect', 'dead', 'alive']);
const ELECTION_EVENTS = new Set(['role', 'leader', 'term', 'election']);
const LAG_METRICS = new Set(['applied_index', 'last_index', 'commit_index']);

/** Once a chart has data it stays shown; `previous` carries that over. */
export function chartRelevance(model: RunParts, previous: Relevance | null): Relevance {
  const r: Relevance = previous ? { ...previous } : { latency: false, heartbeats: false, leadership: false, lag: false, sharding: false, throttle: false };
  if (!r.latency) r.latency = model.operations.length > 0;
  if (!r.heartbeats || !r.leadership || !r.sharding) {
    for (const e of model.events) {
      if (DETECTOR_EVENTS.has(e[2])) r.heartbeats = true;
      else if (ELECTION_EVENTS.has(e[2])) r.leadership = true;
      else if (e[2] === 'state' && (e[3] as { key?: unknown } | null)?.key === 'ring') r.sharding = true;
      if (r.heartbeats && r.leadership && r.sharding) break;
    }
  }
  if (!r.heartbeats || !r.lag || !r.throttle) {
    for (const m of model.metrics) {
      if (m[2].startsWith('suspicion.')) r.heartbeats = true;
      else if (LAG_METRICS.has(m[2])) r.lag = true;
      else if (m[2].startsWith('throttle.')) r.throttle = true;
      if (r.heartbeats && r.lag && r.throttle) break;
    }
  }
  return r;
}
