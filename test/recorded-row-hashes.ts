// Each recorded table's rows of a run, in the order recorded, hashed without the run id: two
// runs that recorded the same rows byte for byte have equal hashes (simulation's exactness).
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

const RECORDED = ['messages', 'events', 'metrics', 'operations', 'faults', 'logs', 'nodes'] as const;

/** `store`: an open database, or the path of one to open read-only for the count. */
export function rowHashes(store: Database.Database | string, runId: number): Record<string, string> {
  const db = typeof store === 'string' ? new Database(store, { readonly: true }) : store;
  try {
    const hashes: Record<string, string> = {};
    for (const table of RECORDED) {
      const rows = db.prepare(`SELECT * FROM ${table} WHERE run_id = ? ORDER BY rowid`).all(runId) as Array<Record<string, unknown>>;
      const hash = createHash('sha256');
      for (const { run_id: _runId, ...row } of rows) hash.update(JSON.stringify(row) + '\n');
      hashes[table] = `${rows.length}:${hash.digest('hex')}`;
    }
    return hashes;
  } finally {
    if (typeof store === 'string') db.close();
  }
}
