// The few facts of a run's experiment the run view needs before any data arrives: the
// planned duration, the node ids, whether clients send operations, and the lesson. The engine validated
// the text before running it.
import { parse } from 'yaml';
import { parseDurationMs } from '../../../../core/experiment/units.js';

export interface ExperimentFacts {
  durationMs: number | null;
  nodes: string[];
  /** A workload is configured, so client latency will come even if none has yet. */
  hasWorkload: boolean;
  /** The experiment's `lesson`: what to look for in the run. */
  lesson: string | null;
}

export function experimentFacts(text: string): ExperimentFacts {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { durationMs: null, nodes: [], hasWorkload: false, lesson: null };
  }
  const d = (doc && typeof doc === 'object' ? doc : {}) as { duration?: unknown; nodes?: { count?: unknown }; workload?: { kind?: unknown } | null; lesson?: unknown };
  let durationMs: number | null = null;
  try {
    durationMs = d.duration === undefined ? null : parseDurationMs(d.duration);
  } catch {
    durationMs = null;
  }
  const count = typeof d.nodes?.count === 'number' && Number.isInteger(d.nodes.count) && d.nodes.count > 0 ? Math.min(d.nodes.count, 1000) : 0;
  const hasWorkload = typeof d.workload?.kind === 'string' && d.workload.kind !== 'none';
  const lesson = typeof d.lesson === 'string' && d.lesson.trim() !== '' ? d.lesson.trim() : null;
  return { durationMs, nodes: Array.from({ length: count }, (_, i) => `n${i + 1}`), hasWorkload, lesson };
}
