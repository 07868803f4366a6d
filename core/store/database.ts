// Opening a Distlab database: recognise the file before touching it, then set it up.
// A file that is not ours is only ever opened read-only, so refusing it cannot change its bytes.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { basename, dirname, join } from 'node:path';
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

/**
 * The database (or its folder) cannot be written by this process: it can still be read
 * (openDatabase with readonly), but nothing can be recorded in it.
 */
export class DatabaseReadOnlyError extends DatabaseError {
  /** Why, without the path: e.g. "permission denied", "its folder is not writable". */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(path, `cannot be written (${reason})`);
    this.name = 'DatabaseReadOnlyError';
    this.reason = reason;
  }
}

/** An error that means "this file or its folder cannot be written", from SQLite or the file system. */
export function isReadOnlyFailure(error: unknown): boolean {
  if (error instanceof DatabaseReadOnlyError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_AUTH' ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  );
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
  return openReadOnly(path);
}

/**
 * A read-only connection that has read the schema. A WAL database needs its -shm file to
 * be read; when that cannot be created (a read-only folder) and there is no WAL content
 * beside the file, the file alone is the whole database: it is read into memory and
 * opened from there (as a rollback-journal image, so that SQLite does not look for a WAL).
 */
function openReadOnly(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { ...sqliteOptions(), readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db?.close();
    if (!isReadOnlyFailure(err)) throw err;
    return openImage(path, err as Error);
  }
}

function openImage(path: string, cause: Error): Database.Database {
  const walBytes = fileSize(`${path}-wal`);
  if (walBytes > 0) {
    throw new DatabaseError(
      path,
      `cannot be read: SQLite cannot open it read-only (${cause.message}) and ${path}-wal holds changes not yet written into it; make its folder writable`,
    );
  }
  const size = fileSize(path);
  if (size > bufferConstants.MAX_LENGTH) {
    throw new DatabaseError(path, `cannot be read: SQLite cannot open it read-only (${cause.message}) and it is too large to read into memory; make its folder writable`);
  }
  let image: Buffer;
  try {
    image = readFileSync(path);
  } catch (err) {
    throw new DatabaseError(path, `cannot be read (${(err as Error).message})`);
  }
  // Bytes 18 and 19 of the header: 2 = WAL, 1 = rollback journal. The image is private to this connection.
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
  return new Database(image, { ...sqliteOptions(), readonly: true });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function openForWriting(path: string): Database.Database {
  makeFolder(path);
  checkWritable(path);
  let db: Database.Database;
  try {
    db = new Database(path, sqliteOptions());
  } catch (err) {
    throw isReadOnlyFailure(err) ? new DatabaseReadOnlyError(path, readOnlyReason(path, err)) : err;
  }
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
    throw isReadOnlyFailure(err) ? new DatabaseReadOnlyError(path, readOnlyReason(path, err)) : err;
  }
  return db;
}

function makeFolder(path: string): void {
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new DatabaseError(path, `cannot be created: ${folder} is not a folder`);
    if (isReadOnlyFailure(err)) throw new DatabaseReadOnlyError(path, `its folder ${folder} cannot be created: ${(err as Error).message}`);
    throw new DatabaseError(path, `cannot be created: its folder ${folder} cannot be made (${(err as Error).message})`);
  }
}

/**
 * SQLite quietly opens a file it may not write read-only, and fails only at the first write:
 * try the file the way SQLite will (read-write), so that a read-only one is named up front.
 */
function checkWritable(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (isReadOnlyFailure(err)) throw new DatabaseReadOnlyError(path, describeFsError(err as NodeJS.ErrnoException));
    throw new DatabaseError(path, `cannot be opened (${(err as Error).message})`);
  }
  closeSync(fd);
}

function readOnlyReason(path: string, err: unknown): string {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_READONLY_DIRECTORY' || (code.startsWith('SQLITE_CANTOPEN') && existsSync(dirname(path)))) {
    return `its folder ${dirname(path)} is not writable`;
  }
  return (err as Error).message;
}

function describeFsError(err: NodeJS.ErrnoException): string {
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EPERM') return 'the file is protected (operation not permitted)';
  if (err.code === 'EROFS') return 'it is on a read-only file system';
  return err.message;
}

/** Looks at an existing file without writing to it. */
function inspectFile(path: string): Identity | { kind: 'missing' } {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') throw new DatabaseError(path, `cannot be used: a part of the path before ${basename(path)} is a file, not a folder`);
    throw new DatabaseError(path, `cannot be opened (${(err as Error).message})`);
  }
  if (stats.isDirectory()) throw new DatabaseError(path, `is a folder, not a database file; give the path of a file in it, e.g. ${join(path, 'distlab.db')}`);
  if (!stats.isFile()) throw new DatabaseError(path, 'is not a regular file; give the path of a database file');
  // An empty main file with a WAL beside it may hold committed pages: let SQLite read them.
  const size = stats.size;
  if (size === 0 && !existsSync(`${path}-wal`)) return { kind: 'blank' };
  if (size > 0 && readHeader(path) !== SQLITE_MAGIC) {
    throw new DatabaseError(path, 'is corrupt or not an SQLite database; refusing to touch it');
  }
  let db: Database.Database | undefined;
  try {
    db = openReadOnly(path);
    return identify(db);
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseError(path, `is corrupt or not an SQLite database (${reason}); refusing to touch it`);
  } finally {
    db?.close();
  }
}

function readHeader(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DatabaseError(path, `cannot be read (${describeFsError(err as NodeJS.ErrnoException)})`);
  }
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
