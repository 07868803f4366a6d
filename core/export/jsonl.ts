// Exports one recorded run as JSON Lines, for scripts: one object per recorded row, tagged
// with its table, in the folder given (run.jsonl). The first line is the run itself. Times
// are ms since the run's start, as in the CSV export; detail columns are parsed JSON.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { getRun } from '../store/queries.js';
import { CSV_TABLES, pages, prepareFolder, writeChunks, type CellKind, type CsvExportOptions, type CsvExportResult } from './csv.js';

export const JSONL_FILE = 'run.jsonl';

export async function exportRunJsonl(db: Database.Database, runId: number, outDir: string, options: CsvExportOptions = {}): Promise<CsvExportResult> {
  const run = getRun(db, runId); // a clear error for an unknown run before any file is created
  prepareFolder(outDir, options.overwrite === true, [JSONL_FILE]);
  const path = join(outDir, JSONL_FILE);
  let rows = 0;
  async function* lines(): AsyncGenerator<string> {
    yield JSON.stringify({ table: 'runs', ...run }) + '\n';
    for (const table of CSV_TABLES) {
      const names = table.columns.map((column) => column.header);
      const isDetail = table.columns.map((column) => column.sql === 'detail_json');
      for (const page of pages(db, runId, table, toValues)) {
        let chunk = '';
        for (const values of page) {
          const row: Record<string, unknown> = { table: table.table };
          names.forEach((name, i) => (row[name] = isDetail[i] ? parseDetail(values[i]) : values[i]));
          chunk += JSON.stringify(row) + '\n';
        }
        rows += page.length;
        options.onProgress?.(path, rows);
        yield chunk;
      }
    }
  }
  await writeChunks(path, lines());
  return { files: [path], rows: { [path]: rows } };
}

/** Drops the two paging columns and turns µs into ms; text stays as written. */
function toValues(row: unknown[], kinds: CellKind[]): unknown[] {
  return kinds.map((kind, i) => {
    const value = row[i + 2];
    return kind === 'ms' && typeof value === 'number' ? value / 1000 : value;
  });
}

function parseDetail(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
