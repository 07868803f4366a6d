import type Database from 'better-sqlite3';
import { isReadOnlyFailure, openDatabase } from '../store/database.js';
import { markInterruptedRuns } from '../store/runs.js';
import { isSameProcessAlive } from './process-identity.js';
import { reapOrphans } from './reaper.js';

export interface OpenStoreOptions {
  /**
   * The caller only reads (runs, export, compare): when the database or its folder cannot
   * be written, open it read-only instead of failing. The housekeeping below needs to write,
   * so it is skipped then (a run whose engine died stays `running` until the next writable open).
   */
  forReading?: boolean;
}

/**
 * Opens the run database the way every engine start must: runs whose engine died are
 * marked interrupted, and node processes they left behind are reaped.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = openDatabase(path);
    markInterruptedRuns(db, isSameProcessAlive);
    reapOrphans(db);
    return db;
  } catch (error) {
    db?.close();
    if (options.forReading && isReadOnlyFailure(error)) return openDatabase(path, { readonly: true });
    throw error;
  }
}
