import type Database from 'better-sqlite3';
import { openDatabase } from '../store/database.js';
import { markInterruptedRuns } from '../store/runs.js';
import { isSameProcessAlive } from './process-identity.js';
import { reapOrphans } from './reaper.js';

/**
 * Opens the run database the way every engine start must: runs whose engine died are
 * marked interrupted, and node processes they left behind are reaped.
 */
export function openStore(path: string): Database.Database {
  const db = openDatabase(path);
  markInterruptedRuns(db, isSameProcessAlive);
  reapOrphans(db);
  return db;
}
