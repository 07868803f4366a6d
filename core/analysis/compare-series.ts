// The time series a comparison overlays, one set per run, compact enough to send four of at
// once: latency percentiles per 500 ms and as a CDF, throughput, each monitored pair's
// suspicion level (peaks kept), the worst follower's replication lag, leader and term, and
// the share of operations that succeed on each side of a partition.
// Also when each kind of fault or event first happened, to align the runs on it.
import type Database from 'better-sqlite3';
import { quantile } from './quantiles.js';
import { loadFaults, loadMetrics, parseRecordedJson } from './load-recorded.js';
import type { RecordedEvent } from './recorded.js';
import { measureReplicationLag } from './replication-lag.js';
import { downPeriods, isDown } from './down-periods.js';
import { availabilitySeries, type SideSeries } from './partition-sides.js';
import { loadHistory } from '../checks/history.js';

/** [run ms, value]. */
export type Point = [number, number];

export interface RunSeries {
  runId: number;
  durationMs: number;
  /** Run ms of the first fault or event of each kind that can align runs (kill, partition, suspect, election, …). */
  firsts: Record<string, number>;
  latency: { p50: Point[]; p99: Point[]; cdf: Point[]; count: number } | null;
  /** Per second, over 500 ms steps: ok operations (by completion) and messages sent (with the network's copies). */
  throughput: { ops: Point[]; messages: Point[] };
  /** `observer>peer` → suspicion level, the highest sample of each time slice. */
  suspicion: Record<string, Point[]>;
  /** The worst follower at each 100 ms tick: entries behind, and ms behind. */
  lag: { entries: Point[]; ms: Point[] } | null;
  /** The highest term known from each change on, and each new leader with its term. */
  leadership: { terms: Point[]; leaders: Array<[number, string, number]> } | null;
  /** Runs with client operations and a partition: the share that succeeded per second, on each side. */
  sides: SideSeries | null;
}

export const LATENCY_BUCKET_MS = 500;
export const THROUGHPUT_STEP_MS = 500;
const CDF_POINTS = 200;
const SUSPICION_POINTS_PER_PAIR = 400;
const ALIGN_FAULTS = ['kill', 'stop', 'pause', 'restart', 'resume', 'partition', 'cut', 'heal', 'change-link'];
const ALIGN_EVENTS = ['crash', 'suspect', 'election'];

/** `traffic`: [ms, sent, …] per 100 ms of send time. */
export function runSeries(db: Database.Database, runId: number, durationMs: number, traffic: ReadonlyArray<readonly [number, number, ...number[]]>, nodeCount: number): RunSeries {
  const endUs = durationMs * 1000;
  const faults = loadFaults(db, runId);
  const firsts: Record<string, number> = {};
  for (const f of faults) {
    const kind = f.kind === 'partition-pattern' ? 'partition' : f.kind;
    if (ALIGN_FAULTS.includes(kind) && firsts[kind] === undefined) firsts[kind] = f.tUs / 1000;
  }
  for (const kind of ALIGN_EVENTS) {
    const t = db.prepare("SELECT MIN(t_us) FROM events WHERE run_id = ? AND kind = ? AND kind <> 'recv'").pluck().get(runId, kind) as number | null;
    if (t !== null) firsts[kind] = t / 1000;
  }
  const electionEvents = fewEvents(db, runId, ['role', 'leader', 'term', 'election']);
  const leadership = leadershipSteps(electionEvents);
  const firstLeaderChange = leadership?.leaders[1];
  if (firstLeaderChange) firsts['leader-change'] = firstLeaderChange[0];

  const lifecycle = fewEvents(db, runId, ['up', 'crash']);
  const down = downPeriods(faults, lifecycle, endUs);
  const lag = measureReplicationLag(loadMetrics(db, runId, ['last_index', 'applied_index']), endUs, (node, tUs) => isDown(down, node, tUs));

  return {
    runId,
    durationMs,
    firsts,
    latency: latencySeries(db, runId),
    throughput: { ops: opsPerSecond(db, runId), messages: messagesPerSecond(traffic) },
    suspicion: suspicionSeries(db, runId, durationMs),
    lag: lag ? worstFollower(Object.values(lag.followers).map((f) => f.series)) : null,
    leadership,
    sides: sideSeries(db, runId, faults, nodeCount),
  };
}

/** Runs with a partition or key-value writes: a run without a partition is all 'whole' cluster, for comparing with one that has. */
function sideSeries(db: Database.Database, runId: number, faults: ReturnType<typeof loadFaults>, nodeCount: number): SideSeries | null {
  const partitioned = faults.some((f) => f.kind === 'partition' || f.kind === 'partition-pattern');
  if (!partitioned && !db.prepare("SELECT 1 FROM operations WHERE run_id = ? AND op IN ('write', 'cas') LIMIT 1").get(runId)) return null;
  const history = loadHistory(db, runId);
  return history.length ? availabilitySeries(history, faults, nodeCount) : null;
}

/**
 * Events of kinds other than receives, in time order. `kind <> 'recv'` lets SQLite use the
 * partial index that leaves out the receives, one per delivered message: no scan of those.
 */
function fewEvents(db: Database.Database, runId: number, kinds: readonly string[]): RecordedEvent[] {
  const rows = db
    .prepare(`SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND kind <> 'recv' AND kind IN (${kinds.map(() => '?').join(',')}) ORDER BY t_us`)
    .raw()
    .all(runId, ...kinds) as Array<[number, string, string, string | null]>;
  return rows.map(([tUs, node, kind, detail]) => ({ tUs, node, kind, data: parseRecordedJson(detail) }));
}

