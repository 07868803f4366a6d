// The recorded sweeps, for the lab's sweep view: the list, and one sweep with every
// combination's runs and measurements (the same numbers as `distlab sweep --json`).
import type Database from 'better-sqlite3';
import { ApiError } from './errors.js';
import { axisCombinations, summarizeCombinations, SWEEP_MEASURES, type SweepCombinationResult, type SweepMeasure, type SweepRunInput } from '../analysis/sweep-summary.js';
import { sweepRuns } from '../store/sweeps.js';
import type { SweepAxis } from '../experiment/sweep.js';

export interface SweepRow {
  id: number;
  name: string;
  status: 'running' | 'completed' | 'interrupted';
  startedAtMs: number;
  endedAtMs: number | null;
  axes: SweepAxis[];
  repeat: number;
  seed: number | null;
  /** Runs recorded so far, and how many the plan has (combinations × repeat). */
  runs: number;
  plannedRuns: number;
}

export interface SweepDetail extends SweepRow {
  /** The measurements at least one run has, in the order of the chooser. */
  measures: SweepMeasure[];
  combinations: SweepCombinationResult[];
}

interface SweepTableRow {
  id: number;
  name: string;
  plan_json: string;
  started_at_ms: number;
  ended_at_ms: number | null;
  status: SweepRow['status'];
  runs: number;
}

const SELECT = `SELECT s.id, s.name, s.plan_json, s.started_at_ms, s.ended_at_ms, s.status,
  (SELECT count(*) FROM sweep_runs r WHERE r.sweep_id = s.id) AS runs FROM sweeps s`;

/** Newest first. */
export function listSweeps(db: Database.Database): SweepRow[] {
  return (db.prepare(`${SELECT} ORDER BY s.started_at_ms DESC, s.id DESC`).all() as SweepTableRow[]).map(toSweepRow);
}

export function getSweep(db: Database.Database, sweepId: number): SweepDetail {
  const row = db.prepare(`${SELECT} WHERE s.id = ?`).get(sweepId) as SweepTableRow | undefined;
  if (!row) throw ApiError.input(`no sweep ${sweepId} in ${db.name} (see sweeps.list)`, [{ path: 'sweepId', message: `no sweep ${sweepId}` }]);
  const sweep = toSweepRow(row);
  const recorded = sweepRuns(db, sweepId);
  const runInfo = db.prepare('SELECT status, seed, summary_json FROM runs WHERE id = ?');
  const byCombination = new Map<number, SweepRunInput[]>();
  for (const r of recorded) {
    const info = runInfo.get(r.runId) as { status: string; seed: number | null; summary_json: string | null } | undefined;
    if (!info) continue; // a run deleted from the record since
    const checks = info.summary_json ? (JSON.parse(info.summary_json).checks as Record<string, { valid: boolean }> | undefined) : undefined;
    const list = byCombination.get(r.combination) ?? [];
    list.push({ runId: r.runId, repeat: r.repeat, seed: info.seed, status: info.status, checksValid: Object.values(checks ?? {}).every((c) => c.valid) });
    byCombination.set(r.combination, list);
  }
  const valuesOf = new Map(recorded.map((r) => [r.combination, r.values]));
  const planned = axisCombinations(sweep.axes);
  const count = Math.max(planned.length, ...[...byCombination.keys()].map((k) => k + 1));
  const combinations = summarizeCombinations(
    db,
    Array.from({ length: count }, (_, i) => ({ values: valuesOf.get(i) ?? planned[i] ?? {}, runs: byCombination.get(i) ?? [] })),
  );
  const measures = SWEEP_MEASURES.filter((m) => combinations.some((c) => c.measurements[m.key]));
  return { ...sweep, measures, combinations };
}

function toSweepRow(row: SweepTableRow): SweepRow {
  const plan = JSON.parse(row.plan_json) as { axes?: SweepAxis[]; repeat?: number; seed?: number };
  const axes = plan.axes ?? [];
  const repeat = plan.repeat ?? 1;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    startedAtMs: row.started_at_ms,
    endedAtMs: row.ended_at_ms,
    axes,
    repeat,
    seed: plan.seed ?? null,
    runs: row.runs,
    plannedRuns: axes.reduce((n, a) => n * a.values.length, 1) * repeat,
  };
}
