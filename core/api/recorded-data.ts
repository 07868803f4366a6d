// A recorded run as RunData, answered with SQL aggregation over the run_id indexes, so that
// a run of a million messages opens in well under two seconds.
//
// The switch numbers messages in the order it receives them, at the moment it does, so
// within a run message id order is send-time order. Windows of messages are therefore
// found by binary search over the (run_id, id) index rather than by scanning send times.
import type Database from 'better-sqlite3';
import type { MetricsReader } from './metrics-reader.js';
import type { FaultPoint, LogPoint, MessagePoint, MetricPoint, NodeEventPoint, NodeState, OperationPoint, RunData, TrafficBucket } from './contract.js';
import { TRAFFIC_BUCKET_MS, senderLamport, senderVector } from './live-aggregator.js';
import { getRun, type RunRow } from '../store/queries.js';
import { parseRecordedJson } from '../analysis/load-recorded.js';
import { failureReason } from './failure-reason.js';

export const RECORDED_MESSAGES = 2000;
export const RECORDED_LOG_LINES = 2000;
export const MAX_METRIC_POINTS = 100_000;
/** Message ids per slice of the traffic query. */
const TRAFFIC_ID_SLICE = 4096;

/** The whole recorded run. */
export function recordedRunData(db: Database.Database, runId: number): RunData {
  return { ...withoutMetrics(db, getRun(db, runId)), metrics: recordedMetrics(db, runId) };
}

/**
 * The same, with the metrics read on another thread meanwhile (they take the longest): a
 * worker reading `dbPath`. Should the worker fail, they are read here.
 */
export async function recordedRunDataInParallel(db: Database.Database, dbPath: string, runId: number, reader: MetricsReader): Promise<RunData> {
  const run = getRun(db, runId); // An unknown run is an error before any work starts.
  const metrics = reader.read(dbPath, runId).catch(() => null);
  const rest = withoutMetrics(db, run);
  return { ...rest, metrics: (await metrics) ?? recordedMetrics(db, runId) };
}

function withoutMetrics(db: Database.Database, run: RunRow): Omit<RunData, 'metrics'> {
  const runId = run.id;
  const nodeEvents = events(db, runId);
  return {
    runId,
    untilMs: run.durationMs ?? lastRecordedMs(db, runId),
    traffic: traffic(db, runId),
    operations: operations(db, runId),
    events: nodeEvents,
    faults: faults(db, runId),
    messages: firstMessages(db, runId, RECORDED_MESSAGES),
    logs: lastLogs(db, runId, RECORDED_LOG_LINES),
    nodes: finalNodeStates(db, runId, nodeEvents, run.status === 'running'),
    blocked: [],
  };
}

/**
 * Messages per 100 ms of send time. The switch records a delivery time exactly for the
 * delivered fates (delivered, corrupted), and a dup_of exactly for the extra copies,
 * so counting non-null columns gives the three counts without comparing fate strings.
 * The run is read in slices of ids, each grouped on its own: small sorts instead of one of
 * the whole run.
 */
function traffic(db: Database.Database, runId: number): TrafficBucket[] {
  const ids = idRange(db, runId);
  if (!ids) return [];
  const bucketUs = TRAFFIC_BUCKET_MS * 1000;
  const slice = db
    .prepare(
      `SELECT (t_send_us / ${bucketUs}) * ${TRAFFIC_BUCKET_MS}, COUNT(*) - COUNT(dup_of), COUNT(t_deliver_us), COUNT(*) - COUNT(t_deliver_us)
       FROM messages WHERE run_id = ? AND id >= ? AND id < ? GROUP BY 1`,
    )
    .raw();
  const buckets = new Map<number, TrafficBucket>();
  for (let from = ids.first; from <= ids.last; from += TRAFFIC_ID_SLICE) {
    for (const [ms, sent, delivered, lost] of slice.all(runId, from, from + TRAFFIC_ID_SLICE) as TrafficBucket[]) {
      const bucket = buckets.get(ms);
      if (!bucket) buckets.set(ms, [ms, sent, delivered, lost]);
      else {
        bucket[1] += sent;
        bucket[2] += delivered;
        bucket[3] += lost;
      }
    }
  }
  return [...buckets.values()].sort((a, b) => a[0] - b[0]);
}