function latencySeries(db: Database.Database, runId: number): RunSeries['latency'] {
  const rows = db
    .prepare("SELECT t_invoke_us, t_complete_us - t_invoke_us FROM operations WHERE run_id = ? AND outcome = 'ok' AND t_complete_us IS NOT NULL ORDER BY t_invoke_us")
    .raw()
    .all(runId) as Array<[number, number]>;
  if (rows.length === 0) return null;
  const p50: Point[] = [];
  const p99: Point[] = [];
  let i = 0;
  while (i < rows.length) {
    const bucket = Math.floor(rows[i][0] / 1000 / LATENCY_BUCKET_MS);
    const latencies: number[] = [];
    for (; i < rows.length && Math.floor(rows[i][0] / 1000 / LATENCY_BUCKET_MS) === bucket; i++) latencies.push(rows[i][1] / 1000);
    latencies.sort((a, b) => a - b);
    const mid = (bucket + 0.5) * LATENCY_BUCKET_MS;
    p50.push([mid, quantile(latencies, 0.5)]);
    p99.push([mid, quantile(latencies, 0.99)]);
  }
  const all = Float64Array.from(rows, (r) => r[1] / 1000).sort();
  const cdf: Point[] = [];
  for (let k = 0; k <= CDF_POINTS; k++) {
    const q = k / CDF_POINTS;
    cdf.push([q === 0 ? all[0] : quantile(all, q), q]);
  }
  return { p50, p99, cdf, count: rows.length };
}

function opsPerSecond(db: Database.Database, runId: number): Point[] {
  const stepUs = THROUGHPUT_STEP_MS * 1000;
  const rows = db
    .prepare(`SELECT t_complete_us / ${stepUs}, COUNT(*) FROM operations WHERE run_id = ? AND outcome = 'ok' AND t_complete_us IS NOT NULL GROUP BY 1 ORDER BY 1`)
    .raw()
    .all(runId) as Array<[number, number]>;
  return fillSteps(rows.map(([step, n]) => [step, n]));
}

function messagesPerSecond(traffic: ReadonlyArray<readonly [number, number, ...number[]]>): Point[] {
  const steps = new Map<number, number>();
  for (const b of traffic) {
    const step = Math.floor(b[0] / THROUGHPUT_STEP_MS);
    steps.set(step, (steps.get(step) ?? 0) + b[1]);
  }
  return fillSteps([...steps].sort((a, b) => a[0] - b[0]));
}

/** [step, count] to [step end ms, count per second], idle steps between as zero. */
function fillSteps(counts: Array<[number, number]>): Point[] {
  if (counts.length === 0) return [];
  const out: Point[] = [];
  const byStep = new Map(counts);
  const last = counts[counts.length - 1][0];
  for (let step = 0; step <= last; step++) out.push([(step + 1) * THROUGHPUT_STEP_MS, ((byStep.get(step) ?? 0) * 1000) / THROUGHPUT_STEP_MS]);
  return out;
}

function suspicionSeries(db: Database.Database, runId: number, durationMs: number): Record<string, Point[]> {
  // The slice is written into the SQL: a bound number would arrive as REAL and group nothing.
  const sliceUs = Math.max(1, Math.ceil((durationMs * 1000) / SUSPICION_POINTS_PER_PAIR));
  const rows = db
    .prepare(
      `SELECT node, name, t_us, MAX(value) FROM metrics WHERE run_id = ? AND name >= 'suspicion.' AND name < 'suspicion/'
       GROUP BY node, name, t_us / ${sliceUs} ORDER BY node, name, t_us`,
    )
    .raw()
    .all(runId) as Array<[string, string, number, number]>;
  const pairs: Record<string, Point[]> = {};
  for (const [node, name, tUs, value] of rows) (pairs[`${node}>${name.slice('suspicion.'.length)}`] ??= []).push([tUs / 1000, value]);
  return pairs;
}

/** At each tick, the follower furthest behind. */
function worstFollower(series: Array<Array<[number, number, number]>>): { entries: Point[]; ms: Point[] } | null {
  const byTick = new Map<number, [number, number]>();
  for (const s of series) {
    for (const [ms, entries, behindMs] of s) {
      const worst = byTick.get(ms);
      if (!worst) byTick.set(ms, [entries, behindMs]);
      else byTick.set(ms, [Math.max(worst[0], entries), Math.max(worst[1], behindMs)]);
    }
  }
  if (byTick.size === 0) return null;
  const ticks = [...byTick].sort((a, b) => a[0] - b[0]);
  return { entries: ticks.map(([ms, v]) => [ms, v[0]]), ms: ticks.map(([ms, v]) => [ms, v[1]]) };
}

/** Terms and leaders from `role {role, term}`, `leader {leader, term}`, `term {term}` and `election {term}`. */
function leadershipSteps(events: RecordedEvent[]): RunSeries['leadership'] {
  if (events.length === 0) return null;
  const terms: Point[] = [];
  const leaders: Array<[number, string, number]> = [];
  let term = -Infinity;
  let leader: string | null = null;
  for (const e of events) {
    const data = (typeof e.data === 'string' ? parseRecordedJson(e.data) : e.data) ?? {};
    const t = typeof data.term === 'number' ? data.term : null;
    const ms = e.tUs / 1000;
    if (t !== null && t > term) {
      term = t;
      terms.push([ms, t]);
    }
    const newLeader = e.kind === 'role' && data.role === 'leader' ? e.node : e.kind === 'leader' && typeof data.leader === 'string' ? data.leader : null;
    if (newLeader && (newLeader !== leader || (t !== null && leaders.length && leaders[leaders.length - 1][2] !== t))) {
      leader = newLeader;
      leaders.push([ms, newLeader, t ?? (Number.isFinite(term) ? term : 0)]);
    }
  }
  if (terms.length === 0 && leaders.length === 0) return null;
  return { terms, leaders };
}
