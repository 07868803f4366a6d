// Prepared statements kept per database handle. Preparing is SQLite parsing and planning the
// query: for a short simulated seed it was a third of the cost of recording and checking it.
// A statement is keyed by its SQL text alone, so each SQL text must be used in one mode
// (pluck or not) everywhere; and a cached statement must not be iterated while reused.
import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** db.prepare(sql), once per handle; a closed handle's statements go with it. */
export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
