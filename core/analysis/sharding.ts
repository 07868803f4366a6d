// What a sharded run shows: keys per node against the ideal K/N and how unevenly they are
// spread; per membership change, the keys that moved against the ideal (only the new node's
// share on a join, only the leaving node's keys on a leave: K/N for the larger membership);
// and the client operations that failed while keys were being handed over.
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statement-cache.js';
import { loadHistory, type HistoryOp } from '../checks/history.js';
import { loadEvents, loadMetrics } from './load-recorded.js';
import { loadSpread } from './load-spread.js';
import type { RecordedEvent, RecordedMetric } from './recorded.js';

export interface MembershipChangeMoves {
  /** When the first node took the change, ms since the run's start. */
  atMs: number;
  change: 'join' | 'leave';
  node: string | null;
  membersBefore: number;
  membersAfter: number;
  /** Keys that existed at the change (owned by the members before it). */
  keys: number;
  moved: number;
  /** K / max(N before, N after): what the least possible movement is. */
  ideal: number;
  /** moved / keys. */
  movedShare: number | null;
  /** From the change to the last node's hand-over done (or given up), ms. */
  handoverMs: number | null;
}

export interface ShardingMeasurements {
  placement: string | null;
  vnodes: number | null;
  replicas: number | null;
  /** Keys each member owned at the end of the run. */
  keysPerNode: Record<string, number>;
  /** K / N at the end of the run. */
  idealPerNode: number;
  /** Busiest node / mean (1 is perfectly even); null while no node owns a key. */
  maxOverMean: number | null;
  stdDev: number | null;
  /** stdDev / mean. */
  relativeStdDev: number | null;
  changes: MembershipChangeMoves[];
  /** Requests the nodes refused (error 11) because their key was in transit. */
  refusedByNodes: number;
  /** Client operations that failed or timed out while a hand-over was under way. */
  failedDuringHandover: number;
  opsDuringHandover: number;
}

/** Events of one change arrive within this long of each other at the nodes. */
const CHANGE_WINDOW_US = 2_000_000;
/** Where no node reported its hand-over done, the window is taken to be this long. */
const DEFAULT_HANDOVER_US = 1_000_000;
/** Answers that are the store's own, not a failure of the hand-over: no such key, cas mismatch. */
const STORE_ANSWERS = new Set([20, 22]);

export function measureSharding(db: Database.Database, runId: number): ShardingMeasurements | null {
  // Asked of every run: most have many state events and none about a ring, so SQLite looks before JavaScript parses them all.
  const hasRing = cachedStatement(db, "select exists (select 1 from events where run_id = ? and kind = 'state' and json_valid(detail_json) and json_extract(detail_json, '$.key') = 'ring')").pluck().get(runId);
  if (!hasRing) return null;
  const events = loadEvents(db, runId, ['state', 'keys-moved', 'handover-complete', 'handover-timeout']);
  const rings = events.filter((e) => e.kind === 'state' && e.data?.key === 'ring');
  if (rings.length === 0) return null;
  const metrics = loadMetrics(db, runId, ['keys-owned', 'handover-refused']);
  return shardingMeasurements(rings, events, metrics, loadHistory(db, runId, ['read', 'write', 'cas']));
}

export function shardingMeasurements(rings: RecordedEvent[], events: RecordedEvent[], metrics: RecordedMetric[], history: readonly HistoryOp[]): ShardingMeasurements {
  const view = rings[rings.length - 1].data.value as { placement?: string; vnodes?: number; replicas?: number; members?: string[] };
  const members = view.members ?? [];
  const keysPerNode = Object.fromEntries(members.map((m) => [m, lastValue(metrics, m, 'keys-owned')]));
  const spread = loadSpread(Object.values(keysPerNode));
  const even = spread && spread.total > 0 ? spread : null;
  const changes = groupChanges(events);
  const windows = changes.map((c) => [c.atMs * 1000, c.atMs * 1000 + (c.handoverMs === null ? DEFAULT_HANDOVER_US : c.handoverMs * 1000)] as const);
  const during = history.filter((op) => op.detail.final !== true && windows.some(([from, to]) => op.invokeUs >= from && op.invokeUs <= to));
  const nodes = [...new Set(metrics.map((m) => m.node))];
  return {
    placement: view.placement ?? null,
    vnodes: view.vnodes ?? null,
    replicas: view.replicas ?? null,
    keysPerNode,
    idealPerNode: round(spread?.mean ?? 0),
    maxOverMean: even && round(even.maxOverMean),
    stdDev: even && round(even.stdDev),
    relativeStdDev: even && round(even.relativeStdDev),
    changes,
    refusedByNodes: nodes.reduce((sum, node) => sum + lastValue(metrics, node, 'handover-refused'), 0),
    failedDuringHandover: during.filter(failedByHandover).length,
    opsDuringHandover: during.length,
  };
}

function groupChanges(events: RecordedEvent[]): MembershipChangeMoves[] {
  const changes: Array<MembershipChangeMoves & { firstUs: number }> = [];
  for (const e of events) {
    if (e.kind === 'keys-moved') {
      const change = e.data.change === 'join' ? 'join' : 'leave';
      const node = typeof e.data.node === 'string' ? e.data.node : null;
      let group = changes.find((c) => c.change === change && c.node === node && e.tUs - c.firstUs <= CHANGE_WINDOW_US);
      if (!group) {
        group = { firstUs: e.tUs, atMs: ms(e.tUs), change, node, membersBefore: e.data.membersBefore, membersAfter: e.data.membersAfter, keys: 0, moved: 0, ideal: 0, movedShare: null, handoverMs: null };
        changes.push(group);
      }
      group.keys += Number(e.data.owned) || 0;
      group.moved += Number(e.data.moved) || 0;
    } else if (e.kind === 'handover-complete' || e.kind === 'handover-timeout') {
      const group = last(changes.filter((c) => e.tUs >= c.firstUs));
      if (group) group.handoverMs = ms(e.tUs - group.firstUs);
    }
  }
  return changes.map(({ firstUs: _first, ...c }) => ({
    ...c,
    ideal: round(c.keys / Math.max(c.membersBefore, c.membersAfter, 1)),
    movedShare: c.keys ? round(c.moved / c.keys) : null,
  }));
}

function failedByHandover(op: HistoryOp): boolean {
  if (op.outcome === 'ok') return false;
  return !STORE_ANSWERS.has(Number(op.detail.code));
}

function lastValue(metrics: readonly RecordedMetric[], node: string, name: string): number {
  return last(metrics.filter((m) => m.node === node && m.name === name))?.value ?? 0;
}

const last = <T>(items: readonly T[]): T | undefined => items[items.length - 1];

const ms = (us: number) => Math.round(us / 1000);
const round = (x: number) => Math.round(x * 1000) / 1000;
