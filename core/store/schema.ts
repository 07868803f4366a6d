// The recording's tables, their value vocabularies, and the migrations that build them.
// Every table is keyed by run_id so one file holds many runs.
// Times inside a run are integer µs since the run's start; wall-clock times are epoch ms.

import type Database from 'better-sqlite3';

/** Written to the SQLite header (PRAGMA application_id) so we can recognise our files: "DLAB". */
export const DISTLAB_APPLICATION_ID = 0x444c4142;

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Every row of `messages` (an original message, or an extra copy the network made, which
 * carries `dup_of`) has exactly one fate. See docs/record.md.
 */
export const MESSAGE_FATES = [
  /** Written to the destination's socket or stdin (or handed to a client) as sent. */
  'delivered',
  /** Written to the destination with a body altered in transit. */
  'corrupted',
  /** Dropped by the link's loss model. */
  'lost',
  /** Dropped because a partition or a one-way cut separated the two ends. */
  'partitioned',
  /** Dropped by a full bandwidth queue, or by the destination's full inbound queue (a node that does not read). */
  'overflow',
  /** An unknown destination, or one that was down (not started, crashed, killed). */
  'undeliverable',
  /** Still queued in the switch, or not yet written to its destination, when the run's traffic ended. */
  'in-flight-at-end',
] as const;
export type MessageFate = (typeof MESSAGE_FATES)[number];

export type FaultSource = 'schedule' | 'live';
export type LogStream = 'stderr' | 'stdout' | 'engine';
export type OperationOutcome = 'ok' | 'fail' | 'timeout';

const V1 = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL,
  experiment_json   TEXT NOT NULL,
  seed              INTEGER,
  started_at_ms     INTEGER NOT NULL,
  ended_at_ms       INTEGER,
  duration_ms       INTEGER,
  status            TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  engine_pid        INTEGER,
  engine_start_time TEXT,
  summary_json      TEXT
);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE nodes (
  run_id         INTEGER NOT NULL,
  node           TEXT NOT NULL,
  incarnation    INTEGER NOT NULL,
  pid            INTEGER,
  pid_start_time TEXT,
  command_json   TEXT NOT NULL,
  t_start_us     INTEGER NOT NULL,
  t_exit_us      INTEGER,
  exit_code      INTEGER,
  signal         TEXT,
  PRIMARY KEY (run_id, node, incarnation)
);

-- The hot tables carry no constraints beyond NOT NULL and one index each: inserts must stay cheap.
CREATE TABLE messages (
  run_id       INTEGER NOT NULL,
  id           INTEGER NOT NULL,
  src          TEXT NOT NULL,
  dest         TEXT NOT NULL,
  type         TEXT NOT NULL,
  body         TEXT NOT NULL,
  bytes        INTEGER NOT NULL,
  t_send_us    INTEGER NOT NULL,
  t_deliver_us INTEGER,
  fate         TEXT NOT NULL,
  dup_of       INTEGER,
  corrupted    INTEGER NOT NULL
);
CREATE INDEX messages_by_run_id ON messages (run_id, id);

CREATE TABLE faults (
  run_id      INTEGER NOT NULL,
  t_us        INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  detail_json TEXT,
  source      TEXT NOT NULL
);
CREATE INDEX faults_by_run_time ON faults (run_id, t_us);

CREATE TABLE events (
  run_id      INTEGER NOT NULL,
  t_us        INTEGER NOT NULL,
  node        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  detail_json TEXT
);
CREATE INDEX events_by_run_time ON events (run_id, t_us);

CREATE TABLE logs (
  run_id INTEGER NOT NULL,
  t_us   INTEGER NOT NULL,
  node   TEXT NOT NULL,
  stream TEXT NOT NULL,
  line   TEXT NOT NULL
);
CREATE INDEX logs_by_run_time ON logs (run_id, t_us);

