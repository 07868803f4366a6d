// Read-side questions about recorded runs, answered in SQL over the run_id indexes.

import type Database from 'better-sqlite3';
import { summarizeLatency, type LatencySummary } from '../analysis/quantiles.js';
import { runDifferences } from '../analysis/run-differences.js';
import { FATE_COUNTS, zeroCounts, type MessageCounts } from '../engine/message-counts.js';
import type { MessageFate, RunStatus } from './schema.js';
import { cachedStatement } from './statement-cache.js';

export interface ChecksSummary {
  total: number;
  passed: number;
  failed: number;
}

export interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  startedAtMs: number;
  endedAtMs: number | null;
  durationMs: number | null;
  seed: number | null;
  /** Counted from the summary's `checks` (check name → { valid }), when it has them. */
  checks: ChecksSummary | null;
  /** The summary's message counts, when the run has a summary. */
  messages: MessageCounts | null;
  /** What the run could not do as asked (overload, messages left queued). */
  warnings: string[];
  /** The run this one was started from (Run again, Run with changes), or null. */
  originRunId: number | null;
  /** A short label and a note the person gave the run (null when none). */
  label: string | null;
  note: string | null;
  /** What differs from the previous run of the same experiment ("loss.p 0.1 → 0.2"), or null; listRuns fills it in. */
  differs: string | null;
  /** Set when the run was simulated (mode: simulate): its times are virtual. */
  simulated?: true;
}

export interface RunDetail extends RunRow {
  experiment: unknown;
  summary: unknown;
  enginePid: number | null;
  engineStartTime: string | null;
}

export interface OperationStats {
  total: number;
  ok: number;
  fail: number;
  timeout: number;
  /** Invoke-to-complete time of the ok operations, in ms. */
  latencyMs: LatencySummary | null;
}

export interface NodeProcess {
  node: string;
  incarnation: number;
  pid: number | null;
  pidStartTime: string | null;
  command: string[];
  tStartUs: number;
  tExitUs: number | null;
  exitCode: number | null;
  signal: string | null;
}

interface RunTableRow {
  id: number;
  name: string;
  status: RunStatus;
  started_at_ms: number;
  ended_at_ms: number | null;
  duration_ms: number | null;
  seed: number | null;
  experiment_json: string;
  summary_json: string | null;
  engine_pid: number | null;
  engine_start_time: string | null;
  origin_run_id?: number | null;
  label?: string | null;
  note?: string | null;
}

export function listRuns(db: Database.Database): RunRow[] {
  const rows = db
    .prepare(
      `SELECT id, name, status, started_at_ms, ended_at_ms, duration_ms, seed, summary_json, origin_run_id, label, note, experiment_json
       FROM runs ORDER BY started_at_ms DESC, id DESC`,
    )
    .all() as RunTableRow[];
  const differs = runDifferences(rows.map((r) => ({ id: r.id, name: r.name, startedAtMs: r.started_at_ms, experiment: parsedOrNull(r.experiment_json) })));
  return rows.map((row) => ({ ...toRunRow(row), differs: differs.get(row.id) ?? null }));
}

/** A run id that names no run: the user's mistake, reported as such. */
export class RunNotFoundError extends Error {}

/** The run's row; throws `no run <id> in <file>` when there is none. */
export function getRun(db: Database.Database, runId: number): RunDetail {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunTableRow | undefined;
  if (!row) throw new RunNotFoundError(`no run ${runId} in ${db.name} (see distlab runs)`);
  return {
    ...toRunRow(row),
    experiment: JSON.parse(row.experiment_json),
    summary: row.summary_json === null ? null : JSON.parse(row.summary_json),
    enginePid: row.engine_pid,
    engineStartTime: row.engine_start_time,
  };
}

/**
 * The run's message counts read from its rows, by the definition the switch counts by
 * (core/engine/message-counts.ts). Fates this version does not know are listed apart.
 */
