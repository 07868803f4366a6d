// Opening a Distlab database: recognise the file before touching it, then set it up.
// A file that is not ours is only ever opened read-only, so refusing it cannot change its bytes.

import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DISTLAB_APPLICATION_ID, SCHEMA_VERSION, migrate, readSchemaVersion } from './schema.js';
import { sqliteOptions } from './sqlite-options.js';

/** The file cannot be used as a Distlab database; the message names the file and why. */
export class DatabaseError extends Error {
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`${path} ${reason}`);
    this.name = 'DatabaseError';
    this.path = path;
  }
}

export interface OpenOptions {
  /** Open an existing Distlab database for reading only (no setup, no migrations). */
  readonly?: boolean;
}

const BUSY_TIMEOUT_MS = 5000;
const SQLITE_MAGIC = 'SQLite format 3\0';

type Identity =
  | { kind: 'blank' }
  | { kind: 'distlab'; version: number }
  | { kind: 'foreign'; tables: string[]; applicationId: number };

export function openDatabase(path: string, opts: OpenOptions = {}): Database.Database {
  const found = inspectFile(path);
  if (found.kind === 'foreign') throw foreignError(path, found);
  if (found.kind === 'distlab' && found.version > SCHEMA_VERSION) {
    throw new DatabaseError(
      path,
      `has schema version ${found.version}, newer than this Distlab understands (${SCHEMA_VERSION}); refusing to touch it`,
    );
  }
  return opts.readonly ? openForReading(path, found) : openForWriting(path);
}

function openForReading(path: string, found: Identity | { kind: 'missing' }): Database.Database {
  if (found.kind === 'missing') throw new DatabaseError(path, 'does not exist');
  if (found.kind !== 'distlab' || found.version === 0) {
    throw new DatabaseError(path, 'is not initialised yet; nothing has been recorded in it');
  }
  if (found.version < SCHEMA_VERSION) {
    throw new DatabaseError(path, `has schema version ${found.version}; open it once for writing to upgrade it`);
  }
  const db = new Database(path, { ...sqliteOptions(), readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

function openForWriting(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, sqliteOptions());
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // IMMEDIATE: two engines opening a new file at once must not both initialise it.
    db.transaction(() => {
      const now = identify(db);
      if (now.kind === 'foreign') throw foreignError(path, now);
      if (now.kind === 'blank') db.pragma(`application_id = ${DISTLAB_APPLICATION_ID}`);
      const version = now.kind === 'distlab' ? now.version : 0;
      if (version < SCHEMA_VERSION) migrate(db, version);
    }).immediate();
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Looks at an existing file without writing to it. */
function inspectFile(path: string): Identity | { kind: 'missing' } {
  if (!existsSync(path)) return { kind: 'missing' };
  // An empty main file with a WAL beside it may hold committed pages: let SQLite read them.
  const size = statSync(path).size;
  if (size === 0 && !existsSync(`${path}-wal`)) return { kind: 'blank' };
  if (size > 0 && readHeader(path) !== SQLITE_MAGIC) {
    throw new DatabaseError(path, 'is corrupt or not an SQLite database; refusing to touch it');
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { ...sqliteOptions(), readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return identify(db);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseError(path, `is corrupt or not an SQLite database (${reason}); refusing to touch it`);
  } finally {
    db?.close();
  }
}

function readHeader(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function identify(db: Database.Database): Identity {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId === DISTLAB_APPLICATION_ID) return { kind: 'distlab', version: readSchemaVersion(db) };
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((row) => row.name);
  if (applicationId === 0 && tables.length === 0) return { kind: 'blank' };
  return { kind: 'foreign', tables, applicationId };
}

function foreignError(path: string, found: { tables: string[]; applicationId: number }): DatabaseError {
  const what =
    found.tables.length > 0
      ? `it has tables: ${found.tables.join(', ')}`
      : `its application_id is 0x${found.applicationId.toString(16)}`;
  return new DatabaseError(path, `is not a Distlab database (${what}); refusing to touch it`);
}