/** The run's first and last message id, each from the index. */
function idRange(db: Database.Database, runId: number): { first: number; last: number } | null {
  // Two queries: SQLite answers a lone MIN or MAX from the index, but not both at once.
  const first = db.prepare('SELECT id FROM messages WHERE run_id = ? ORDER BY id LIMIT 1').pluck().get(runId) as number | undefined;
  if (first === undefined) return null;
  const last = db.prepare('SELECT id FROM messages WHERE run_id = ? ORDER BY id DESC LIMIT 1').pluck().get(runId) as number;
  return { first, last };
}

function operations(db: Database.Database, runId: number): OperationPoint[] {
  const rows = db
    .prepare("SELECT t_invoke_us, t_complete_us, outcome, node, CASE WHEN outcome = 'fail' THEN detail_json END FROM operations WHERE run_id = ? ORDER BY t_invoke_us")
    .raw()
    .all(runId) as Array<[number, number | null, OperationPoint[2], string, string | null]>;
  return rows.map(([invoke, complete, outcome, node, detail]) => {
    const latency = outcome === 'timeout' || complete === null ? null : (complete - invoke) / 1000;
    return outcome === 'fail' ? [invoke / 1000, latency, outcome, node, failureReason(parseRecordedJson(detail))] : [invoke / 1000, latency, outcome, node];
  });
}

function events(db: Database.Database, runId: number): NodeEventPoint[] {
  // Receive events are one per delivered message; the space-time diagram reads messages instead.
  const rows = db
    .prepare("SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND kind <> 'recv' ORDER BY t_us, rowid")
    .raw()
    .all(runId) as Array<[number, string, string, string | null]>;
  return rows.map(([t, node, kind, detail]) => [t / 1000, node, kind, detail === null ? null : JSON.parse(detail)]);
}

/**
 * Every metric sample when there are at most MAX_METRIC_POINTS; otherwise each series keeps
 * the highest sample per time slice (peaks of φ and of lag are what the charts must show).
 */
export function recordedMetrics(db: Database.Database, runId: number): MetricPoint[] {
  const stats = db
    .prepare('SELECT COUNT(*) AS n, MIN(t_us) AS first, MAX(t_us) AS last FROM metrics WHERE run_id = ?')
    .get(runId) as { n: number; first: number | null; last: number | null };
  const toPoints = (rows: Array<[number, string, string, number]>): MetricPoint[] => rows.map(([t, node, name, value]) => [t / 1000, node, name, value]);
  if (stats.n <= MAX_METRIC_POINTS) {
    return toPoints(db.prepare('SELECT t_us, node, name, value FROM metrics WHERE run_id = ? ORDER BY t_us').raw().all(runId) as Array<[number, string, string, number]>);
  }
  const series = db.prepare('SELECT COUNT(*) FROM (SELECT DISTINCT node, name FROM metrics WHERE run_id = ?)').pluck().get(runId) as number;
  // A series spanning `span` µs in slices of `slice` µs touches at most span / slice + 2 of them.
  const budget = Math.max(1, MAX_METRIC_POINTS - 2 * series);
  const span = stats.last! - stats.first! + 1;
  const slice = Math.max(1, Math.ceil((span * series) / budget));
  // SQLite returns the other columns of a MAX() aggregate from the row holding the maximum.
  // The slice is written into the SQL: a bound number arrives as REAL, and t_us / 1201.0 would
  // not group anything.
  const rows = db
    .prepare(
      `SELECT t_us, node, name, MAX(value) FROM metrics WHERE run_id = ?
       GROUP BY node, name, t_us / ${slice} ORDER BY t_us LIMIT ${MAX_METRIC_POINTS}`,
    )
    .raw()
    .all(runId) as Array<[number, string, string, number]>;
  return toPoints(rows);
}

function faults(db: Database.Database, runId: number): FaultPoint[] {
  const rows = db
    .prepare('SELECT t_us, kind, detail_json, source FROM faults WHERE run_id = ? ORDER BY t_us, rowid')
    .raw()
    .all(runId) as Array<[number, string, string | null, FaultPoint[3]]>;
  return rows.map(([t, kind, detail, source]) => [t / 1000, kind, detail === null ? null : JSON.parse(detail), source]);
}

type MessageRow = [number, string, string, string, number, number | null, string, string, number | null];

const MESSAGE_COLUMNS = 'id, src, dest, type, t_send_us, t_deliver_us, fate, body, dup_of';

function toMessagePoint([id, src, dest, type, send, deliver, fate, body, dupOf]: MessageRow): MessagePoint {
  return [id, src, dest, type, send / 1000, deliver === null ? null : deliver / 1000, fate, senderLamport(body), dupOf, senderVector(body)];
}

