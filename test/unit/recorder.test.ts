// The recorder runs its worker from dist/: npm test builds it first (or run npm run build:core).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { openDatabase } from '../../core/store/database.js';
import { Recorder, SIMULATION_CHECKPOINT_PAGES, type RecorderOptions } from '../../core/store/recorder.js';
import { createRun } from '../../core/store/runs.js';
import type { MessageFate } from '../../core/store/schema.js';

async function newRecording(opts?: RecorderOptions) {
  const path = join(mkdtempSync(join(tmpdir(), 'distlab-recorder-')), 'distlab.db');
  const db = openDatabase(path);
  const runId = createRun(db, { name: 'rec', experiment: {}, seed: 1, startedAtMs: Date.now(), enginePid: process.pid, engineStartTime: null });
  const recorder = await Recorder.start(path, runId, opts);
  // A second connection, as the UI or a test would read while the run goes on.
  const reader = new Database(path, { readonly: true });
  const count = (table: string) =>
    reader.prepare(`SELECT COUNT(*) FROM ${table} WHERE run_id = ?`).pluck().get(runId) as number;
  return { path, db, runId, recorder, reader, count };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

// Index 3 is an extra copy of the message before it, delivered.
const FATES: MessageFate[] = ['delivered', 'lost', 'partitioned', 'delivered', 'corrupted', 'undeliverable', 'in-flight-at-end'];

describe('Recorder', () => {
  it('records 200k messages and every other kind of row exactly', async () => {
    const { db, runId, recorder } = await newRecording();
    const MESSAGES = 200_000;
    for (let i = 0; i < MESSAGES; i++) {
      const fate = FATES[i % FATES.length];
      const delivered = fate === 'delivered' || fate === 'corrupted';
      const copy = i % FATES.length === 3;
      recorder.message(
        i + 1,
        `n${i % 5}`,
        `n${(i + 1) % 5}`,
        i % 2 ? 'echo' : 'echo_ok',
        `{"msg_id":${i}}`,
        12 + (i % 10),
        i * 7,
        delivered ? i * 7 + 350 : null,
        fate,
        copy ? i : null,
        fate === 'corrupted',
      );
    }
    for (let i = 0; i < 300; i++) recorder.metric(i * 1000, 'n1', 'queue', i / 4);
    for (let i = 0; i < 250; i++) recorder.log(i, 'n2', 'stderr', `line ${i}, "quoted"\ttab`);
    for (let i = 0; i < 120; i++) recorder.event(i * 10, 'n3', 'suspect', { peer: 'n1', phi: i });
    for (let i = 0; i < 40; i++) recorder.fault(i * 100, 'partition', { groups: [['n1'], ['n2', 'n3']] }, i % 2 ? 'live' : 'schedule');
    for (let i = 0; i < 90; i++) recorder.operation('c1', 'n1', 'echo', i * 1000, i % 3 ? i * 1000 + 250 : null, i % 3 ? 'ok' : 'timeout', { i });
    recorder.nodeStarted('n1', 0, 1234, '5678', ['node', 'echo.js', '--id', 'n1'], 15);
    recorder.nodeStarted('n1', 1, null, null, ['node', 'echo.js'], 2_000_000);
    recorder.nodeExited('n1', 0, 1_999_000, null, 'SIGKILL');
    recorder.event(0, 'engine', 'run-start', undefined);

    await recorder.close();
    const total = MESSAGES + 300 + 250 + 121 + 40 + 90 + 3;
    expect(recorder.rowsWritten).toBe(total);
    expect(recorder.pendingRows).toBe(0);

    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table} WHERE run_id = ?`).pluck().get(runId);
    expect(count('messages')).toBe(MESSAGES);
    expect(count('metrics')).toBe(300);
    expect(count('logs')).toBe(250);
    expect(count('events')).toBe(121);
    expect(count('faults')).toBe(40);
    expect(count('operations')).toBe(90);
    expect(count('nodes')).toBe(2);

    const message = db.prepare('SELECT * FROM messages WHERE run_id = ? AND id = ?');
    expect(message.get(runId, 1)).toEqual({
      run_id: runId, id: 1, src: 'n0', dest: 'n1', type: 'echo_ok', body: '{"msg_id":0}', bytes: 12,
      t_send_us: 0, t_deliver_us: 350, fate: 'delivered', dup_of: null, corrupted: 0,
    });
    expect(message.get(runId, 199_999)).toMatchObject({ src: 'n3', dest: 'n4', type: 'echo_ok', fate: 'lost', t_send_us: 1_399_986, t_deliver_us: null });
    expect(message.get(runId, 200_000)).toMatchObject({ fate: 'partitioned', bytes: 21, body: '{"msg_id":199999}' });
    expect(message.get(runId, 7)).toMatchObject({ fate: 'in-flight-at-end', type: 'echo_ok', t_send_us: 42, t_deliver_us: null });
    expect(message.get(runId, 4)).toMatchObject({ fate: 'delivered', dup_of: 3, corrupted: 0, t_deliver_us: 371 });
    expect(message.get(runId, 5)).toMatchObject({ fate: 'corrupted', dup_of: null, corrupted: 1 });
    expect(db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ? AND corrupted = 1').pluck().get(runId)).toBe(
      Math.ceil((MESSAGES - 4) / FATES.length),
    );

    expect(db.prepare('SELECT t_us, node, name, value FROM metrics WHERE run_id = ? ORDER BY t_us LIMIT 1 OFFSET 3').get(runId)).toEqual(
      { t_us: 3000, node: 'n1', name: 'queue', value: 0.75 },
    );
    expect(db.prepare("SELECT line FROM logs WHERE run_id = ? AND t_us = 7").pluck().get(runId)).toBe('line 7, "quoted"\ttab');
    expect(db.prepare("SELECT detail_json FROM events WHERE run_id = ? AND kind = 'suspect' AND t_us = 50").pluck().get(runId)).toBe('{"peer":"n1","phi":5}');
    expect(db.prepare("SELECT detail_json FROM events WHERE run_id = ? AND kind = 'run-start'").pluck().get(runId)).toBeNull();
    expect(db.prepare('SELECT source, COUNT(*) AS n FROM faults WHERE run_id = ? GROUP BY source ORDER BY source').all(runId)).toEqual([
      { source: 'live', n: 20 },
      { source: 'schedule', n: 20 },
    ]);
    expect(db.prepare('SELECT t_complete_us, outcome, detail_json FROM operations WHERE run_id = ? AND t_invoke_us = 3000').get(runId)).toEqual(
      { t_complete_us: null, outcome: 'timeout', detail_json: '{"i":3}' },
    );
    expect(db.prepare('SELECT * FROM nodes WHERE run_id = ? ORDER BY incarnation').all(runId)).toEqual([
      { run_id: runId, node: 'n1', incarnation: 0, pid: 1234, pid_start_time: '5678', command_json: '["node","echo.js","--id","n1"]', t_start_us: 15, t_exit_us: 1_999_000, exit_code: null, signal: 'SIGKILL' },
      { run_id: runId, node: 'n1', incarnation: 1, pid: null, pid_start_time: null, command_json: '["node","echo.js"]', t_start_us: 2_000_000, t_exit_us: null, exit_code: null, signal: null },
    ]);
  });

  it('stores times as integer µs and metric values as REAL', async () => {
    const { db, runId, recorder } = await newRecording();
    recorder.message(1, 'a', 'b', 't', '', 0, 10.4, 20.6, 'delivered', null, false);
    recorder.metric(1.5, 'a', 'ratio', 2);
    await recorder.close();
    expect(db.prepare('SELECT typeof(t_send_us), t_send_us, t_deliver_us FROM messages WHERE run_id = ?').raw().get(runId)).toEqual(['integer', 10, 21]);
    expect(db.prepare('SELECT typeof(t_us), typeof(value) FROM metrics WHERE run_id = ?').raw().get(runId)).toEqual(['integer', 'real']);
  });

  it('inserts metric rows series by series, each series still in the order it was recorded', async () => {
    const { db, runId, recorder } = await newRecording({ flushIntervalMs: 60_000, maxBatchRows: 500 });
    // Interleaved as nodes report them: three nodes, two metrics, the same instants repeated.
    const recorded: Array<[number, string, string, number]> = [];
    for (let i = 0; i < 1200; i++) recorded.push([Math.floor(i / 4) * 10, `n${i % 3}`, i % 2 ? 'lag' : 'commit_index', i]);
    for (const [tUs, node, name, value] of recorded) recorder.metric(tUs, node, name, value);
    await recorder.close();
    const bySeries = (rows: Array<[number, string, string, number]>) =>
      [...new Set(rows.map(([, node, name]) => `${node}/${name}`))].sort().map((series) => rows.filter(([, node, name]) => `${node}/${name}` === series));
    const stored = db.prepare('SELECT t_us, node, name, value FROM metrics WHERE run_id = ? ORDER BY rowid').raw().all(runId) as Array<[number, string, string, number]>;
    expect(stored).toHaveLength(recorded.length);
    expect(bySeries(stored)).toEqual(bySeries(recorded));
    // Within each batch of 500 the rows went in grouped: the first batch's rows come series by series.
    const firstBatch = stored.slice(0, 500).map(([, node, name]) => `${node}/${name}`);
    expect(firstBatch.filter((series, i) => i > 0 && series !== firstBatch[i - 1])).toHaveLength(5);
  });

  it('flush() resolves once everything handed in before it is committed', async () => {
    const { recorder, count } = await newRecording({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 1000; i++) recorder.message(i, 'a', 'b', 't', 'x', 1, i, null, 'lost', null, false);
    recorder.nodeStarted('n1', 0, 1, '1', ['x'], 0);
    expect(recorder.pendingRows).toBe(1001);
    await recorder.flush();
    expect(count('messages')).toBe(1000);
    expect(count('nodes')).toBe(1);
    expect(recorder.rowsWritten).toBe(1001);
    expect(recorder.pendingRows).toBe(0);
    await recorder.flush(); // nothing new: resolves at once
    await recorder.close();
  });

  it('inThread commits each batch in this thread, into a :memory: database too', async () => {
    const db = openDatabase(':memory:');
    const runId = createRun(db, { name: 'sim', experiment: {}, seed: 1, startedAtMs: 0, enginePid: process.pid, engineStartTime: null });
    const recorder = Recorder.inThread(db, db.name, runId, { flushIntervalMs: 60_000, maxBatchRows: 100 });
    for (let i = 0; i < 250; i++) recorder.message(i, 'n1', 'n2', 'ping', '{}', 2, i, i + 1, 'delivered', null, false);
    // Two full batches went at once, synchronously; the rest waits for a flush.
    expect(db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ?').pluck().get(runId)).toBe(200);
    recorder.event(5, 'n1', 'role', { role: 'leader' });
    recorder.nodeStarted('n1', 1, null, null, ['raft'], 0);
    await recorder.close();
    expect(db.prepare('SELECT COUNT(*) FROM messages WHERE run_id = ?').pluck().get(runId)).toBe(250);
    expect(db.prepare('SELECT node, kind FROM events WHERE run_id = ?').get(runId)).toEqual({ node: 'n1', kind: 'role' });
    expect(recorder.rowsWritten).toBe(252);
    db.close();
  });

  it('puts a row on disk within 250 ms without being asked to flush', async () => {
    const { recorder, count } = await newRecording();
    await new Promise((resolve) => setTimeout(resolve, 30)); // land somewhere inside a flush interval
    recorder.message(1, 'a', 'b', 't', 'x', 1, 0, null, 'lost', null, false);
    recorder.event(0, 'a', 'up', null);
    const elapsed = await waitFor(() => count('messages') === 1 && count('events') === 1, 1000);
    expect(elapsed).toBeLessThan(250);
    await recorder.close();
  });

  it('sends a full buffer and node starts at once, without waiting for the interval', async () => {
    const { recorder, count } = await newRecording({ flushIntervalMs: 60_000, maxBatchRows: 500 });
    recorder.nodeStarted('n1', 0, 4321, '99', ['node', 'n.js'], 0);
    await waitFor(() => count('nodes') === 1, 1000);
    for (let i = 0; i < 499; i++) recorder.metric(i, 'n1', 'm', i);
    recorder.metric(499, 'n1', 'm', 499);
    await waitFor(() => count('metrics') === 500, 1000);
    await recorder.close();
  });

  it('keeps symbols right past the point where the symbol table starts over', async () => {
    const { db, runId, recorder } = await newRecording({ maxBatchRows: 4096 });
    const TYPES = 70_000; // more distinct strings than the symbol table holds
    for (let i = 0; i < TYPES; i++) recorder.message(i, 'n1', 'n2', `type-${i}`, '', 0, i, null, 'lost', null, false);
    recorder.message(TYPES, 'n1', 'n2', 'type-3', '', 0, TYPES, null, 'lost', null, false);
    await recorder.close();
    const mismatched = db
      .prepare("SELECT COUNT(*) FROM messages WHERE run_id = ? AND id < ? AND type != 'type-' || id")
      .pluck()
      .get(runId, TYPES);
    expect(mismatched).toBe(0);
    expect(db.prepare('SELECT type, src FROM messages WHERE run_id = ? AND id = ?').get(runId, TYPES)).toEqual({ type: 'type-3', src: 'n1' });
  });

  it('close() is idempotent, and a row after close is refused rather than lost', async () => {
    const { recorder } = await newRecording();
    recorder.metric(0, 'n1', 'm', 1);
    const closing = recorder.close();
    expect(recorder.close()).toBe(closing);
    await closing;
    expect(() => recorder.metric(1, 'n1', 'm', 1)).toThrow(/closed/);
  });

  it('surfaces a failed write: the error event, the next flush() and close() all report it', async () => {
    const { path, recorder, count } = await newRecording();
    const errors: Error[] = [];
    recorder.on('error', (err) => errors.push(err));
    recorder.message(1, 'a', 'b', 't', 'x', 1, 0, null, 'lost', null, false);
    await recorder.flush();

    // Another connection makes every insert into messages fail, as a full disk would.
    const saboteur = new Database(path);
    saboteur.exec("CREATE TRIGGER no_space BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    saboteur.close();
    recorder.message(2, 'a', 'b', 't', 'x', 1, 1, null, 'lost', null, false);

    await expect(recorder.flush()).rejects.toThrow('database or disk is full');
    expect(errors.map((e) => e.message)).toEqual(['database or disk is full']);
    expect(recorder.rowsWritten).toBe(1);
    expect(recorder.pendingRows).toBe(1);
    expect(count('messages')).toBe(1);
    await expect(recorder.close()).rejects.toThrow('database or disk is full');
  });

  it('reports a worker that died, and close() still finishes', async () => {
    const { recorder } = await newRecording();
    recorder.metric(0, 'n1', 'm', 1);
    await recorder.flush();
    // Reach the private worker to simulate a crash of the thread itself.
    await (recorder as unknown as { worker: Worker }).worker.terminate();
    recorder.metric(1, 'n1', 'm', 2);
    await expect(recorder.flush()).rejects.toThrow(/recorder worker exited unexpectedly/);
    await expect(recorder.close()).rejects.toThrow(/recorder worker exited unexpectedly/);
    expect(recorder.rowsWritten).toBe(1);
  });

  it('fails to start on a file that is not a Distlab database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'distlab-recorder-')), 'notes.db');
    writeFileSync(path, 'just some notes, not a database\n'.repeat(10));
    await expect(Recorder.start(path, 1)).rejects.toThrow(`${path} is corrupt or not an SQLite database`);
  });

  it('records the next run with the same warm worker, into its own database', async () => {
    const first = await newRecording();
    const firstWorker = (first.recorder as unknown as { worker: Worker }).worker;
    first.recorder.metric(0, 'n1', 'm', 1);
    await first.recorder.close();
    const second = await newRecording();
    expect((second.recorder as unknown as { worker: Worker }).worker).toBe(firstWorker);
    second.recorder.metric(0, 'n1', 'm', 2);
    second.recorder.metric(1, 'n1', 'm', 3);
    await second.recorder.close();
    expect(first.count('metrics')).toBe(1);
    expect(second.count('metrics')).toBe(2);
    expect(second.reader.prepare('SELECT value FROM metrics WHERE run_id = ? ORDER BY t_us').pluck().all(second.runId)).toEqual([2, 3]);
  });

  it('copies the run into the database file after it is recorded: the .db alone then holds it', async () => {
    // As a simulation records: checkpoints every 64 MB while it runs.
    const { path, recorder, reader, db } = await newRecording({ flushIntervalMs: 60_000, checkpointEveryPages: SIMULATION_CHECKPOINT_PAGES });
    // About 6 MB of rows: past SQLite's own 4 MB checkpoint, short of the simulation's 64 MB.
    const body = 'x'.repeat(200);
    for (let i = 0; i < 30_000; i++) recorder.message(i, 'n1', 'n2', 'ping', body, body.length, i, i + 1, 'delivered', null, false);
    await recorder.close();
    // Nobody else checkpoints: the test's connections only read, and stay open.
    const copy = join(mkdtempSync(join(tmpdir(), 'distlab-recorder-copy-')), 'alone.db');
    const rowsInFileAlone = () => {
      writeFileSync(copy, readFileSync(path));
      const alone = new Database(copy, { readonly: true });
      try {
        return alone.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number;
      } catch {
        return -1; // not even the schema is in the file yet
      } finally {
        alone.close();
      }
    };
    await waitFor(() => rowsInFileAlone() === 30_000, 5000);
    reader.close();
    db.close();
  });

  it('records in the background while the worker opens the database, and a failed open is reported at close', async () => {
    const { path, runId, count } = await newRecording();
    const background = Recorder.startInBackground(path, runId);
    background.event(5, 'n1', 'recv', { from: 'n2' }, 1, { n1: 1 });
    await background.close();
    expect(count('events')).toBe(1);

    const notes = join(mkdtempSync(join(tmpdir(), 'distlab-recorder-')), 'notes.db');
    writeFileSync(notes, 'just some notes, not a database\n'.repeat(10));
    const failing = Recorder.startInBackground(notes, 1);
    const errors: Error[] = [];
    failing.on('error', (error) => errors.push(error));
    failing.metric(0, 'n1', 'm', 1);
    await expect(failing.close()).rejects.toThrow(`${notes} is corrupt or not an SQLite database`);
    expect(errors[0]?.message).toContain('is corrupt or not an SQLite database');
    // The failed worker was ended, not kept: the next recording gets a working one.
    const next = await newRecording();
    next.recorder.metric(0, 'n1', 'm', 1);
    await next.recorder.close();
    expect(next.count('metrics')).toBe(1);
  });
});
