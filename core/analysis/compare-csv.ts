// The compare table as CSV, written with csv-stringify like the run exports (core/export/csv.ts).
// Apart from compare-table.ts, which the renderer imports too and must stay free of Node.
import { stringify } from 'csv-stringify/sync';
import type { ComparedRun } from './compare.js';
import type { CompareRow } from './compare-table.js';

/** The table as CSV: a header of run ids, then one line per row (its unit in the first column). */
export function compareCsv(runs: ComparedRun[], rows: CompareRow[]): string {
  const header = ['measurement', ...runs.map((r) => `run ${r.runId} ${r.name}`)];
  const body = rows.map((row) => [row.unit ? `${row.label} (${row.unit})` : row.label, ...row.values.map((v) => (v === null ? '' : v))]);
  return stringify([header, ...body]);
}
