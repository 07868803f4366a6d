import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect } from 'vitest';
import { DatabaseError, openDatabase } from '../../core/store/database.js';
import { defaultDatabasePath } from '../../core/store/default-path.js';
import { getRun, listRuns, messageCounts, nodeProcesses, operationStats } from '../../core/store/queries.js';
import { createRun, finishRun, markInterruptedRuns } from '../../core/store/runs.js';
import { DISTLAB_APPLICATION_ID, SCHEMA_VERSION } from '../../core/store/schema.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'distlab-store-'));
}

function newRun(db: Database.Database, name = 'r', startedAtMs = 1_700_000_000_000, enginePid = 4242): number {
  return createRun(db, { name, experiment: { name, nodes: 3 }, seed: 7, startedAtMs, enginePid, engineStartTime: '999' });
}

describe('openDatabase', () => {
  it('initialises a new file in a new folder: WAL, our application id, schema version, every table', () => {
    const path = join(tempDir(), 'a', 'b', 'distlab.db');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(DISTLAB_APPLICATION_ID);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['events', 'faults', 'logs', 'messages', 'meta', 'metrics', 'nodes', 'operations', 'runs', 'sweep_runs', 'sweeps']);
    db.close();
  });

  it('reopens its own file with the data still there, for writing and for reading', () => {
    const path = join(tempDir(), 'distlab.db');
    const first = openDatabase(path);
    const runId = newRun(first, 'kept');
    first.close();

    const again = openDatabase(path);
    expect(getRun(again, runId).name).toBe('kept');
    again.close();
    const reader = openDatabase(path, { readonly: true });
    expect(getRun(reader, runId).experiment).toEqual({ name: 'kept', nodes: 3 });
    expect(() => newRun(reader)).toThrow(/readonly/i);
    reader.close();
  });

  it('initialises an empty existing file', () => {
    const path = join(tempDir(), 'empty.db');
    writeFileSync(path, '');
    const db = openDatabase(path);
    expect(db.pragma('application_id', { simple: true })).toBe(DISTLAB_APPLICATION_ID);
    db.close();
  });

  it('refuses another application’s SQLite file, names its tables, and leaves its bytes alone', () => {
    const dir = tempDir();
    const path = join(dir, 'distlab.db');
    const foreign = new Database(path);
    foreign.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ada');");
    foreign.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY)');
    foreign.close();
    const before = readFileSync(path);

    expect(() => openDatabase(path)).toThrow(DatabaseError);
    expect(() => openDatabase(path)).toThrow(
      `${path} is not a Distlab database (it has tables: orders, users); refusing to touch it`,
    );
    expect(() => openDatabase(path, { readonly: true })).toThrow(DatabaseError);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['distlab.db']);
  });

  it('refuses an SQLite file with another application id even without tables', () => {
    const path = join(tempDir(), 'other.db');
    const foreign = new Database(path);
    foreign.pragma('application_id = 12345');
    foreign.close();
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrow(/is not a Distlab database \(its application_id is 0x3039\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite at all, and leaves its bytes alone', () => {
    const path = join(tempDir(), 'distlab.db');
    writeFileSync(path, 'name,age\nada,36\n'.repeat(500));
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    expect(() => openDatabase(path)).toThrow(`${path} is corrupt or not an SQLite database; refusing to touch it`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses an SQLite header followed by garbage, and leaves its bytes alone', () => {
    const dir = tempDir();
    const path = join(dir, 'broken.db');
    const garbage = Buffer.alloc(8192, 0xab);
    garbage.write('SQLite format 3\0', 0, 'latin1');
    writeFileSync(path, garbage);
    expect(() => openDatabase(path)).toThrow(/broken\.db is corrupt or not an SQLite database \(.+\); refusing/);
    expect(readFileSync(path).equals(garbage)).toBe(true);
    expect(readdirSync(dir)).toEqual(['broken.db']);
  });

  it('will not open a missing file read-only', () => {
    const path = join(tempDir(), 'missing.db');
    expect(() => openDatabase(path, { readonly: true })).toThrow(`${path} does not exist`);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });
});

describe('runs', () => {
  it('creates a running run and finishes it with its summary', () => {
    const db = openDatabase(join(tempDir(), 'runs.db'));
    const runId = newRun(db, 'echo', 1_700_000_000_000);
    expect(getRun(db, runId)).toMatchObject({ status: 'running', endedAtMs: null, enginePid: 4242, engineStartTime: '999' });

    finishRun(db, runId, {
      status: 'completed',
      endedAtMs: 1_700_000_010_000,
      durationMs: 10_000,
      summary: { checks: { echo: { valid: true }, order: { valid: false } } },
    });
    expect(getRun(db, runId)).toMatchObject({
      status: 'completed',
      endedAtMs: 1_700_000_010_000,
      durationMs: 10_000,
      checks: { total: 2, passed: 1, failed: 1 },
      summary: { checks: { echo: { valid: true }, order: { valid: false } } },
    });
    expect(() => finishRun(db, 999, { status: 'failed', endedAtMs: 0, durationMs: 0, summary: null })).toThrow(
      /no run 999 in .*runs\.db/,
    );
  });

  it('marks runs interrupted only when their engine is gone, with the time of their last row', () => {
    const db = openDatabase(join(tempDir(), 'interrupted.db'));
    const started = 1_700_000_000_000;
    const alive = newRun(db, 'alive engine', started, 111);
    const deadWithRows = newRun(db, 'dead engine', started, 222);
    const deadEmpty = newRun(db, 'dead, nothing recorded', started, 333);
    const done = newRun(db, 'completed', started, 222);
    finishRun(db, done, { status: 'completed', endedAtMs: started + 1, durationMs: 1, summary: {} });
    db.prepare("INSERT INTO events (run_id, t_us, node, kind) VALUES (?, 2500000, 'n1', 'up')").run(deadWithRows);
    db.prepare(
      `INSERT INTO messages (run_id, id, src, dest, type, body, bytes, t_send_us, fate, corrupted)
       VALUES (?, 1, 'n1', 'n2', 'x', '{}', 2, 4000000, 'lost', 0), (?, 2, 'n1', 'n2', 'x', '{}', 2, 5250000, 'lost', 0)`,
    ).run(deadWithRows, deadWithRows);

    const asked: Array<[number, string | null]> = [];
    const interrupted = markInterruptedRuns(db, (pid, startTime) => {
      asked.push([pid, startTime]);
      return pid === 111;
    });

    expect(interrupted.sort()).toEqual([deadWithRows, deadEmpty].sort());
    expect(asked).toContainEqual([111, '999']);
    expect(getRun(db, alive).status).toBe('running');
    expect(getRun(db, deadWithRows)).toMatchObject({ status: 'interrupted', endedAtMs: started + 5250 });
    expect(getRun(db, deadEmpty)).toMatchObject({ status: 'interrupted', endedAtMs: null });
    expect(getRun(db, done).status).toBe('completed');
    expect(markInterruptedRuns(db, () => false)).toEqual([alive]);
  });
});

describe('queries', () => {
  it('lists runs newest first', () => {
    const db = openDatabase(join(tempDir(), 'list.db'));
    const older = newRun(db, 'older', 1_000);
    const newer = newRun(db, 'newer', 2_000);
    expect(listRuns(db).map((run) => [run.id, run.name, run.checks])).toEqual([
      [newer, 'newer', null],
      [older, 'older', null],
    ]);
    expect(listRuns(db)[0]).toEqual({
      id: newer,
      name: 'newer',
      status: 'running',
      startedAtMs: 2_000,
      endedAtMs: null,
      durationMs: null,
      seed: 7,
      checks: null,
      messages: null,
      warnings: [],
      originRunId: null,
      label: null,
      note: null,
      differs: null,
    });
  });

  it('tells runs of one experiment apart by what differs from the run before', () => {
    const db = openDatabase(join(tempDir(), 'differs.db'));
    const make = (nodes: number, at: number) => createRun(db, { name: 'fd', experiment: { name: 'fd', nodes }, seed: 7, startedAtMs: at, enginePid: 1, engineStartTime: '1' });
    const first = make(3, 1_000);
    const second = make(5, 2_000);
    const other = newRun(db, 'raft', 3_000);
    const differs = Object.fromEntries(listRuns(db).map((r) => [r.id, r.differs]));
    expect(differs).toEqual({ [first]: null, [second]: 'nodes 3 → 5', [other]: null });
  });

  it('names the file when a run is missing', () => {
    const path = join(tempDir(), 'missing-run.db');
    const db = openDatabase(path);
    expect(() => getRun(db, 17)).toThrow(`no run 17 in ${path}`);
  });

  it('counts messages by fate the way the switch does, per run', () => {
    const db = openDatabase(join(tempDir(), 'counts.db'));
    const runId = newRun(db);
    const other = newRun(db);
    const insert = db.prepare(
      `INSERT INTO messages (run_id, id, src, dest, type, body, bytes, t_send_us, fate, dup_of, corrupted)
       VALUES (?, ?, 'n1', 'n2', 't', '{}', 2, 0, ?, ?, ?)`,
    );
    const rows: Array<[string, number | null, number]> = [
      ['delivered', null, 0],
      ['delivered', null, 0],
      ['corrupted', null, 1],
      ['delivered', 1, 0],
      ['corrupted', 2, 1],
      ['lost', null, 0],
      ['partitioned', null, 0],
      ['undeliverable', null, 0],
      ['undeliverable', 3, 0],
      ['overflow', null, 0],
      ['in-flight-at-end', null, 0],
      ['in-flight-at-end', 4, 0],
    ];
    rows.forEach(([fate, dupOf, corrupted], i) => insert.run(runId, i + 1, fate, dupOf, corrupted));
    insert.run(other, 1, 'lost', null, 0);

    // One fate per row: originals (sent) and copies (duplicated) together make every row.
    expect(messageCounts(db, runId)).toEqual({
      sent: 8,
      duplicated: 4,
      delivered: 3,
      corrupted: 2,
      lost: 1,
      partitioned: 1,
      undeliverable: 2,
      overflow: 1,
      inFlightAtEnd: 2,
    });
  });

  it('summarises operations with latency quantiles over the ok ones, in ms', () => {
    const db = openDatabase(join(tempDir(), 'ops.db'));
    const runId = newRun(db);
    expect(operationStats(db, runId)).toEqual({ total: 0, ok: 0, fail: 0, timeout: 0, latencyMs: null });
    const insert = db.prepare(
      `INSERT INTO operations (run_id, client, node, op, t_invoke_us, t_complete_us, outcome)
       VALUES (?, 'c1', 'n1', 'echo', ?, ?, ?)`,
    );
    // ok latencies 1 ms .. 100 ms, plus slow failures and timeouts that must not count.
    for (let i = 1; i <= 100; i++) insert.run(runId, i * 1_000_000, i * 1_000_000 + i * 1000, 'ok');
    insert.run(runId, 0, 900_000_000, 'fail');
    insert.run(runId, 0, null, 'timeout');
    insert.run(runId, 5, 1505, 'ok'); // 1.5 ms

    expect(operationStats(db, runId)).toEqual({
      total: 103,
      ok: 101,
      fail: 1,
      timeout: 1,
      latencyMs: { p50: 50, p95: 95, p99: 99, max: 100 },
    });
  });

  it('lists node processes with their command and exit', () => {
    const db = openDatabase(join(tempDir(), 'nodes.db'));
    const runId = newRun(db);
    db.prepare(
      `INSERT INTO nodes (run_id, node, incarnation, pid, pid_start_time, command_json, t_start_us, t_exit_us, exit_code, signal)
       VALUES (?, 'n1', 0, 100, '55', '["node","echo.js"]', 10, 900, NULL, 'SIGKILL'),
              (?, 'n1', 1, 101, '56', '["node","echo.js"]', 1000, NULL, NULL, NULL)`,
    ).run(runId, runId);
    expect(nodeProcesses(db, runId)).toEqual([
      { node: 'n1', incarnation: 0, pid: 100, pidStartTime: '55', command: ['node', 'echo.js'], tStartUs: 10, tExitUs: 900, exitCode: null, signal: 'SIGKILL' },
      { node: 'n1', incarnation: 1, pid: 101, pidStartTime: '56', command: ['node', 'echo.js'], tStartUs: 1000, tExitUs: null, exitCode: null, signal: null },
    ]);
  });
});

describe('defaultDatabasePath', () => {
  it('uses the folder Electron gives an app named Distlab on each platform', () => {
    expect(defaultDatabasePath({}, 'linux', '/home/ada')).toBe('/home/ada/.config/Distlab/distlab.db');
    expect(defaultDatabasePath({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/Distlab/distlab.db');
    expect(defaultDatabasePath({}, 'darwin', '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/Distlab/distlab.db',
    );
    expect(defaultDatabasePath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Distlab\\distlab.db',
    );
  });

  it('lets DISTLAB_DB override it', () => {
    expect(defaultDatabasePath({ DISTLAB_DB: '/data/lab.db', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/data/lab.db');
  });
});

describe('schema migrations', () => {
  it('brings a version 1 file up to date, keeping its rows', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'distlab-migrate-')), 'old.db');
    const fresh = openDatabase(path);
    const runId = createRun(fresh, { name: 'old', experiment: {}, seed: 1, startedAtMs: 1, enginePid: 1, engineStartTime: null });
    fresh.prepare("insert into events (run_id, t_us, node, kind, detail_json) values (?, 5, 'n1', 'up', '{}')").run(runId);
    // Turn it back into what version 1 wrote.
    fresh.exec("alter table events drop column lamport; alter table events drop column vc_json; update meta set value = '1' where key = 'schema_version'");
    fresh.close();

    const db = openDatabase(path);
    expect(db.prepare("select value from meta where key = 'schema_version'").pluck().get()).toBe(String(SCHEMA_VERSION));
    expect(SCHEMA_VERSION).toBe(6);
    const columns = (db.prepare('pragma table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['run_id', 't_us', 'node', 'kind', 'detail_json', 'lamport', 'vc_json']);
    expect(db.prepare('select kind, lamport from events').get()).toEqual({ kind: 'up', lamport: null });
    db.close();
  });

  it('gives the extra copies of a version 2 file their own fate (v3)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'distlab-migrate-')), 'v2.db');
    const fresh = openDatabase(path);
    const runId = createRun(fresh, { name: 'v2', experiment: {}, seed: 1, startedAtMs: 1, enginePid: 1, engineStartTime: null });
    const insert = fresh.prepare("insert into messages (run_id, id, src, dest, type, body, bytes, t_send_us, t_deliver_us, fate, dup_of, corrupted) values (?, ?, 'n1', 'n2', 't', '{}', 2, 0, 5, ?, ?, ?)");
    insert.run(runId, 1, 'delivered', null, 0);
    insert.run(runId, 2, 'duplicated', 1, 0);
    insert.run(runId, 3, 'duplicated', 1, 1);
    fresh.exec("update meta set value = '2' where key = 'schema_version'");
    fresh.close();

    const db = openDatabase(path);
    expect(db.prepare('select id, fate, dup_of from messages order by id').all()).toEqual([
      { id: 1, fate: 'delivered', dup_of: null },
      { id: 2, fate: 'delivered', dup_of: 1 },
      { id: 3, fate: 'corrupted', dup_of: 1 },
    ]);
    db.close();
  });
});
