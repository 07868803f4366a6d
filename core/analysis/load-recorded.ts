// Reads the rows the analyses and checks need for one run. Bulky kinds (receives,
// heartbeats, per-peer suspicion samples) stay in the database unless asked for.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import type { RecordedEvent, RecordedFault, RecordedMetric } from './recorded.js';

export function loadFaults(db: Database.Database, runId: number): RecordedFault[] {
  const rows = cachedStatement(db, 'select t_us, kind, detail_json from faults where run_id = ? order by t_us').all(runId) as Array<{ t_us: number; kind: string; detail_json: string | null }>;
  return rows.map((r) => ({ tUs: r.t_us, kind: r.kind, detail: parseRecordedJson(r.detail_json) }));
}

/** Events of the given kinds, in time order. */
export function loadEvents(db: Database.Database, runId: number, kinds: readonly string[]): RecordedEvent[] {
  if (kinds.length === 0) return [];
  const rows = cachedStatement(db, `select t_us, node, kind, detail_json from events where run_id = ? and kind in (${kinds.map(() => '?').join(',')}) order by t_us`)
    .all(runId, ...kinds) as Array<{ t_us: number; node: string; kind: string; detail_json: string | null }>;
  return rows.map((r) => ({ tUs: r.t_us, node: r.node, kind: r.kind, data: parseRecordedJson(r.detail_json) }));
}

export function loadMetrics(db: Database.Database, runId: number, names: readonly string[]): RecordedMetric[] {
  const rows = cachedStatement(db, `select t_us, node, name, value from metrics where run_id = ? and name in (${names.map(() => '?').join(',')}) order by t_us`)
    .all(runId, ...names) as Array<{ t_us: number; node: string; name: string; value: number }>;
  return rows.map((r) => ({ tUs: r.t_us, node: r.node, name: r.name, value: r.value }));
}

export function countEvents(db: Database.Database, runId: number, kind: string): number {
  return cachedStatement(db, 'select count(*) from events where run_id = ? and kind = ?').pluck().get(runId, kind) as number;
}

/** A recorded JSON column as a value; null for SQL null or text that is not JSON. */
export function parseRecordedJson(json: string | null): any {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}
