// Exports one recorded run as RFC 4180 CSV files, one per table. Rows are read a page at a time
// (keyset pagination), so a run of millions of messages never sits in memory and the connection
// is never held busy across an await.

import { closeSync, createWriteStream, mkdirSync, openSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Database from 'better-sqlite3';
import { stringify, type Options } from 'csv-stringify/sync';
import { getRun } from '../store/queries.js';

export interface CsvExportOptions {
  /** Replace files of the export's names already in the folder; without it they are refused. */
  overwrite?: boolean;
  onProgress?: (file: string, rows: number) => void;
}

/**
 * The folder cannot take the export: `exists` (it already holds files of the export's names
 * and overwrite was not asked: `files` names them), `not-a-folder`, or `unwritable`.
 */
export class ExportTargetError extends Error {
  constructor(
    readonly code: 'exists' | 'not-a-folder' | 'unwritable',
    message: string,
    readonly files: string[] = [],
  ) {
    super(message);
    this.name = 'ExportTargetError';
  }
}

export interface CsvExportResult {
  /** Paths of the files written. */
  files: string[];
  /** Data rows (without the header) per path in files. */
  rows: Record<string, number>;
}

/** Text (any string cell, in fact) is escaped against formula injection; ms columns hold µs and are written as ms. */
export type CellKind = 'text' | 'number' | 'ms';

export interface CsvColumn {
  header: string;
  sql: string;
  kind: CellKind;
}

export interface CsvTable {
  file: string;
  table: string;
  /** A NOT NULL column indexed after run_id; pages are keyed on (orderBy, rowid). */
  orderBy: string;
  columns: CsvColumn[];
}

const text = (header: string, sql = header): CsvColumn => ({ header, sql, kind: 'text' });
const number = (header: string, sql = header): CsvColumn => ({ header, sql, kind: 'number' });
const ms = (header: string, sql: string): CsvColumn => ({ header, sql, kind: 'ms' });

/** Every recorded table as the exports write it: its columns, in order, with their kinds. */
export const CSV_TABLES: readonly CsvTable[] = [
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
  // RFC 4180: every record, the header row too, ends with CRLF. Line breaks inside a quoted
  // cell are kept as they were written.
  record_delimiter: 'windows',
  // Quote every cell holding \r or \n: with a custom record_delimiter this is off by default.
  quote_record_delimiter: true,
  // Text cells are defused by defuseFormula (a superset of the library's rule), numbers are left alone.
  escape_formulas: false,
  cast: { number: plainNumber },
};

/**
 * A text cell a spreadsheet would run as a formula or a command gets a leading ': cells that
 * start with = + - @ | (also in their full-width forms), possibly after spaces, tabs or line
 * breaks, and cells starting with a tab or a carriage return.
 */
const FORMULA_START = /^(?:[\t\r]|[\s\u00a0\u3000]*[=+\-@|\uff1d\uff0b\uff0d\uff20\uff5c])/;

export function defuseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Accepts the progress callback alone, as before, or the options. */
export async function exportRunCsv(
  db: Database.Database,
  runId: number,
  outDir: string,
  options: CsvExportOptions | ((file: string, rows: number) => void) = {},
): Promise<CsvExportResult> {
  const { overwrite = false, onProgress } = typeof options === 'function' ? { onProgress: options } : options;
  getRun(db, runId); // throws a clear error for an unknown run before any file is created
  prepareFolder(outDir, overwrite);
  const result: CsvExportResult = { files: [], rows: {} };
  for (const table of CSV_TABLES) {
    const path = join(outDir, table.file);
    result.rows[path] = await writeTable(db, runId, table, path, onProgress);
    result.files.push(path);
  }
  return result;
}

/** Creates the folder, and refuses it before any file is written when it cannot take the export's files. */
export function prepareFolder(outDir: string, overwrite: boolean, fileNames: readonly string[] = CSV_TABLES.map((table) => table.file)): void {
  const existing = statOrNull(outDir);
  if (existing && !existing.isDirectory()) throw new ExportTargetError('not-a-folder', `${outDir} is a file, not a folder; give a folder to write the export into`);
  if (!existing) {
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file, not a folder' : reason(error);
      throw new ExportTargetError('unwritable', `the folder ${outDir} cannot be created: ${why}`);
    }
  }
  const present = fileNames.map((name) => join(outDir, name)).filter((path) => statOrNull(path) !== null);
  const folders = present.filter((path) => statOrNull(path)?.isDirectory());
  if (folders.length > 0) throw new ExportTargetError('not-a-folder', `${folders.join(', ')} ${folders.length === 1 ? 'is a folder' : 'are folders'}; the export cannot write its file there`, folders);
  if (present.length > 0 && !overwrite) {
    const names = present.map((path) => basename(path));
    throw new ExportTargetError('exists', `${outDir} already holds ${names.join(', ')}; they would be replaced`, present);
  }
  // The first file is opened here, not in the middle of the export, to name a folder that cannot be written.
  const probe = join(outDir, fileNames[0]);
  try {
    closeSync(openSync(probe, 'a'));
  } catch (error) {
    throw new ExportTargetError('unwritable', `cannot write into ${outDir}: ${reason(error)}`);
  }
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'it is on a read-only file system';
  if (code === 'ENOSPC') return 'the disk is full';
  return (error as Error).message;
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
  await writeChunks(path, csvChunks());
  return written;
}

/** Writes what the generator yields to the file; a file system error names the file. */
export async function writeChunks(path: string, chunks: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), createWriteStream(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code && (error as NodeJS.ErrnoException).syscall) {
      throw new ExportTargetError('unwritable', `cannot write ${path}: ${reason(error)}`);
    }
    throw error;
  }
}

/**
 * The run's rows of one table, a page at a time, each row turned into cells by `convert`.
 * Each page is read completely before it is yielded, so no statement stays open in between.
 */
export function* pages(db: Database.Database, runId: number, table: CsvTable, convert: (row: unknown[], kinds: CellKind[]) => unknown[] = toCells): Generator<unknown[][]> {
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
    yield rows.map((row) => convert(row, kinds));
    if (rows.length < PAGE_ROWS) return;
  }
}

/** Drops the two paging columns and turns µs into ms. */
function toCells(row: unknown[], kinds: CellKind[]): unknown[] {
  const cells = new Array<unknown>(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const value = row[i + 2];
    if (kinds[i] === 'ms' && typeof value === 'number') cells[i] = value / 1000;
    // Any string: a number column holds text only if something odd was stored in it, defused all the same.
    else if (typeof value === 'string') cells[i] = defuseFormula(value);
    else cells[i] = value;
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