export function messageCounts(db: Database.Database, runId: number): MessageCounts & { unknownFates?: Record<string, number> } {
  const counts: MessageCounts & { unknownFates?: Record<string, number> } = zeroCounts();
  const rows = cachedStatement(db, 'SELECT fate, dup_of IS NOT NULL AS copy, COUNT(*) AS n FROM messages WHERE run_id = ? GROUP BY fate, copy').all(runId) as Array<{ fate: string; copy: number; n: number }>;
  for (const { fate, copy, n } of rows) {
    if (copy) counts.duplicated += n;
    else counts.sent += n;
    const key = FATE_COUNTS[fate as MessageFate];
    if (key) counts[key] += n;
    else (counts.unknownFates ??= {})[fate] = (counts.unknownFates[fate] ?? 0) + n;
  }
  return counts;
}

export function operationStats(db: Database.Database, runId: number): OperationStats {
  const counts = db
    .prepare(
      `SELECT COUNT(*) AS total,
         COUNT(*) FILTER (WHERE outcome = 'ok') AS ok,
         COUNT(*) FILTER (WHERE outcome = 'fail') AS fail,
         COUNT(*) FILTER (WHERE outcome = 'timeout') AS timeout
       FROM operations WHERE run_id = ?`,
    )
    .get(runId) as Omit<OperationStats, 'latencyMs'>;
  const latencies = db
    .prepare(
      `SELECT (t_complete_us - t_invoke_us) / 1000.0 FROM operations
       WHERE run_id = ? AND outcome = 'ok' AND t_complete_us IS NOT NULL`,
    )
    .pluck()
    .all(runId) as number[];
  return { ...counts, latencyMs: summarizeLatency(latencies) };
}

export function nodeProcesses(db: Database.Database, runId: number): NodeProcess[] {
  const rows = db
    .prepare(
      `SELECT node, incarnation, pid, pid_start_time, command_json, t_start_us, t_exit_us, exit_code, signal
       FROM nodes WHERE run_id = ? ORDER BY t_start_us, node, incarnation`,
    )
    .all(runId) as Array<{
    node: string;
    incarnation: number;
    pid: number | null;
    pid_start_time: string | null;
    command_json: string;
    t_start_us: number;
    t_exit_us: number | null;
    exit_code: number | null;
    signal: string | null;
  }>;
  return rows.map((row) => ({
    node: row.node,
    incarnation: row.incarnation,
    pid: row.pid,
    pidStartTime: row.pid_start_time,
    command: JSON.parse(row.command_json) as string[],
    tStartUs: row.t_start_us,
    tExitUs: row.t_exit_us,
    exitCode: row.exit_code,
    signal: row.signal,
  }));
}

function parsedOrNull(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

function toRunRow(row: RunTableRow): RunRow {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    startedAtMs: row.started_at_ms,
    endedAtMs: row.ended_at_ms,
    durationMs: row.duration_ms,
    seed: row.seed,
    checks: checksOf(row.summary_json),
    messages: messagesOf(row.summary_json),
    warnings: warningsOf(row.summary_json),
    originRunId: row.origin_run_id ?? null,
    label: row.label ?? null,
    note: row.note ?? null,
    differs: null,
    ...(simulatedExperiment(row.experiment_json) && { simulated: true as const }),
  };
}

function simulatedExperiment(experimentJson: string | undefined): boolean {
  // Cheap before exact: most runs are real, and their text never names the mode.
  return experimentJson !== undefined && experimentJson.includes('"mode":"simulate"') && (parsedOrNull(experimentJson) as { mode?: unknown } | null)?.mode === 'simulate';
}

/** The run's message counts as its summary recorded them (the same as its rows; see docs/record.md). */
function messagesOf(summaryJson: string | null): MessageCounts | null {
  if (summaryJson === null) return null;
  const messages = (JSON.parse(summaryJson) as { messages?: MessageCounts } | null)?.messages;
  return messages && typeof messages.sent === 'number' ? messages : null;
}

function warningsOf(summaryJson: string | null): string[] {
  if (summaryJson === null) return [];
  const warnings = (JSON.parse(summaryJson) as { warnings?: unknown } | null)?.warnings;
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [];
}

function checksOf(summaryJson: string | null): ChecksSummary | null {
  if (summaryJson === null) return null;
  const summary = JSON.parse(summaryJson) as { checks?: Record<string, { valid?: unknown }> } | null;
  if (!summary?.checks || typeof summary.checks !== 'object') return null;
  const results = Object.values(summary.checks);
  const passed = results.filter((result) => result?.valid === true).length;
  return { total: results.length, passed, failed: results.length - passed };
}
