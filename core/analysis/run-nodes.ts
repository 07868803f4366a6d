// The nodes of a recorded run: the experiment's n1..n<count> and every node that joined
// while it ran (each has its processes in the nodes table), ordered by their numbers.
import type Database from 'better-sqlite3';
import { nodeIds, type NodeId } from '../experiment/types.js';
import { compareNodeIds } from '../protocols/election/node-order.js';

export function recordedNodeIds(db: Database.Database, runId: number, count: number): NodeId[] {
  const started = db.prepare('SELECT DISTINCT node FROM nodes WHERE run_id = ?').pluck().all(runId) as string[];
  return [...new Set([...nodeIds(count), ...started])].sort(compareNodeIds);
}
