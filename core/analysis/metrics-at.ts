// Each node's latest value of each metric series at one instant (commit_index, last_index,
// suspicion.<peer>, …), for the lab's inspector at the replay cursor. One index seek per
// series, whatever the length of the run: a run of a million samples answers in milliseconds.
import type Database from 'better-sqlite3';

/** node → metric name → value. */
export type MetricsAt = Record<string, Record<string, number>>;

/** Series beyond this many are left out (a run of hundreds of nodes has tens of thousands). */
const MAX_SERIES = 2000;

/** The series of ended runs, found once: a run that has ended gains none. */
const seriesCache = new WeakMap<Database.Database, Map<number, Array<[string, string]>>>();

/** The latest values at tMs, of every node or of `node` alone. */
export function metricsAt(db: Database.Database, runId: number, tMs: number, node?: string): MetricsAt {
  const tUs = Math.round(tMs * 1000);
  const latest = db.prepare('SELECT value FROM metrics WHERE run_id = ? AND node = ? AND name = ? AND t_us <= ? ORDER BY t_us DESC LIMIT 1').pluck();
  const out: MetricsAt = {};
  for (const [n, name] of seriesOf(db, runId)) {
    if (node !== undefined && n !== node) continue;
    const value = latest.get(runId, n, name, tUs) as number | null | undefined;
    if (typeof value === 'number') (out[n] ??= {})[name] = value;
  }
  return out;
}

function seriesOf(db: Database.Database, runId: number): Array<[string, string]> {
  const cached = seriesCache.get(db)?.get(runId);
  if (cached) return cached;
  // Skips from one (node, name) to the next along the metrics_by_series index, instead of
  // reading every sample to find the distinct series.
  const next = db.prepare('SELECT node, name FROM metrics WHERE run_id = ? AND (node, name) > (?, ?) ORDER BY node, name LIMIT 1').raw();
  const series: Array<[string, string]> = [];
  let at: [string, string] = ['', ''];
  while (series.length < MAX_SERIES) {
    const row = next.get(runId, at[0], at[1]) as [string, string] | undefined;
    if (!row) break;
    series.push((at = row));
  }
  const ended = (db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId) as string | undefined) !== 'running';
  if (ended) {
    let runs = seriesCache.get(db);
    if (!runs) seriesCache.set(db, (runs = new Map()));
    runs.set(runId, series);
  }
  return series;
}