function firstMessages(db: Database.Database, runId: number, limit: number): MessagePoint[] {
  const rows = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE run_id = ? ORDER BY id LIMIT ?`).raw().all(runId, limit) as MessageRow[];
  return rows.map(toMessagePoint);
}

/**
 * The messages sent in [fromMs, toMs], in send order. When there are more than `limit`,
 * an evenly spaced sample of them, so that a zoomed-out window still spans its whole width.
 */
export function messagesInWindow(db: Database.Database, runId: number, fromMs: number, toMs: number, limit: number): MessagePoint[] {
  getRun(db, runId);
  const first = firstIdSentAtOrAfter(db, runId, fromMs * 1000);
  const end = firstIdSentAtOrAfter(db, runId, Math.floor(toMs * 1000) + 1);
  if (first === null || (end !== null && end <= first)) return [];
  const endId = end ?? Number.MAX_SAFE_INTEGER;
  const count = db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ? AND id >= ? AND id < ?').pluck().get(runId, first, endId) as number;
  const stride = Math.max(1, Math.ceil(count / limit));
  const rows = db
    .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE run_id = ? AND id >= ? AND id < ? AND (id - ?) % ? = 0 ORDER BY id LIMIT ?`)
    .raw()
    .all(runId, first, endId, first, stride, limit) as MessageRow[];
  return rows.map(toMessagePoint);
}

/** Binary search over message ids: the smallest id sent at or after tUs, or null. */
export function firstIdSentAtOrAfter(db: Database.Database, runId: number, tUs: number): number | null {
  const atOrAfter = db.prepare('SELECT id, t_send_us FROM messages WHERE run_id = ? AND id >= ? ORDER BY id LIMIT 1').raw();
  const ids = idRange(db, runId);
  if (!ids) return null;
  const last = ids.last;
  let lo = ids.first;
  let hi = last + 1; // the answer lies in [lo, hi]; hi means "none"
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = atOrAfter.get(runId, mid) as [number, number] | undefined;
    if (row && row[1] >= tUs) hi = Math.min(mid, row[0]);
    else lo = row ? row[0] + 1 : hi;
  }
  return lo > last ? null : (atOrAfter.get(runId, lo) as [number, number])[0];
}

function lastLogs(db: Database.Database, runId: number, limit: number): LogPoint[] {
  const rows = db
    .prepare('SELECT t_us, node, stream, line FROM logs WHERE run_id = ? ORDER BY t_us DESC, rowid DESC LIMIT ?')
    .raw()
    .all(runId, limit) as Array<[number, string, string, string]>;
  return rows.reverse().map(([t, node, stream, line]) => [t / 1000, node, stream, line]);
}

const LIFECYCLE_STATES: Record<string, NodeState> = { start: 'starting', up: 'up', exit: 'exited', crash: 'failed', 'spawn-failed': 'failed' };

/** Each node's state after its last lifecycle event; once the run is over, nothing is still up. */
function finalNodeStates(db: Database.Database, runId: number, nodeEvents: NodeEventPoint[], running: boolean): Record<string, NodeState> {
  const states: Record<string, NodeState> = {};
  for (const node of db.prepare('SELECT DISTINCT node FROM nodes WHERE run_id = ? ORDER BY node').pluck().all(runId) as string[]) states[node] = running ? 'starting' : 'exited';
  // The events in time order (ties in the order recorded), read once for the events list too.
  for (const [, node, kind] of nodeEvents) if (Object.hasOwn(LIFECYCLE_STATES, kind)) states[node] = LIFECYCLE_STATES[kind];
  if (!running) for (const node of Object.keys(states)) if (states[node] !== 'failed') states[node] = 'exited';
  return sortByNodeNumber(states);
}

/** n2 before n10. */
function sortByNodeNumber(states: Record<string, NodeState>): Record<string, NodeState> {
  const collator = new Intl.Collator('en', { numeric: true });
  return Object.fromEntries(Object.entries(states).sort(([a], [b]) => collator.compare(a, b)));
}

function lastRecordedMs(db: Database.Database, runId: number): number {
  const lastUs = db
    .prepare(
      `SELECT MAX(
         COALESCE((SELECT t_send_us FROM messages WHERE run_id = $run ORDER BY id DESC LIMIT 1), 0),
         COALESCE((SELECT MAX(t_us) FROM events WHERE run_id = $run), 0),
         COALESCE((SELECT MAX(t_us) FROM metrics WHERE run_id = $run), 0),
         COALESCE((SELECT MAX(t_invoke_us) FROM operations WHERE run_id = $run), 0))`,
    )
    .pluck()
    .get({ run: runId }) as number;
  return lastUs / 1000;
}
