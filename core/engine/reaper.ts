// After an engine crash its node processes may still be running. The reaper finds node rows
// with no recorded exit whose engine is gone, and kills each one that is verifiably still the
// process we started (same pid AND same start time): a reused pid is never signalled.

import type Database from 'better-sqlite3';
import { isSameProcessAlive } from './process-identity.js';

export interface ReapedNode {
  runId: number;
  node: string;
  pid: number;
}

interface OpenNodeRow {
  run_id: number;
  node: string;
  incarnation: number;
  pid: number;
  pid_start_time: string | null;
  started_at_ms: number;
  status: string;
  engine_pid: number | null;
  engine_start_time: string | null;
}

export function reapOrphans(db: Database.Database): { killed: ReapedNode[] } {
  const open = db
    .prepare(
      `SELECT n.run_id, n.node, n.incarnation, n.pid, n.pid_start_time,
              r.started_at_ms, r.status, r.engine_pid, r.engine_start_time
       FROM nodes n JOIN runs r ON r.id = n.run_id
       WHERE n.t_exit_us IS NULL AND n.pid IS NOT NULL
       ORDER BY n.run_id, n.node, n.incarnation`,
    )
    .all() as OpenNodeRow[];

  const recordExit = db.prepare(
    `UPDATE nodes SET t_exit_us = ?, exit_code = NULL, signal = 'SIGKILL'
     WHERE run_id = ? AND node = ? AND incarnation = ? AND t_exit_us IS NULL`,
  );
  const recordEvent = db.prepare(
    "INSERT INTO events (run_id, t_us, node, kind, detail_json) VALUES (?, ?, ?, 'reaped', ?)",
  );

  const killed: ReapedNode[] = [];
  const engineAlive = new Map<number, boolean>();
  for (const row of open) {
    if (row.status === 'running') {
      let alive = engineAlive.get(row.run_id);
      if (alive === undefined) {
        alive = row.engine_pid !== null && isSameProcessAlive(row.engine_pid, row.engine_start_time);
        engineAlive.set(row.run_id, alive);
      }
      if (alive) continue; // its engine still owns it
    }
    if (!isSameProcessAlive(row.pid, row.pid_start_time)) continue;
    try {
      process.kill(row.pid, 'SIGKILL');
    } catch {
      continue; // it exited between the check and the signal
    }
    const tUs = Math.max(0, (Date.now() - row.started_at_ms) * 1000);
    const detail = JSON.stringify({
      pid: row.pid,
      incarnation: row.incarnation,
      note: 'orphaned node process killed by the reaper after its engine was gone',
    });
    db.transaction(() => {
      recordExit.run(tUs, row.run_id, row.node, row.incarnation);
      recordEvent.run(row.run_id, tUs, row.node, detail);
    })();
    killed.push({ runId: row.run_id, node: row.node, pid: row.pid });
  }
  return { killed };
}
