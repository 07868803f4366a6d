// The headline table of a comparison, one row per measurement and one value per run, read
// straight from compareRuns (the numbers of `distlab compare --json`). The lab shows it, and
// its CSV and HTML reports are written from it, so all of them agree.
import type { ComparedRun } from './compare.js';

export type Better = 'lower' | 'higher' | null;

export interface CompareRow {
  /** Stable id, e.g. `latency.p99`; tests and exports address rows by it. */
  key: string;
  group: 'setup' | 'latency' | 'cost' | 'consistency' | 'sharding' | 'detection' | 'elections' | 'lag' | 'throttle' | 'checks';
  label: string;
  unit: string;
  /** Which way is better; null for rows that are not measurements (settings, status). */
  better: Better;
  /** One per run, in the order compared; null where a run has no such value ("—"). */
  values: Array<number | string | null>;
}

type Cell = number | string | null;

export function compareTable(runs: ComparedRun[]): CompareRow[] {
  const rows: CompareRow[] = [];
  const add = (key: string, group: CompareRow['group'], label: string, unit: string, better: Better, value: (r: ComparedRun) => Cell | undefined) => {
    const values = runs.map((r) => value(r) ?? null);
    // A measurement no run has is left out; setup rows always show.
    if (group !== 'setup' && values.every((v) => v === null)) return;
    rows.push({ key, group, label, unit, better, values });
  };

  for (const key of [...new Set(runs.flatMap((r) => Object.keys(r.label)))]) {
    add(`setup.${key}`, 'setup', key, '', null, (r) => text(r.label[key]));
  }
  add('status', 'setup', 'status', '', null, (r) => r.status);

  add('latency.p50', 'latency', 'latency p50', 'ms', 'lower', (r) => r.latencyMs?.p50);
  add('latency.p95', 'latency', 'latency p95', 'ms', 'lower', (r) => r.latencyMs?.p95);
  add('latency.p99', 'latency', 'latency p99', 'ms', 'lower', (r) => r.latencyMs?.p99);
  add('latency.max', 'latency', 'latency max', 'ms', 'lower', (r) => r.latencyMs?.max);
  add('ops.ok', 'latency', 'operations ok', '', 'higher', (r) => (r.ops && r.ops.total ? r.ops.ok : null));
  add('ops.failed', 'latency', 'operations failed or timed out', '', 'lower', (r) => (r.ops && r.ops.total ? r.ops.fail + r.ops.timeout : null));

  add('msgs.perOperation', 'cost', 'messages per operation', '', 'lower', (r) => r.measurements.messagesPerOperation);
  add('msgs.perNodePerSec', 'cost', 'messages per node per second', '/s', 'lower', (r) => r.measurements.messagesPerNodePerSec);

  const percent = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 1000) / 10);
  const c = (r: ComparedRun) => r.measurements.consistency;
  add('consistency.availability', 'consistency', 'operations answered', '%', 'higher', (r) => percent(c(r)?.availability));
  add('consistency.majority', 'consistency', 'answered on the majority side, while partitioned', '%', 'higher', (r) => percent(c(r)?.bySide?.majority));
  add('consistency.minority', 'consistency', 'answered on the minority side, while partitioned', '%', 'higher', (r) => percent(c(r)?.bySide?.minority));
  add('consistency.staleReads', 'consistency', 'stale reads', '', 'lower', (r) => c(r)?.staleReads);
  add('consistency.maxBehind', 'consistency', 'most acknowledged writes one read missed', '', 'lower', (r) => c(r)?.maxVersionsBehind);
  add('consistency.afterHeal.staleReads', 'consistency', 'stale reads after the heal', '', 'lower', (r) => c(r)?.afterHeal?.staleReads);
  add('consistency.afterHeal.convergedMs', 'consistency', 'stale reads ended, after the heal', 'ms', 'lower', (r) => c(r)?.afterHeal?.convergedMs);
  add('consistency.afterHeal.conflicts', 'consistency', 'keys written on both sides', '', 'lower', (r) => c(r)?.afterHeal?.conflicts);
  add('consistency.afterHeal.lostWrites', 'consistency', 'acknowledged writes lost at the heal', '', 'lower', (r) => c(r)?.afterHeal?.lostWrites);
  const q = (r: ComparedRun) => r.measurements.quorum;
  add('quorum.answeredMean', 'consistency', 'replicas answered per operation (quorum-kv)', '', null, (r) => q(r)?.answeredMean);
  add('quorum.conflictingReads', 'consistency', 'reads with conflicting siblings', '', 'lower', (r) => q(r)?.conflictingReads);
  add('quorum.hintedOperations', 'consistency', 'operations stored on stand-ins (hinted)', '', null, (r) => q(r)?.hintedOperations);

  const sh = (r: ComparedRun) => r.measurements.sharding;
  const moves = (r: ComparedRun) => sh(r)?.changes ?? [];
  add('sharding.maxOverMean', 'sharding', 'keys on the busiest node / mean', '×', 'lower', (r) => sh(r)?.maxOverMean);
  add('sharding.relativeStdDev', 'sharding', 'keys per node, std dev / mean', '%', 'lower', (r) => percent(sh(r)?.relativeStdDev));
  add('sharding.moved', 'sharding', 'keys moved by membership changes', '', 'lower', (r) => (moves(r).length ? moves(r).reduce((sum, c) => sum + c.moved, 0) : null));
  add('sharding.movedIdeal', 'sharding', 'ideal keys moved (K/N per change)', '', null, (r) => (moves(r).length ? Math.round(moves(r).reduce((sum, c) => sum + c.ideal, 0)) : null));
  add('sharding.movedShare', 'sharding', 'share of the keys moved, per change (mean)', '%', 'lower', (r) => percent(meanOf(moves(r).flatMap((c) => (c.movedShare === null ? [] : [c.movedShare])))));
  add('sharding.failedDuringHandover', 'sharding', 'operations failed during hand-over', '', 'lower', (r) => (moves(r).length ? sh(r)!.failedDuringHandover : null));

  add('detection.first.p50', 'detection', 'detection time, first detector, p50', 'ms', 'lower', (r) => r.measurements.detection?.detectionMs.first?.p50);
  add('detection.last.p50', 'detection', 'detection time, last detector, p50', 'ms', 'lower', (r) => r.measurements.detection?.detectionMs.last?.p50);
  add('detection.mistakes', 'detection', 'false suspicions', '', 'lower', (r) => r.measurements.detection?.mistakes.count);
  add('detection.mistakes.p50', 'detection', 'false suspicion length p50', 'ms', 'lower', (r) => r.measurements.detection?.mistakes.durationMs?.p50);

  add('elections.count', 'elections', 'elections', '', 'lower', (r) => r.measurements.elections?.elections);
  add('elections.splitVotes', 'elections', 'split votes', '', 'lower', (r) => r.measurements.elections?.splitVotes);
  add('elections.ms.p50', 'elections', 'time to elect p50', 'ms', 'lower', (r) => r.measurements.elections?.electionMs?.p50);
  add('elections.ms.max', 'elections', 'time to elect max', 'ms', 'lower', (r) => r.measurements.elections?.electionMs?.max);

  for (const unit of ['entries', 'ms'] as const) {
    for (const k of ['p50', 'p99', 'max'] as const) {
      add(`lag.${unit}.${k}`, 'lag', `replication lag ${k}, worst follower`, unit, 'lower', (r) => worstLag(r, unit, k));
    }
  }

  const t = (r: ComparedRun) => r.measurements.throttle;
  add('throttle.accepted', 'throttle', 'accepted per second', '/s', 'higher', (r) => t(r)?.acceptedPerSec);
  add('throttle.rejected', 'throttle', 'rejected per second', '/s', 'lower', (r) => t(r)?.rejectedPerSec);
  add('throttle.offered', 'throttle', 'attempts per second, retries included', '/s', 'lower', (r) => t(r)?.offeredPerSec);
  add('throttle.retries', 'throttle', 'retries', '', 'lower', (r) => t(r)?.retries);
  add('throttle.latency.p99', 'throttle', 'accepted latency p99', 'ms', 'lower', (r) => t(r)?.acceptedLatencyMs?.p99);
  add('throttle.maxQueue', 'throttle', 'longest queue', '', 'lower', (r) => t(r)?.maxQueue);
  add('throttle.fairness', 'throttle', "fairness between clients (Jain's index)", '', 'higher', (r) => t(r)?.fairness);
  add('throttle.overshoot', 'throttle', 'accepted over the limit while partitioned', '×', 'lower', (r) => t(r)?.overshoot);

  add('checks.passed', 'checks', 'checks passed', '', null, (r) => (Object.keys(r.checks).length ? `${Object.values(r.checks).filter((c) => c.valid).length}/${Object.keys(r.checks).length}` : null));
  for (const name of [...new Set(runs.flatMap((r) => Object.keys(r.checks)))].sort()) {
    add(`check.${name}`, 'checks', `check ${name}`, '', null, (r) => (r.checks[name] ? (r.checks[name].valid ? 'ok' : 'INVALID') : null));
  }
  return rows;
}

