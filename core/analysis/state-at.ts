// The state of a recorded run at one instant, rebuilt from its record: each node's process
// state, role, term, leader, suspicions and logical clocks; the partitions and cut links in
// force; the messages in flight; the last events. `distlab replay` prints it, and the lab's
// replay cursor is to read the same function, so that the two cannot disagree.
import type Database from 'better-sqlite3';
import { nodeIds } from '../experiment/types.js';
import { parseRecordedJson } from './load-recorded.js';

export type ProcessState = 'not-started' | 'starting' | 'up' | 'paused' | 'crashed' | 'stopped';

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
const VERDICTS = new Set(['suspect', 'dead', 'alive']);

interface Facts {
  state: ProcessState;
  /** A kill or stop fault sent to the process it runs now. */
  ending?: 'kill' | 'stop';
  role?: string;
  term?: number;
  leader?: string | null;
  verdicts: Map<string, string>;
  lamport?: number;
  vector?: Record<string, number>;
}

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
function replayNodes(db: Database.Database, runId: number, tUs: number, changed: (node: string, facts: Facts, tUs: number) => void = () => {}): { facts: Map<string, Facts>; factsOf: (node: string) => Facts; faults: FaultRow[] } {
  const facts = new Map<string, Facts>();
  for (const id of declaredNodes(db, runId)) facts.set(id, { state: 'not-started', verdicts: new Map() });
  const factsOf = (node: string) => {
    let f = facts.get(node);
    if (!f) facts.set(node, (f = { state: 'not-started', verdicts: new Map() }));
    return f;
  };
  // Receives say nothing about a node's state and are most of the events: the index on the
  // other events (kind <> 'recv') reads only these.
  const events = db
    .prepare(`SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND t_us <= ? AND kind <> 'recv' ORDER BY t_us, rowid`)
    .all(runId, tUs) as Array<{ t_us: number; node: string; kind: string; detail_json: string | null }>;
  const faults = db.prepare('SELECT t_us, kind, detail_json FROM faults WHERE run_id = ? AND t_us <= ? ORDER BY t_us, rowid').all(runId, tUs) as FaultRow[];
  const timeline: Array<{ tUs: number; apply: () => void }> = [];
  for (const e of events) {
    if (!facts.has(e.node) && !/^n\d+$/.test(e.node)) continue;
    timeline.push({ tUs: e.t_us, apply: () => {
      const f = factsOf(e.node);
      onEvent(f, e.kind, parseRecordedJson(e.detail_json));
      changed(e.node, f, e.t_us);
    } });
  }
  for (const row of faults) {
    if (!NODE_FAULTS.has(row.kind)) continue;
    timeline.push({ tUs: row.t_us, apply: () => onNodeFault(row.kind, parseRecordedJson(row.detail_json), factsOf, (node, f) => changed(node, f, row.t_us)) });
  }
  timeline.sort((a, b) => a.tUs - b.tUs);
  for (const step of timeline) step.apply();
  return { facts, factsOf, faults };
}

interface FaultRow {
  t_us: number;
  kind: string;
  detail_json: string | null;
}

export function stateAt(db: Database.Database, runId: number, tMs: number): RunStateAt {
  const tUs = Math.round(tMs * 1000);
  const { facts, factsOf, faults } = replayNodes(db, runId, tUs);
  lastClocks(db, runId, tUs, facts, factsOf);

  const nodes: Record<string, NodeStateAt> = {};
  for (const [id, f] of [...facts].sort(([a], [b]) => compareIds(a, b))) {
    const live = f.state === 'up' || f.state === 'paused' || f.state === 'starting';
    const suspects = live ? [...f.verdicts].filter(([, v]) => v !== 'alive').map(([peer]) => peer).sort(compareIds) : [];
    nodes[id] = {
      state: f.state,
      ...(f.role !== undefined && { role: f.role }),
      ...(f.term !== undefined && { term: f.term }),
      ...(f.leader !== undefined && { leader: f.leader }),
      ...(f.verdicts.size > 0 && { suspects }),
      ...(f.lamport !== undefined && { lamport: f.lamport }),
      ...(f.vector !== undefined && { vector: f.vector }),
    };
  }
  return {
    runId,
    t: tMs,
    nodes,
    ...networkAt(faults),
    inFlight: inFlightAt(db, runId, tUs),
    lastEvents: lastEvents(db, runId, tUs),
  };
}

function onEvent(f: Facts, kind: string, raw: unknown): void {
  const data = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (typeof data.term === 'number') f.term = data.term;
  if (kind === 'start') {
    // A new incarnation knows nothing of the last one's role, leader or suspicions.
    f.state = 'starting';
    f.ending = undefined;
    f.role = undefined;
    f.leader = undefined;
    f.verdicts.clear();
  } else if (kind === 'up') f.state = 'up';
  else if (kind === 'crash' || kind === 'spawn-failed') f.state = 'crashed';
  else if (kind === 'exit') f.state = f.ending === 'kill' ? 'crashed' : 'stopped';
  else if (kind === 'role' && typeof data.role === 'string') f.role = data.role;
  else if (kind === 'leader') f.leader = typeof data.leader === 'string' ? data.leader : null;
  else if (VERDICTS.has(kind) && typeof data.peer === 'string') f.verdicts.set(data.peer, kind);
}

