// The few facts of a run's experiment the run view needs before any data arrives: the
// planned duration, the node ids, and whether clients send operations. The engine validated
// the text before running it.
import { parse } from 'yaml';
import { parseDurationMs } from '../../../../core/experiment/units.js';

export interface ExperimentFacts {
  durationMs: number | null;
  nodes: string[];
  /** A workload is configured, so client latency will come even if none has yet. */
  hasWorkload: boolean;
}

export function experimentFacts(text: string): ExperimentFacts {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { durationMs: null, nodes: [], hasWorkload: false };
  }
  const d = (doc && typeof doc === 'object' ? doc : {}) as { duration?: unknown; nodes?: { count?: unknown }; workload?: { kind?: unknown } | null };
  let durationMs: number | null = null;
  try {
    durationMs = d.duration === undefined ? null : parseDurationMs(d.duration);
  } catch {
    durationMs = null;
  }
  const count = typeof d.nodes?.count === 'number' && Number.isInteger(d.nodes.count) && d.nodes.count > 0 ? Math.min(d.nodes.count, 1000) : 0;
  const hasWorkload = typeof d.workload?.kind === 'string' && d.workload.kind !== 'none';
  return { durationMs, nodes: Array.from({ length: count }, (_, i) => `n${i + 1}`), hasWorkload };
}
