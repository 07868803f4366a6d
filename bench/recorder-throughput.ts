// Rows per second through the Recorder (main thread → worker → SQLite) against a raw
// better-sqlite3 batched insert of the same rows into the same schema.
import Database from 'better-sqlite3';
import { openDatabase } from '../core/store/database.js';
import { createRun } from '../core/store/runs.js';
import { Recorder } from '../core/store/recorder.js';
import { tempDbPath } from './support.js';

const TYPES = ['echo', 'echo_ok', 'ping', 'pong'];

function row(i: number) {
  return {
    src: `n${(i % 8) + 1}`,
    dest: `n${((i + 3) % 8) + 1}`,
    type: TYPES[i % 4],
    body: `{"type":"${TYPES[i % 4]}","msg_id":${i},"echo":"Please echo ${i}"}`,
    tSend: i * 10,
  };
}

function freshRun(): { dbPath: string; runId: number } {
  const dbPath = tempDbPath();
  const db = openDatabase(dbPath);
  const runId = createRun(db, { name: 'bench', experiment: {}, seed: 1, startedAtMs: Date.now(), enginePid: process.pid, engineStartTime: null });
  db.close();
  return { dbPath, runId };
}

export async function recorderThroughput(rows = 1_000_000): Promise<{ rows: number; recorderRowsPerSec: number; rawRowsPerSec: number }> {
  const viaRecorder = freshRun();
  const recorder = await Recorder.start(viaRecorder.dbPath, viaRecorder.runId);
  let started = performance.now();
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    recorder.message(i + 1, r.src, r.dest, r.type, r.body, r.body.length, r.tSend, r.tSend + 500, 'delivered', null, false);
  }
  await recorder.close();
  const recorderSec = (performance.now() - started) / 1000;

  const raw = freshRun();
  const db = new Database(raw.dbPath);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare('insert into messages (run_id, id, src, dest, type, body, bytes, t_send_us, t_deliver_us, fate, dup_of, corrupted) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = row(i);
      insert.run(raw.runId, i + 1, r.src, r.dest, r.type, r.body, r.body.length, r.tSend, r.tSend + 500, 'delivered', null, 0);
    }
  });
  started = performance.now();
  for (let i = 0; i < rows; i += 10_000) batch(i, Math.min(rows, i + 10_000));
  const rawSec = (performance.now() - started) / 1000;
  const stored = db.prepare('select count(*) from messages').pluck().get() as number;
  db.close();
  const check = new Database(viaRecorder.dbPath, { readonly: true });
  const recorded = check.prepare('select count(*) from messages').pluck().get() as number;
  check.close();
  if (recorded !== rows || stored !== rows) throw new Error(`row counts differ: recorder ${recorded}, raw ${stored}, expected ${rows}`);
  return { rows, recorderRowsPerSec: rows / recorderSec, rawRowsPerSec: rows / rawSec };
}