const NODE_FAULTS = new Set(['pause', 'resume', 'kill', 'stop']);

function onNodeFault(kind: string, detail: unknown, factsOf: (node: string) => Facts, changed: (node: string, facts: Facts) => void = () => {}): void {
  const d = (detail ?? {}) as { nodes?: unknown; skipped?: unknown };
  const skipped = new Set(Array.isArray(d.skipped) ? d.skipped : []);
  for (const node of Array.isArray(d.nodes) ? d.nodes : []) {
    if (typeof node !== 'string' || skipped.has(node)) continue;
    const f = factsOf(node);
    if (kind === 'pause' && f.state === 'up') f.state = 'paused';
    else if (kind === 'resume' && f.state === 'paused') f.state = 'up';
    // The process exits a moment later; what ended it decides between crashed and stopped.
    else if (kind === 'kill' || kind === 'stop') f.ending = kind;
    changed(node, f);
  }
}

/** Each node's Lamport and vector clock at its last clocked event up to t. */
function lastClocks(db: Database.Database, runId: number, tUs: number, facts: Map<string, Facts>, factsOf: (node: string) => Facts): void {
  // SQLite takes the bare columns of a MAX() aggregate from the row that holds the maximum.
  const rows = db
    .prepare('SELECT node, lamport, vc_json, MAX(t_us) FROM events WHERE run_id = ? AND lamport IS NOT NULL AND t_us <= ? GROUP BY node')
    .all(runId, tUs) as Array<{ node: string; lamport: number; vc_json: string | null }>;
  for (const row of rows) {
    if (!facts.has(row.node) && !/^n\d+$/.test(row.node)) continue;
    const f = factsOf(row.node);
    f.lamport = row.lamport;
    const vector = parseRecordedJson(row.vc_json);
    if (vector && typeof vector === 'object') f.vector = vector as Record<string, number>;
  }
}

/** The partition and the cuts in force after the faults up to t (a heal clears both). */
function networkAt(faults: Array<{ kind: string; detail_json: string | null }>): Pick<RunStateAt, 'partitions' | 'cutLinks' | 'blocked'> {
  let groups: string[][] | null = null;
  let cuts: Array<[string, string]> = [];
  let blocked: Array<[string, string]> | undefined;
  for (const f of faults) {
    const d = (parseRecordedJson(f.detail_json) ?? {}) as { groups?: unknown; from?: unknown; to?: unknown; blocked?: unknown; pattern?: unknown };
    if (f.kind === 'heal') {
      groups = null;
      cuts = [];
    } else if ((f.kind === 'partition' || f.kind === 'partition-pattern') && isGroups(d.groups)) {
      // Bridge and majorities-ring are not partitions into groups: their blocked links say it.
      groups = d.pattern === 'bridge' || d.pattern === 'majorities-ring' ? null : d.groups;
    } else if (f.kind === 'cut' && Array.isArray(d.from) && Array.isArray(d.to)) {
      for (const a of d.from) for (const b of d.to) if (a !== b && !cuts.some(([x, y]) => x === a && y === b)) cuts.push([String(a), String(b)]);
    } else continue;
    blocked = Array.isArray(d.blocked) ? (d.blocked as Array<[string, string]>) : undefined;
  }
  return { partitions: groups ? [groups] : [], cutLinks: cuts, ...(blocked && { blocked }) };
}

function inFlightAt(db: Database.Database, runId: number, tUs: number): number {
  return db
    .prepare(`SELECT COUNT(*) FROM messages WHERE run_id = ? AND t_send_us <= ? AND (t_deliver_us > ? OR fate = 'in-flight-at-end')`)
    .pluck()
    .get(runId, tUs, tUs) as number;
}

function lastEvents(db: Database.Database, runId: number, tUs: number): RecentEvent[] {
  const rows = db
    .prepare(`SELECT t_us, node, kind, detail_json FROM events WHERE run_id = ? AND t_us <= ? AND kind <> 'recv' ORDER BY t_us DESC, rowid DESC LIMIT ?`)
    .all(runId, tUs, LAST_EVENTS) as Array<{ t_us: number; node: string; kind: string; detail_json: string | null }>;
  return rows.reverse().map((r) => ({ tMs: r.t_us / 1000, node: r.node, kind: r.kind, detail: parseRecordedJson(r.detail_json) }));
}

/** n1…nN from the run's experiment. */
function declaredNodes(db: Database.Database, runId: number): string[] {
  const json = db.prepare('SELECT experiment_json FROM runs WHERE id = ?').pluck().get(runId) as string | undefined;
  const count = (parseRecordedJson(json ?? null) as { nodes?: { count?: unknown } } | null)?.nodes?.count;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? nodeIds(count) : [];
}

function isGroups(value: unknown): value is string[][] {
  return Array.isArray(value) && value.every((g) => Array.isArray(g) && g.every((n) => typeof n === 'string'));
}

function compareIds(a: string, b: string): number {
  const na = /^n(\d+)$/.exec(a);
  const nb = /^n(\d+)$/.exec(b);
  return na && nb ? Number(na[1]) - Number(nb[1]) : a.localeCompare(b);
}
