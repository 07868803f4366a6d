// The measurements of a sweep: per combination of parameter values, each run's headline
// numbers and their median, min and max over the repeats. `distlab sweep --json` and the
// lab's sweep view (`sweeps.get`) both read them from here.
import type Database from 'better-sqlite3';
import { compareRuns, type ComparedRun } from './compare.js';
import { quantile } from './quantiles.js';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface SweepMeasure {
  key: string;
  label: string;
  unit: string;
  /** Whether a smaller value is the better one, for the reader (latency, mistakes). */
  lowerIsBetter: boolean;
}

/** The headline numbers a sweep plots against its parameters, read from each run's comparison row. */
const MEASURES: Array<SweepMeasure & { read: (r: ComparedRun) => number | null | undefined }> = [
  { key: 'latencyP50Ms', label: 'client latency p50', unit: 'ms', lowerIsBetter: true, read: (r) => r.latencyMs?.p50 },
  { key: 'latencyP99Ms', label: 'client latency p99', unit: 'ms', lowerIsBetter: true, read: (r) => r.latencyMs?.p99 },
  { key: 'opsOk', label: 'operations ok', unit: 'ops', lowerIsBetter: false, read: (r) => r.ops?.ok },
  { key: 'messagesPerOperation', label: 'messages per operation', unit: 'msgs', lowerIsBetter: true, read: (r) => r.measurements.messagesPerOperation },
  { key: 'messagesPerNodePerSec', label: 'messages per node per second', unit: 'msgs/s', lowerIsBetter: true, read: (r) => r.measurements.messagesPerNodePerSec },
  { key: 'detectionFirstP50Ms', label: 'detection time, first detector (p50)', unit: 'ms', lowerIsBetter: true, read: (r) => r.measurements.detection?.detectionMs.first?.p50 },
  { key: 'detectionLastP50Ms', label: 'detection time, last detector (p50)', unit: 'ms', lowerIsBetter: true, read: (r) => r.measurements.detection?.detectionMs.last?.p50 },
  { key: 'falseSuspicions', label: 'false suspicions', unit: 'mistakes', lowerIsBetter: true, read: (r) => r.measurements.detection?.mistakes.count },
  { key: 'elections', label: 'elections', unit: 'elections', lowerIsBetter: true, read: (r) => r.measurements.elections?.elections },
  { key: 'availability', label: 'operations answered', unit: 'share', lowerIsBetter: false, read: (r) => r.measurements.consistency?.availability },
  { key: 'staleReads', label: 'stale reads', unit: 'reads', lowerIsBetter: true, read: (r) => r.measurements.consistency?.staleReads },
  { key: 'conflictingReads', label: 'reads with conflicting siblings', unit: 'reads', lowerIsBetter: true, read: (r) => r.measurements.quorum?.conflictingReads },
  { key: 'keysMaxOverMean', label: 'keys on the busiest node / mean', unit: '×', lowerIsBetter: true, read: (r) => r.measurements.sharding?.maxOverMean },
  { key: 'keysRelativeStdDev', label: 'keys per node, std dev / mean', unit: 'ratio', lowerIsBetter: true, read: (r) => r.measurements.sharding?.relativeStdDev },
  { key: 'keysMoved', label: 'keys moved by membership changes', unit: 'keys', lowerIsBetter: true, read: (r) => sumOrNull(r.measurements.sharding?.changes.map((c) => c.moved)) },
];

const sumOrNull = (xs: number[] | undefined): number | null => (xs && xs.length ? xs.reduce((a, b) => a + b, 0) : null);

export const SWEEP_MEASURES: readonly SweepMeasure[] = MEASURES.map(({ read: _read, ...measure }) => measure);

export interface SweepRunInput {
  runId: number;
  repeat: number;
  seed: number | null;
  status: string;
  checksValid: boolean;
}

export interface SweepRunPoint extends SweepRunInput {
  /** Measure key → this run's value; measures the run did not have are left out. */
  measurements: Record<string, number>;
}

export interface SweepCombinationResult {
  values: Record<string, unknown>;
  runIds: number[];
  seeds: Array<number | null>;
  statuses: string[];
  /** How many of the runs passed all their checks. */
  checksValid: number;
  /** Measure key → median, min and max over the repeats that have it. */
  measurements: Record<string, Spread>;
  runs: SweepRunPoint[];
}

/** Measures every finished run of each combination (a run still going is listed, not measured). */
export function summarizeCombinations(db: Database.Database, combinations: Array<{ values: Record<string, unknown>; runs: SweepRunInput[] }>): SweepCombinationResult[] {
  const finished = combinations.flatMap((c) => c.runs.filter((r) => r.status !== 'running').map((r) => r.runId));
  const compared = new Map(compareRuns(db, finished).map((r) => [r.runId, r]));
  return combinations.map((c) => {
    const runs = [...c.runs].sort((a, b) => a.repeat - b.repeat);
    const points: SweepRunPoint[] = runs.map((run) => {
      const row = compared.get(run.runId);
      const measurements: Record<string, number> = {};
      if (row) {
        for (const m of MEASURES) {
          const value = m.read(row);
          if (typeof value === 'number' && Number.isFinite(value)) measurements[m.key] = value;
        }
      }
      return { ...run, measurements };
    });
    const measurements: Record<string, Spread> = {};
    for (const m of MEASURES) {
      const values = points.map((p) => p.measurements[m.key]).filter((v): v is number => v !== undefined);
      if (values.length) measurements[m.key] = spread(values);
    }
    return {
      values: c.values,
      runIds: runs.map((r) => r.runId),
      seeds: runs.map((r) => r.seed),
      statuses: runs.map((r) => r.status),
      checksValid: runs.filter((r) => r.checksValid).length,
      measurements,
      runs: points,
    };
  });
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Every combination of the axes' values, in the order the sweep planned them (the last axis varies fastest). */
export function axisCombinations(axes: ReadonlyArray<{ path: string; values: unknown[] }>): Array<Record<string, unknown>> {
  let out: Array<Record<string, unknown>> = [{}];
  for (const axis of axes) out = out.flatMap((partial) => axis.values.map((value) => ({ ...partial, [axis.path]: value })));
  return out;
}
