// Client operations read back by id: a check names the operations that prove its finding,
// and whoever shows the finding needs their times.
import type Database from 'better-sqlite3';

export interface OperationRecord {
  id: number;
  client: string;
  node: string;
  op: string;
  outcome: string;
  tInvokeMs: number;
  /** Null when no answer came. */
  tCompleteMs: number | null;
}

export function operationsById(db: Database.Database, runId: number, ids: readonly number[]): OperationRecord[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`select rowid as id, client, node, op, outcome, t_invoke_us, t_complete_us from operations where run_id = ? and rowid in (${ids.map(() => '?').join(',')}) order by t_invoke_us`)
    .all(runId, ...ids) as Array<{ id: number; client: string; node: string; op: string; outcome: string; t_invoke_us: number; t_complete_us: number | null }>;
  return rows.map((r) => ({ id: r.id, client: r.client, node: r.node, op: r.op, outcome: r.outcome, tInvokeMs: r.t_invoke_us / 1000, tCompleteMs: r.t_complete_us === null ? null : r.t_complete_us / 1000 }));
}
