// What a quorum-kv run reports of its own operations (its `quorum-op` events): replicas
// contacted against those that answered, reads that met stale replicas or conflicting
// siblings, stand-ins of a sloppy quorum and hinted handoffs; and what its parameters let
// the linearizability check expect.
import type Database from 'better-sqlite3';
import { countEvents, loadEvents, loadMetrics } from './load-recorded.js';

export interface QuorumMeasurements {
  /** From the program's parameters: e.g. "R + W > N without a sloppy quorum: linearizable expected". */
  expectation: string | null;
  linearizableExpected: boolean | null;
  operations: number;
  /** Mean replicas per operation: asked, and answered in time. */
  contactedMean: number;
  answeredMean: number;
  reads: number;
  /** Reads that found some replica behind the newest version; the most versions one was behind. */
  readsWithStaleReplicas: number;
  maxVersionsBehind: number;
  /** Reads that found concurrent versions (siblings, vector clocks only); the most at once. */
  conflictingReads: number;
  maxSiblings: number;
  /** Operations in which stand-ins held hinted copies, copies handed back, and copies still held at the end. */
  hintedOperations: number;
  handoffs: number;
  hintsPendingAtEnd: number;
}

export function measureQuorum(db: Database.Database, runId: number): QuorumMeasurements | null {
  if (countEvents(db, runId, 'quorum-op') === 0) return null;
  const config = loadEvents(db, runId, ['quorum-config'])[0]?.data;
  const ops = loadEvents(db, runId, ['quorum-op']).map((e) => e.data ?? {});
  const reads = ops.filter((o) => o.op === 'read' && o.ok);
  const mean = (f: (o: any) => number) => round(ops.reduce((sum, o) => sum + f(o), 0) / ops.length);
  const lastPerNode = (name: string) => {
    const last = new Map<string, number>();
    for (const m of loadMetrics(db, runId, [name])) last.set(m.node, m.value);
    return [...last.values()].reduce((sum, v) => sum + v, 0);
  };
  return {
    expectation: typeof config?.text === 'string' ? config.text : null,
    linearizableExpected: typeof config?.linearizableExpected === 'boolean' ? config.linearizableExpected : null,
    operations: ops.length,
    contactedMean: mean((o) => (Array.isArray(o.contacted) ? o.contacted.length : 0)),
    answeredMean: mean((o) => (Array.isArray(o.answered) ? o.answered.length : 0)),
    reads: reads.length,
    readsWithStaleReplicas: reads.filter((o) => o.replicasBehind > 0).length,
    maxVersionsBehind: Math.max(0, ...reads.map((o) => Number(o.behind) || 0)),
    conflictingReads: reads.filter((o) => o.siblings > 1).length,
    maxSiblings: Math.max(0, ...reads.map((o) => Number(o.siblings) || 0)),
    hintedOperations: ops.filter((o) => o.hinted && Object.keys(o.hinted).some((node) => o.answered?.includes(node))).length,
    handoffs: lastPerNode('handoffs'),
    hintsPendingAtEnd: lastPerNode('hints_pending'),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