CREATE TABLE operations (
  run_id        INTEGER NOT NULL,
  client        TEXT NOT NULL,
  node          TEXT NOT NULL,
  op            TEXT NOT NULL,
  t_invoke_us   INTEGER NOT NULL,
  t_complete_us INTEGER,
  outcome       TEXT NOT NULL,
  detail_json   TEXT
);
CREATE INDEX operations_by_run_time ON operations (run_id, t_invoke_us);

CREATE TABLE metrics (
  run_id INTEGER NOT NULL,
  t_us   INTEGER NOT NULL,
  node   TEXT NOT NULL,
  name   TEXT NOT NULL,
  value  REAL
);
CREATE INDEX metrics_by_run_time ON metrics (run_id, t_us);
`;

/** v2: events carry the node's logical clocks, for space-time diagrams. */
const V2 = `
ALTER TABLE events ADD COLUMN lamport INTEGER;
ALTER TABLE events ADD COLUMN vc_json TEXT;
`;

/**
 * v3: one fate per row. Extra copies used to carry the fate 'duplicated' when delivered;
 * they now carry what happened to them, like any row, and are told apart by dup_of.
 */
const V3 = `
UPDATE messages SET fate = CASE WHEN corrupted = 1 THEN 'corrupted' ELSE 'delivered' END WHERE fate = 'duplicated';
-- Opening a run reads its few non-receive events without scanning the many receives,
-- and downsamples each metric series in index order instead of sorting it.
CREATE INDEX IF NOT EXISTS events_except_receives ON events (run_id, t_us) WHERE kind <> 'recv';
CREATE INDEX IF NOT EXISTS metrics_by_series ON metrics (run_id, node, name, t_us, value);
`;

/** v4: sweeps, each a group of runs over combinations of parameter values. */
const V4 = `
CREATE TABLE IF NOT EXISTS sweeps (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  plan_json     TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  ended_at_ms   INTEGER,
  status        TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted'))
);
CREATE TABLE IF NOT EXISTS sweep_runs (
  sweep_id    INTEGER NOT NULL,
  run_id      INTEGER NOT NULL,
  combination INTEGER NOT NULL,
  values_json TEXT NOT NULL,
  repeat      INTEGER NOT NULL,
  PRIMARY KEY (sweep_id, run_id)
);
`;

/** v5: a run started from another (Run again, Run with changes) names its origin. Idempotent, as SQLite has no ADD COLUMN IF NOT EXISTS. */
function V5(db: Database.Database): void {
  const columns = (db.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>).map((c) => c.name);
  if (!columns.includes('origin_run_id')) db.exec('ALTER TABLE runs ADD COLUMN origin_run_id INTEGER');
}

/** v6: a label and a note the person gives a run, to tell runs apart. */
function V6(db: Database.Database): void {
  const columns = (db.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>).map((c) => c.name);
  if (!columns.includes('label')) db.exec('ALTER TABLE runs ADD COLUMN label TEXT');
  if (!columns.includes('note')) db.exec('ALTER TABLE runs ADD COLUMN note TEXT');
}

/** MIGRATIONS[v - 1] takes a database from schema version v - 1 to v. */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [(db) => db.exec(V1), (db) => db.exec(V2), (db) => db.exec(V3), (db) => db.exec(V4), V5, V6];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version recorded in a Distlab file, or 0 for a file not yet initialised. */
export function readSchemaVersion(db: Database.Database): number {
  const hasMeta = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
    .get();
  if (!hasMeta) return 0;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
    | { value: string }
    | undefined;
  return row ? Number(row.value) : 0;
}

/** Runs every missing migration; the caller holds a write transaction. */
export function migrate(db: Database.Database, fromVersion: number): void {
  for (let version = fromVersion + 1; version <= SCHEMA_VERSION; version++) {
    MIGRATIONS[version - 1](db);
  }
  db.prepare(
    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) " +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(String(SCHEMA_VERSION));
}
