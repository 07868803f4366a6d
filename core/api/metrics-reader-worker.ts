// Worker thread: reads a recorded run's metric series from its own connection, so that the
// heaviest query of opening a run (downsampling up to millions of samples) runs beside the others.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sqliteOptions } from '../store/sqlite-options.js';
import { recordedMetrics } from './recorded-data.js';

export interface MetricsRequest {
  id: number;
  dbPath: string;
  runId: number;
}

const connections = new Map<string, Database.Database>();

parentPort!.on('message', ({ id, dbPath, runId }: MetricsRequest) => {
  try {
    let db = connections.get(dbPath);
    if (!db) {
      db = new Database(dbPath, { readonly: true, fileMustExist: true, ...sqliteOptions() });
      connections.set(dbPath, db);
    }
    parentPort!.postMessage({ id, metrics: recordedMetrics(db, runId) });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
