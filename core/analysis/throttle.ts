// What a rate limiter did to its clients: accepted, rejected and offered (retries included)
// per second, the latency of the accepted requests, the longest queue, how fairly the
// clients were served (Jain's index), and, under a partition, how far the accepted rate
// overshot the configured global limit.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import { parseRecordedJson } from './load-recorded.js';
import { summarizeLatency, type LatencySummary } from './quantiles.js';
import { foldNetwork, type FaultStep } from './state-fold.js';

export const THROTTLE_WINDOW_MS = 1000;
/** The limiter's rejection: Maelstrom's temporarily-unavailable. */
const REJECTED_CODE = 11;

export interface ThrottleOp {
  client: string;
  invokeUs: number;
  completeUs: number | null;
  outcome: 'ok' | 'fail' | 'timeout';
  /** The error code of a failed one. */
  code: number | null;
  /** 0 for a first try, k for the k-th retry. */
  attempt: number;
}

export interface ThrottleMeasurements {
  /** The cluster's global limit in requests/s (the nodes' throttle.limit summed); null for per-client limits or none reported. */
  limitPerSec: number | null;
  acceptedPerSec: number;
  rejectedPerSec: number;
  /** Every attempt the clients sent, retries included. */
  offeredPerSec: number;
  retries: number;
  /** The most requests accepted in one 1-second window of the run. */
  peakAcceptedPerSec: number;
  acceptedLatencyMs: LatencySummary | null;
  /** The longest leaky-bucket queue any node reported. */
  maxQueue: number | null;
  /** Jain's index of the clients' accepted counts: 1 when equal, 1/n when one client got all. Null for fewer than two clients. */
  fairness: number | null;
  /** While partitioned: the most accepted in a 1 s window over the limit (1 = at the limit). Absent without a partition or a global limit. */
  overshoot?: number | null;
}

export function measureThrottle(db: Database.Database, runId: number, faults: readonly FaultStep[], durationMs: number): ThrottleMeasurements | null {
  const rows = cachedStatement(db, "select client, t_invoke_us, t_complete_us, outcome, detail_json from operations where run_id = ? and op = 'request' order by t_invoke_us")
    .all(runId) as Array<{ client: string; t_invoke_us: number; t_complete_us: number | null; outcome: ThrottleOp['outcome']; detail_json: string | null }>;
  if (rows.length === 0) return null;
  const ops = rows.map((r): ThrottleOp => {
    const detail = (parseRecordedJson(r.detail_json) ?? {}) as Record<string, unknown>;
    return { client: r.client, invokeUs: r.t_invoke_us, completeUs: r.t_complete_us, outcome: r.outcome, code: typeof detail.code === 'number' ? detail.code : null, attempt: Number(detail.attempt ?? 0) };
  });
  const limits = cachedStatement(db, "select node, max(value) as value from metrics where run_id = ? and name = 'throttle.limit' group by node").all(runId) as Array<{ value: number }>;
  const limit = limits.length ? limits.reduce((sum, l) => sum + l.value, 0) : null;
  const maxQueue = cachedStatement(db, "select max(value) from metrics where run_id = ? and name = 'throttle.queue'").pluck().get(runId) as number | null;
  return throttleMeasurements(ops, faults, durationMs, limit, maxQueue);
}

export const isAccepted = (op: ThrottleOp) => op.outcome === 'ok';
export const isRejected = (op: ThrottleOp) => op.outcome === 'fail' && op.code === REJECTED_CODE;

export function throttleMeasurements(ops: readonly ThrottleOp[], faults: readonly FaultStep[], durationMs: number, limit: number | null, maxQueue: number | null): ThrottleMeasurements {
  const seconds = Math.max(durationMs / 1000, 1e-3);
  const accepted = ops.filter(isAccepted);
  const windows = acceptedPerWindow(accepted, durationMs);
  const out: ThrottleMeasurements = {
    limitPerSec: limit,
    acceptedPerSec: round(accepted.length / seconds),
    rejectedPerSec: round(ops.filter(isRejected).length / seconds),
    offeredPerSec: round(ops.length / seconds),
    retries: ops.filter((op) => op.attempt > 0).length,
    peakAcceptedPerSec: Math.max(0, ...windows),
    acceptedLatencyMs: summarizeLatency(accepted.filter((op) => op.completeUs !== null).map((op) => (op.completeUs! - op.invokeUs) / 1000)),
    maxQueue,
    fairness: jainIndex(acceptedByClient(ops)),
  };
  const parted = partitionedWindows(faults, windows.length);
  if (parted.length && limit) out.overshoot = round(Math.max(...parted.map((w) => windows[w])) / limit);
  return out;
}

/** Accepted requests in each whole 1-second window from the run's start, by the time they arrived. */
export function acceptedPerWindow(accepted: readonly ThrottleOp[], durationMs: number): number[] {
  const windows = new Array<number>(Math.max(1, Math.floor(durationMs / THROTTLE_WINDOW_MS))).fill(0);
  for (const op of accepted) {
    const w = Math.floor(op.invokeUs / 1000 / THROTTLE_WINDOW_MS);
    if (w >= 0 && w < windows.length) windows[w]++;
  }
  return windows;
}

/** The windows a partition was in force for from start to end. */
function partitionedWindows(faults: readonly FaultStep[], count: number): number[] {
  const parted = (us: number) => {
    const network = foldNetwork(faults, us);
    return network.partitions.length > 0 || (network.blocked?.length ?? 0) > 0;
  };
  const out: number[] = [];
  for (let w = 0; w < count; w++) if (parted(w * THROTTLE_WINDOW_MS * 1000) && parted((w + 1) * THROTTLE_WINDOW_MS * 1000 - 1)) out.push(w);
  return out;
}

/** Every client that sent a request, with the requests it got accepted. */
function acceptedByClient(ops: readonly ThrottleOp[]): number[] {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op.client, (counts.get(op.client) ?? 0) + (isAccepted(op) ? 1 : 0));
  return [...counts.values()];
}

/** Jain's fairness index (Σx)² / (n·Σx²). */
export function jainIndex(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const sum = xs.reduce((a, b) => a + b, 0);
  const squares = xs.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? null : round((sum * sum) / (xs.length * squares), 3);
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
