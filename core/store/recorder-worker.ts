// The recorder's worker thread: owns the write connection and commits each batch from the
// main thread in one transaction (core/store/batch-writer.ts). One worker records one run at a
// time and may record many in turn (recorder-workers.ts keeps it warm between them).

import { parentPort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.js';
import { prepareBatchWriter } from './batch-writer.js';
import type { RecorderBatch, RecorderToWorker, WorkerToRecorder } from './recorder.js';

function describe(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error('recorder-worker.js runs only as a worker thread');
  const send = (msg: WorkerToRecorder) => port.postMessage(msg);
  let db: Database.Database | null = null;
  let write: ((batch: RecorderBatch) => void) | null = null;

  const closeRun = () => {
    db?.close();
    db = null;
    write = null;
  };

  // After the run is reported recorded (every row is committed by then), so that the copy
  // into the database file is not in the run's way. Best effort: SQLite does it later anyway.
  const checkpoint = () => {
    try {
      db?.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // PASSIVE never waits for readers; an error here (the disk, say) leaves the copy to
      // SQLite's next checkpoint, and the run's rows are committed in the WAL either way.
    }
  };

  port.on('message', (msg: RecorderToWorker) => {
    if (msg.type === 'open') {
      closeRun();
      try {
        db = openDatabase(msg.dbPath);
        if (msg.checkpointEveryPages !== null) db.pragma(`wal_autocheckpoint = ${Math.round(msg.checkpointEveryPages)}`);
        write = prepareBatchWriter(db, msg.dbPath, msg.runId);
        send({ type: 'ready' });
      } catch (err) {
        closeRun();
        send({ type: 'failed', seq: null, error: describe(err) });
      }
      return;
    }
    if (msg.type === 'close') {
      send({ type: 'closed' });
      checkpoint();
      closeRun();
      send({ type: 'idle' });
      return;
    }
    try {
      if (!write) throw new Error('no database is open for this batch');
      write(msg);
      send({ type: 'committed', seq: msg.seq, rows: msg.rows });
    } catch (err) {
      send({ type: 'failed', seq: msg.seq, error: describe(err) });
    }
  });
}

serve();
