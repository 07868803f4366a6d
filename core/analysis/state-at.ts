// The state of a recorded run at one instant, rebuilt from its record: each node's process
// state, role, term, leader, suspicions and logical clocks; the partitions and cut links in
// force; the messages in flight; the last events. `distlab replay` prints it, and the lab's
// replay cursor reads the same function (runs.stateAt) and the same fold (state-fold.ts), so
// that the two cannot disagree.
import type Database from 'better-sqlite3';
import { parseRecordedJson } from './load-recorded.js';
import { clockAt, inFlightAt } from './replay-seek.js';
import { foldNetwork, foldNodes, foldedNodes, type EventStep, type Facts, type FaultStep, type ProcessState } from './state-fold.js';
import { recordedNodeIds } from './run-nodes.js';

export type { ProcessState } from './state-fold.js';

export interface NodeStateAt {
  state: ProcessState;
  role?: string;
  term?: number;
  leader?: string | null;
  suspects?: string[];
  lamport?: number;
  vector?: Record<string, number>;
}

export interface RecentEvent {
  tMs: number;
  node: string;
  kind: string;
  detail: unknown;
}

export interface RunStateAt {
  runId: number;
  /** The instant, ms since the run's start. */
  t: number;
  nodes: Record<string, NodeStateAt>;
  /** The partition in force, as its groups of nodes (at most one: a partition replaces the last). */
  partitions: string[][][];
  /** Directed links cut one way. */
  cutLinks: Array<[string, string]>;
  /** Every directed link blocked, by the partition or a cut, when the run recorded it. */
  blocked?: Array<[string, string]>;
  /** Messages sent and not yet delivered (or still queued when the run ended). */
  inFlight: number;
  lastEvents: RecentEvent[];
}

const LAST_EVENTS = 10;

/** The run's span in ms: its recorded duration, or the last thing recorded while it runs. */
export function runSpanMs(db: Database.Database, runId: number): number | null {
  const row = db.prepare('SELECT duration_ms FROM runs WHERE id = ?').get(runId) as { duration_ms: number | null } | undefined;
  if (!row) return null;
  if (row.duration_ms !== null) return row.duration_ms;
  const last = db.prepare('SELECT MAX(t) FROM (SELECT MAX(t_us) AS t FROM events WHERE run_id = ? UNION ALL SELECT MAX(t_send_us) FROM messages WHERE run_id = ?)').pluck().get(runId, runId) as number | null;
  return (last ?? 0) / 1000;
}

export interface StateInterval {
  state: ProcessState;
  fromUs: number;
  toUs: number;
}

/** Each node's process states over [0, endUs], as back-to-back intervals. */
export function stateIntervals(db: Database.Database, runId: number, endUs: number): Record<string, StateInterval[]> {
  const intervals: Record<string, StateInterval[]> = {};
  replayNodes(db, runId, endUs, (node, f, tUs) => {
    const list = (intervals[node] ??= [{ state: 'not-started', fromUs: 0, toUs: endUs }]);
    const last = list[list.length - 1];
    if (last.state === f.state) return;
    last.toUs = tUs;
    if (last.toUs === last.fromUs) list.pop();
    list.push({ state: f.state, fromUs: tUs, toUs: endUs });
  });
  return intervals;
}

/**
 * Replays the run's node events and node faults up to tUs, in time order (a pause, a fault,
 * and an exit, an event, interleave), calling `changed` after each step with the node's facts.
 */
function replayNodes(db: Database.Database, runId: number, tUs: number, changed?: (node: string, facts: Facts, tUs: number) => void): { facts: Map<string, Facts>; faults: FaultStep[] } {
  // Receives say nothing about a node's state and are most of the events: the index on the
  // other events (kind <> 'recv') reads only these.
  const events = db
    .prepare(`SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND t_us <= ? AND kind <> 'recv' ORDER BY t_us, rowid`)
    .all(runId, tUs) as Array<{ t_us: number; node: string; kind: string; detail_json: string | null }>;
  const faultRows = db.prepare('SELECT t_us, kind, detail_json FROM faults WHERE run_id = ? AND t_us <= ? ORDER BY t_us, rowid').all(runId, tUs) as FaultRow[];
  const faults: FaultStep[] = faultRows.map((f) => ({ tUs: f.t_us, kind: f.kind, detail: parseRecordedJson(f.detail_json) }));
  const steps: EventStep[] = events.map((e) => ({ tUs: e.t_us, node: e.node, kind: e.kind, detail: parseRecordedJson(e.detail_json) }));
  return { facts: foldNodes(declaredNodes(db, runId), steps, faults, tUs, changed), faults };
}

interface FaultRow {
  t_us: number;
  kind: string;
  detail_json: string | null;
}

export function stateAt(db: Database.Database, runId: number, tMs: number): RunStateAt {
  const tUs = Math.round(tMs * 1000);
  const { facts, faults } = replayNodes(db, runId, tUs);
  const nodes: Record<string, NodeStateAt> = foldedNodes(facts);
  lastClocks(db, runId, tUs, nodes);
  return {
    runId,
    t: tMs,
    nodes,
    ...foldNetwork(faults, tUs),
    inFlight: inFlightAt(db, runId, tUs),
    lastEvents: lastEvents(db, runId, tUs),
  };
}

/** Each node's Lamport and vector clock at its last clocked event up to t. */
function lastClocks(db: Database.Database, runId: number, tUs: number, nodes: Record<string, NodeStateAt>): void {
  for (const [id, n] of Object.entries(nodes)) {
    const clock = clockAt(db, runId, id, tUs);
    if (!clock) continue;
    n.lamport = clock.lamport;
    const vector = parseRecordedJson(clock.vc_json);
    if (vector && typeof vector === 'object') n.vector = vector as Record<string, number>;
  }
}

function lastEvents(db: Database.Database, runId: number, tUs: number): RecentEvent[] {
  const rows = db
    .prepare(`SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND t_us <= ? AND kind <> 'recv' ORDER BY t_us DESC, rowid DESC LIMIT ?`)
    .all(runId, tUs, LAST_EVENTS) as Array<{ t_us: number; node: string; kind: string; detail_json: string | null }>;
  return rows.reverse().map((r) => ({ tMs: r.t_us / 1000, node: r.node, kind: r.kind, detail: parseRecordedJson(r.detail_json) }));
}

/** n1…nN from the run's experiment, and the nodes that joined it. */
function declaredNodes(db: Database.Database, runId: number): string[] {
  const json = db.prepare('SELECT experiment_json FROM runs WHERE id = ?').pluck().get(runId) as string | undefined;
  const count = (parseRecordedJson(json ?? null) as { nodes?: { count?: unknown } } | null)?.nodes?.count;
  return recordedNodeIds(db, runId, typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0);
}
