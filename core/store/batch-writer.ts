// Commits the recorder's column batches to SQLite: one transaction per batch, one prepared
// INSERT per table. The worker thread uses it for real runs; a simulation calls it in-thread.

import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import {
  RECORDED_TABLES,
  REAL_COLUMNS,
  type NodeChange,
  type RecordedTable,
  type RecorderBatch,
  type TableBatch,
  type TableLayout,
} from './recorder.js';
import { cachedStatement } from './statement-cache.js';

/** Past this size the WAL is reset even if readers must be waited for, so it cannot grow without end. */
const WAL_LIMIT_BYTES = 256 * 1024 * 1024;
const BATCHES_BETWEEN_WAL_CHECKS = 50;

type Inserter = (batch: TableBatch, symbols: readonly string[]) => void;

/** Rows per INSERT statement: one call into SQLite per 32 rows is about a third faster than per row. */
const ROWS_PER_INSERT = 32;

/**
 * Symbol columns whose rows are inserted together, series by series (in time order within
 * each): metrics_by_series is keyed by (run, node, name, time), and rows of many series
 * interleaved in time land all over it. Grouped, each series appends at one place; its
 * inserts took 40% less time (60 s of Raft: 30,000 metric rows in 16 batches).
 */
const INSERTED_GROUPED_BY: Partial<Record<RecordedTable, readonly [string, string]>> = {
  metrics: ['node', 'name'],
};

/** The batch's rows in insert order: grouped by two symbol columns, stable (in time) within a group. */
function insertOrder(batch: TableBatch, groupBy: readonly [number, number] | undefined): ArrayLike<number> | null {
  if (!groupBy) return null;
  const first = batch.symbols[groupBy[0]];
  const second = batch.symbols[groupBy[1]];
  const order = Array.from({ length: batch.length }, (_, row) => row);
  return order.sort((a, b) => first[a] - first[b] || second[a] - second[b]);
}

function prepareInserter(db: Database.Database, runId: number, table: RecordedTable, layout: TableLayout): Inserter {
  const columns = [...layout.numbers, ...layout.symbols, ...layout.texts];
  const width = columns.length;
  // The run id is written into the statement: one parameter fewer to bind per row.
  if (!Number.isSafeInteger(runId)) throw new Error(`run id ${runId} is not an integer`);
  const rowPlaceholders = `(${runId}${', ?'.repeat(width)})`;
  const insertSql = (rows: number) =>
    `INSERT INTO ${table} (run_id, ${columns.join(', ')}) VALUES ${Array(rows).fill(rowPlaceholders).join(', ')}`;
  const insertOne = cachedStatement(db, insertSql(1));
  const insertMany = cachedStatement(db, insertSql(ROWS_PER_INSERT));
  const oneArgs: unknown[] = new Array(width);
  const manyArgs: unknown[] = new Array(width * ROWS_PER_INSERT);
  const rounded = layout.numbers.map((name) => !REAL_COLUMNS.has(name));
  const grouped = INSERTED_GROUPED_BY[table];
  const groupBy = grouped && ([layout.symbols.indexOf(grouped[0]), layout.symbols.indexOf(grouped[1])] as const);

  return (batch, symbols) => {
    const { numbers, symbols: symbolIds, texts } = batch;
    const order = insertOrder(batch, groupBy);
    const fill = (args: unknown[], at: number, nth: number) => {
      const row = order ? order[nth] : nth;
      for (let c = 0; c < numbers.length; c++) {
        const value = numbers[c][row];
        // NaN marks null; integer columns are rounded so a fractional µs cannot turn them REAL.
        args[at++] = value !== value ? null : rounded[c] ? Math.round(value) : value;
      }
      for (let c = 0; c < symbolIds.length; c++) args[at++] = symbols[symbolIds[c][row]];
      for (let c = 0; c < texts.length; c++) args[at++] = texts[c][row];
    };
    let row = 0;
    for (; row + ROWS_PER_INSERT <= batch.length; row += ROWS_PER_INSERT) {
      for (let i = 0; i < ROWS_PER_INSERT; i++) fill(manyArgs, i * width, row + i);
      insertMany.run(manyArgs);
    }
    for (; row < batch.length; row++) {
      fill(oneArgs, 0, row);
      insertOne.run(oneArgs);
    }
  };
}

function prepareNodeWriter(db: Database.Database, runId: number): (change: NodeChange) => void {
  const started = cachedStatement(
    db,
    `INSERT INTO nodes (run_id, node, incarnation, pid, pid_start_time, command_json, t_start_us)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, node, incarnation) DO UPDATE SET
       pid = excluded.pid, pid_start_time = excluded.pid_start_time,
       command_json = excluded.command_json, t_start_us = excluded.t_start_us`,
  );
  const exited = cachedStatement(
    db,
    'UPDATE nodes SET t_exit_us = ?, exit_code = ?, signal = ? WHERE run_id = ? AND node = ? AND incarnation = ?',
  );
  return (change) => {
    if (change.kind === 'started') {
      const { node, incarnation, pid, pidStartTime, commandJson, tStartUs } = change;
      started.run(runId, node, incarnation, pid, pidStartTime, commandJson, Math.round(tStartUs));
    } else {
      const { node, incarnation, tExitUs, exitCode, signal } = change;
      exited.run(Math.round(tExitUs), exitCode, signal, runId, node, incarnation);
    }
  };
}

export function prepareBatchWriter(db: Database.Database, dbPath: string, runId: number): (batch: RecorderBatch) => void {
  const inserters = new Map<RecordedTable, Inserter>();
  for (const [table, layout] of Object.entries(RECORDED_TABLES) as Array<[RecordedTable, TableLayout]>) {
    inserters.set(table, prepareInserter(db, runId, table, layout));
  }
  const writeNodeChange = prepareNodeWriter(db, runId);
  const symbols: string[] = [];
  let batchesSinceWalCheck = 0;

  const commit = db.transaction((batch: RecorderBatch) => {
    for (const [table, rows] of Object.entries(batch.tables) as Array<[RecordedTable, TableBatch]>) {
      inserters.get(table)!(rows, symbols);
    }
    for (const change of batch.nodeChanges) writeNodeChange(change);
  });

  return (batch) => {
    // Symbols are learned before the commit: later batches use them even if this one fails.
    symbols.length = batch.symbolBase;
    for (const symbol of batch.newSymbols) symbols.push(symbol);
    commit(batch);
    if (++batchesSinceWalCheck >= BATCHES_BETWEEN_WAL_CHECKS) {
      batchesSinceWalCheck = 0;
      restartLargeWal(db, dbPath);
    }
  };
}

/**
 * SQLite's automatic checkpoints cannot rewind the WAL while readers (the UI) keep reading, so
 * past a limit we wait for them once. Best effort: the batch is already committed either way.
 */
function restartLargeWal(db: Database.Database, dbPath: string): void {
  try {
    if (statSync(`${dbPath}-wal`).size > WAL_LIMIT_BYTES) db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // No WAL file yet, or the checkpoint could not run now; the next check tries again.
  }
}

