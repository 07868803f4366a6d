// A client history as checkers read it: one entry per recorded operation, in invocation order.
// Checkers are pure functions of this; the loader below is their only tie to the database.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import { parseRecordedJson } from '../analysis/load-recorded.js';

/**
 * `ok` happened; `fail` surely did not (a definite error); `unknown` may or may not have
 * happened (a timeout, an indefinite error such as code 0 or 13, or a reply that could not be
 * understood), as Maelstrom and Knossos treat them.
 */
export type HistoryOutcome = 'ok' | 'fail' | 'unknown';

export interface HistoryOp {
  /** The operation's rowid in `operations`, so that findings can link to it. */
  id: number;
  client: string;
  node: string;
  /** The request's kind: read, write, cas, add, generate, send, poll, txn… */
  f: string;
  invokeUs: number;
  /** Null when no answer came before the run ended or the request timed out. */
  completeUs: number | null;
  outcome: HistoryOutcome;
  /** What the workload recorded about the request and its reply (key, value, from, to, txn…). */
  detail: Record<string, unknown>;
}

/** A failed operation counts as unknown when its error was indefinite or its reply unreadable. */
export function outcomeOf(recorded: string, detail: Record<string, unknown>): HistoryOutcome {
  if (recorded === 'ok') return 'ok';
  if (recorded === 'timeout') return 'unknown';
  if (detail.indefinite === true || detail.wrong === true || detail.corruptedInTransit === true) return 'unknown';
  return 'fail';
}

export function loadHistory(db: Database.Database, runId: number, ops?: readonly string[]): HistoryOp[] {
  const only = ops && ops.length ? ` and op in (${ops.map(() => '?').join(',')})` : '';
  const rows = cachedStatement(db, `select rowid as id, client, node, op, t_invoke_us, t_complete_us, outcome, detail_json from operations where run_id = ?${only} order by t_invoke_us, rowid`)
    .all(runId, ...(ops ?? [])) as Array<{ id: number; client: string; node: string; op: string; t_invoke_us: number; t_complete_us: number | null; outcome: string; detail_json: string | null }>;
  return rows.map((r) => {
    const detail = (parseRecordedJson(r.detail_json) ?? {}) as Record<string, unknown>;
    return { id: r.id, client: r.client, node: r.node, f: r.op, invokeUs: r.t_invoke_us, completeUs: r.t_complete_us, outcome: outcomeOf(r.outcome, detail), detail };
  });
}
