// The export formats, by name: the one table both the CLI (`distlab export --format`) and
// the lab's export dialog (`runs.export`) go through.
import type Database from 'better-sqlite3';
import { exportRunCsv, type CsvExportOptions, type CsvExportResult } from './csv.js';
import { exportRunJsonl } from './jsonl.js';
import { exportRunPerfetto } from './perfetto.js';
import { exportRunShiviz } from './shiviz.js';

export type ExportFormat = 'csv' | 'shiviz' | 'perfetto' | 'jsonl';

type Exporter = (db: Database.Database, runId: number, outDir: string, options: CsvExportOptions) => Promise<CsvExportResult>;

export const EXPORT_FORMATS: Record<ExportFormat, Exporter> = {
  csv: exportRunCsv,
  shiviz: exportRunShiviz,
  perfetto: exportRunPerfetto,
  jsonl: exportRunJsonl,
};

export const EXPORT_FORMAT_NAMES = Object.keys(EXPORT_FORMATS) as ExportFormat[];

export function isExportFormat(name: string): name is ExportFormat {
  return Object.hasOwn(EXPORT_FORMATS, name);
}