/** As `distlab compare` prints it: a p50 of p50s means nothing, so the worst follower's figure. */
function worstLag(r: ComparedRun, unit: 'entries' | 'ms', k: 'p50' | 'p99' | 'max'): number | null {
  const spreads = Object.values(r.measurements.replicationLag ?? {}).flatMap((f) => (f[unit] ? [f[unit]!] : []));
  return spreads.length ? Math.max(...spreads.map((s) => s[k])) : null;
}

const meanOf = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Index of the best value of a measurement row, or null (no such row, a tie of all, fewer than two values). */
export function bestIndex(row: CompareRow): number | null {
  if (!row.better) return null;
  const numbers = row.values.map((v) => (typeof v === 'number' ? v : null));
  const present = numbers.filter((v): v is number => v !== null);
  if (present.length < 2 || present.every((v) => v === present[0])) return null;
  const best = row.better === 'lower' ? Math.min(...present) : Math.max(...present);
  return numbers.indexOf(best);
}

/** Each value's difference from the first run's, in % (null where either is missing or the first is 0). */
export function diffFromFirst(row: CompareRow): Array<number | null> {
  const first = row.values[0];
  return row.values.map((v, i) => {
    if (i === 0 || typeof v !== 'number' || typeof first !== 'number') return null;
    if (first === 0) return v === 0 ? 0 : null;
    return Math.round(((v - first) / Math.abs(first)) * 1000) / 10;
  });
}
