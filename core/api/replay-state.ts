// runs.stateAt: the state of a recorded run at one instant, for the lab's replay cursor. The
// same function as `distlab replay --at` (core/analysis/state-at.ts), plus the latest
// metrics of each node (or of the one asked about) (commit index, log length, suspicion of each peer) for the inspector.
import type Database from 'better-sqlite3';
import { runSpanMs, stateAt } from '../analysis/state-at.js';
import { metricsAt } from '../analysis/metrics-at.js';
import { RunNotFoundError } from '../store/queries.js';
import { ApiError } from './errors.js';
import type { ReplayState } from './contract.js';

export function replayStateAt(db: Database.Database, runId: number, tMs: number, node?: string): ReplayState {
  const spanMs = runSpanMs(db, runId);
  if (spanMs === null) throw new RunNotFoundError(`no run ${runId} in ${db.name} (see runs.list)`);
  if (tMs > spanMs) {
    const message = `tMs: ${tMs} ms is after the end of run ${runId}, which lasted ${(spanMs / 1000).toFixed(3)} s; give a time from 0 to ${Math.floor(spanMs)} ms`;
    throw ApiError.input(message, [{ path: 'tMs', message }]);
  }
  return { ...stateAt(db, runId, tMs), spanMs, metrics: metricsAt(db, runId, tMs, node) };
}
