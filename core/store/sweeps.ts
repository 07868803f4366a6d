// Sweeps in the record: one row per sweep, and which run is which combination and repeat.
import type Database from 'better-sqlite3';

export interface SweepRunRow {
  runId: number;
  combination: number;
  values: Record<string, unknown>;
  repeat: number;
}

export function createSweep(db: Database.Database, name: string, plan: unknown, startedAtMs: number): number {
  return Number(db.prepare("INSERT INTO sweeps (name, plan_json, started_at_ms, status) VALUES (?, ?, ?, 'running')").run(name, JSON.stringify(plan), startedAtMs).lastInsertRowid);
}

export function addSweepRun(db: Database.Database, sweepId: number, run: SweepRunRow): void {
  db.prepare('INSERT INTO sweep_runs (sweep_id, run_id, combination, values_json, repeat) VALUES (?, ?, ?, ?, ?)').run(sweepId, run.runId, run.combination, JSON.stringify(run.values), run.repeat);
}

export function finishSweep(db: Database.Database, sweepId: number, status: 'completed' | 'interrupted', endedAtMs: number): void {
  db.prepare('UPDATE sweeps SET status = ?, ended_at_ms = ? WHERE id = ?').run(status, endedAtMs, sweepId);
}

export function sweepRuns(db: Database.Database, sweepId: number): SweepRunRow[] {
  const rows = db.prepare('SELECT run_id, combination, values_json, repeat FROM sweep_runs WHERE sweep_id = ? ORDER BY combination, repeat').all(sweepId) as Array<{ run_id: number; combination: number; values_json: string; repeat: number }>;
  return rows.map((r) => ({ runId: r.run_id, combination: r.combination, values: JSON.parse(r.values_json), repeat: r.repeat }));
}
