// The lifecycle of a run's row: created as 'running', finished by its engine,
// or marked 'interrupted' later when its engine died without finishing it.

import type Database from 'better-sqlite3';
import type { RunStatus } from './schema.js';
import { getRun } from './queries.js';
import { cachedStatement } from './statement-cache.js';

export interface NewRun {
  name: string;
  experiment: unknown;
  seed: number;
  startedAtMs: number;
  enginePid: number;
  /** From processStartTime(enginePid): with the pid it identifies the engine process. */
  engineStartTime: string | null;
  /** The run this one was started from (Run again, Run with changes). */
  originRunId?: number | null;
}

export interface RunEnding {
  status: Exclude<RunStatus, 'running'>;
  endedAtMs: number;
  durationMs: number;
  summary: unknown;
}

export type EngineAliveCheck = (pid: number, startTime: string | null) => boolean;

export function createRun(db: Database.Database, run: NewRun): number {
  const result = cachedStatement(
    db,
    `INSERT INTO runs (name, experiment_json, seed, started_at_ms, status, engine_pid, engine_start_time, origin_run_id)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
  ).run(run.name, JSON.stringify(run.experiment), run.seed, run.startedAtMs, run.enginePid, run.engineStartTime, run.originRunId ?? null);
  return Number(result.lastInsertRowid);
}

export function finishRun(db: Database.Database, runId: number, ending: RunEnding): void {
  const result = cachedStatement(db, 'UPDATE runs SET status = ?, ended_at_ms = ?, duration_ms = ?, summary_json = ? WHERE id = ?').run(ending.status, ending.endedAtMs, ending.durationMs, JSON.stringify(ending.summary ?? null), runId);
  if (result.changes === 0) throw new Error(`no run ${runId} in ${db.name}`);
}

/**
 * Every run still 'running' whose engine process is gone becomes 'interrupted'.
 * Runs of a live engine (another process recording into the same file) are left alone.
 */
export function markInterruptedRuns(db: Database.Database, isAlive: EngineAliveCheck): number[] {
  const running = db
    .prepare("SELECT id, started_at_ms, engine_pid, engine_start_time FROM runs WHERE status = 'running'")
    .all() as Array<{ id: number; started_at_ms: number; engine_pid: number | null; engine_start_time: string | null }>;
  const orphaned = running.filter((run) => run.engine_pid === null || !isAlive(run.engine_pid, run.engine_start_time));
  if (orphaned.length === 0) return [];

  const lastRecordedUs = lastRecordedTimeQuery(db);
  const markInterrupted = db.prepare(
    "UPDATE runs SET status = 'interrupted', ended_at_ms = ? WHERE id = ? AND status = 'running'",
  );
  db.transaction(() => {
    for (const run of orphaned) {
      const lastUs = lastRecordedUs(run.id);
      const endedAtMs = lastUs === null ? null : run.started_at_ms + Math.round(lastUs / 1000);
      markInterrupted.run(endedAtMs, run.id);
    }
  })();
  return orphaned.map((run) => run.id);
}

/**
 * The latest time recorded for a run, from index lookups only (no scans): the send time of the
 * highest message id, and the latest start, exit or timestamp of every other table.
 */
function lastRecordedTimeQuery(db: Database.Database): (runId: number) => number | null {
  const statement = db.prepare(
    `SELECT MAX(
       COALESCE((SELECT t_send_us FROM messages WHERE run_id = $run ORDER BY id DESC LIMIT 1), -1),
       COALESCE((SELECT MAX(t_us) FROM faults WHERE run_id = $run), -1),
       COALESCE((SELECT MAX(t_us) FROM events WHERE run_id = $run), -1),
       COALESCE((SELECT MAX(t_us) FROM logs WHERE run_id = $run), -1),
       COALESCE((SELECT MAX(t_us) FROM metrics WHERE run_id = $run), -1),
       COALESCE((SELECT MAX(t_invoke_us) FROM operations WHERE run_id = $run), -1),
       COALESCE((SELECT MAX(MAX(t_start_us, COALESCE(t_exit_us, 0))) FROM nodes WHERE run_id = $run), -1)
     ) AS last_us`,
  );
  return (runId) => {
    const { last_us } = statement.get({ run: runId }) as { last_us: number };
    return last_us < 0 ? null : last_us;
  };
}

export const MAX_LABEL_LENGTH = 80;
export const MAX_NOTE_LENGTH = 2000;

/** Sets the run's label and note (null or blank clears one); throws RunNotFoundError for an unknown run. */
export function annotateRun(db: Database.Database, runId: number, label: string | null, note: string | null): void {
  const clean = (text: string | null) => (text === null || text.trim() === '' ? null : text.trim());
  const changed = db.prepare('UPDATE runs SET label = ?, note = ? WHERE id = ?').run(clean(label), clean(note), runId).changes;
  if (changed === 0) getRun(db, runId);
}
