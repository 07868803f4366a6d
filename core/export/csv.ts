// Exports one recorded run as RFC 4180 CSV files, one per table. Rows are read a page at a time
// (keyset pagination), so a run of millions of messages never sits in memory and the connection
// is never held busy across an await.

import { mkdirSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { stringify, type Options } from 'csv-stringify/sync';
import { getRun } from '../store/queries.js';

export interface CsvExportResult {
  /** Paths of the files written. */
  files: string[];
  /** Data rows (without the header) per path in files. */
  rows: Record<string, number>;
}

/** text cells are escaped against formula injection; ms columns hold µs and are written as ms. */
type CellKind = 'text' | 'number' | 'ms';

interface CsvColumn {
  header: string;
  sql: string;
  kind: CellKind;
}

interface CsvTable {
  file: string;
  table: string;
  /** A NOT NULL column indexed after run_id; pages are keyed on (orderBy, rowid). */
  orderBy: string;
  columns: CsvColumn[];
}

const text = (header: string, sql = header): CsvColumn => ({ header, sql, kind: 'text' });
const number = (header: string, sql = header): CsvColumn => ({ header, sql, kind: 'number' });
const ms = (header: string, sql: string): CsvColumn => ({ header, sql, kind: 'ms' });

const CSV_TABLES: CsvTable[] = [
  {
    file: 'messages.csv',
    table: 'messages',
    orderBy: 'id',
    columns: [
      number('id'),
      text('src'),
      text('dest'),
      text('type'),
      ms('t_send_ms', 't_send_us'),
      ms('t_deliver_ms', 't_deliver_us'),
      text('fate'),
      number('bytes'),
      number('dup_of'),
      number('corrupted'),
      text('body'),
    ],
  },
  {
    file: 'operations.csv',
    table: 'operations',
    orderBy: 't_invoke_us',
    columns: [
      text('client'),
      text('node'),
      text('op'),
      ms('t_invoke_ms', 't_invoke_us'),
      ms('t_complete_ms', 't_complete_us'),
      ms('latency_ms', 't_complete_us - t_invoke_us'),
      text('outcome'),
      text('detail', 'detail_json'),
    ],
  },
  {
    file: 'events.csv',
    table: 'events',
    orderBy: 't_us',
    columns: [ms('t_ms', 't_us'), text('node'), text('kind'), text('detail', 'detail_json')],
  },
  {
    file: 'metrics.csv',
    table: 'metrics',
    orderBy: 't_us',
    columns: [ms('t_ms', 't_us'), text('node'), text('name'), number('value')],
  },
  {
    file: 'faults.csv',
    table: 'faults',
    orderBy: 't_us',
    columns: [ms('t_ms', 't_us'), text('kind'), text('detail', 'detail_json'), text('source')],
  },
  {
    file: 'logs.csv',
    table: 'logs',
    orderBy: 't_us',
    columns: [ms('t_ms', 't_us'), text('node'), text('stream'), text('line')],
  },
  {
    file: 'nodes.csv',
    table: 'nodes',
    orderBy: 't_start_us',
    columns: [
      text('node'),
      number('incarnation'),
      number('pid'),
      ms('t_start_ms', 't_start_us'),
      ms('t_exit_ms', 't_exit_us'),
      number('exit_code'),
      text('signal'),
    ],
  },
];

const PAGE_ROWS = 5000;

const CSV_OPTIONS: Options = {
  record_delimiter: 'windows',
  // Quote every cell holding \r or \n: with a custom record_delimiter this is off by default.
  quote_record_delimiter: true,
  // Prefixes ' to text cells starting with = + - @ tab or CR; numbers are left alone.
  escape_formulas: true,
  cast: { number: plainNumber },
};

export async function exportRunCsv(
  db: Database.Database,
  runId: number,
  outDir: string,
  onProgress?: (file: string, rows: number) => void,
): Promise<CsvExportResult> {
  getRun(db, runId); // throws a clear error for an unknown run before any file is created
  mkdirSync(outDir, { recursive: true });
  const result: CsvExportResult = { files: [], rows: {} };
  for (const table of CSV_TABLES) {
    const path = join(outDir, table.file);
    result.rows[path] = await writeTable(db, runId, table, path, onProgress);
    result.files.push(path);
  }
  return result;
}

async function writeTable(
  db: Database.Database,
  runId: number,
  table: CsvTable,
  path: string,
  onProgress?: (file: string, rows: number) => void,
): Promise<number> {
  let written = 0;
  async function* csvChunks(): AsyncGenerator<string> {
    yield stringify([table.columns.map((column) => column.header)], CSV_OPTIONS);
    for (const page of pages(db, runId, table)) {
      yield stringify(page, CSV_OPTIONS);
      written += page.length;
      onProgress?.(path, written);
    }
  }
  await pipeline(Readable.from(csvChunks()), createWriteStream(path));
  return written;
}

/** Each page is read completely before it is yielded, so no statement stays open in between. */
function* pages(db: Database.Database, runId: number, table: CsvTable): Generator<unknown[][]> {
  const cells = table.columns.map((column) => column.sql).join(', ');
  const statement = db
    .prepare(
      `SELECT ${table.orderBy}, rowid, ${cells} FROM ${table.table}
       WHERE run_id = ? AND (${table.orderBy}, rowid) > (?, ?)
       ORDER BY ${table.orderBy}, rowid LIMIT ${PAGE_ROWS}`,
    )
    .raw();
  const kinds = table.columns.map((column) => column.kind);
  let after: [number, number] = [-Infinity, -Infinity];
  for (;;) {
    const rows = statement.all(runId, after[0], after[1]) as unknown[][];
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    after = [last[0] as number, last[1] as number];
    yield rows.map((row) => toCells(row, kinds));
    if (rows.length < PAGE_ROWS) return;
  }
}

/** Drops the two paging columns and turns µs into ms. */
function toCells(row: unknown[], kinds: CellKind[]): unknown[] {
  const cells = new Array<unknown>(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const value = row[i + 2];
    cells[i] = kinds[i] === 'ms' && typeof value === 'number' ? value / 1000 : value;
  }
  return cells;
}

/**
 * A number as plain decimal digits, never exponent notation (1e-7 → 0.0000001).
 * µs / 1000 prints with at most three decimals: the quotient is the double nearest to it.
 */
export function plainNumber(value: number): string {
  const shortest = String(value);
  const e = shortest.indexOf('e');
  if (e < 0) return shortest;
  const negative = shortest.startsWith('-');
  const mantissa = shortest.slice(negative ? 1 : 0, e);
  const exponent = Number(shortest.slice(e + 1));
  const [whole, fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}
