// The recorder's worker thread: owns the write connection and commits each batch from the
// main thread in one transaction (core/store/batch-writer.ts).

import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.js';
import { prepareBatchWriter } from './batch-writer.js';
import type { RecorderBatch, RecorderToWorker, RecorderWorkerData, WorkerToRecorder } from './recorder.js';

function describe(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('recorder-worker.js runs only as a worker thread');
  const send = (msg: WorkerToRecorder) => port.postMessage(msg);
  const { dbPath, runId } = workerData as RecorderWorkerData;

  let db: Database.Database;
  let write: (batch: RecorderBatch) => void;
  try {
    db = openDatabase(dbPath);
    write = prepareBatchWriter(db, dbPath, runId);
  } catch (err) {
    send({ type: 'failed', seq: null, error: describe(err) });
    port.close();
    return;
  }

  port.on('message', (msg: RecorderToWorker) => {
    if (msg.type === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      write(msg);
      send({ type: 'committed', seq: msg.seq, rows: msg.rows });
    } catch (err) {
      send({ type: 'failed', seq: msg.seq, error: describe(err) });
    }
  });
  send({ type: 'ready' });
}

serve();
