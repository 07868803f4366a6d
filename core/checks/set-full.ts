// The check of broadcast and g-set, after Jepsen's set-full as Maelstrom uses it: every
// acknowledged element must be in the final read of every node (taken after faults heal and
// a quiet period), no read may hold an element never added, and each element's stable
// latency is the time from its add until reads stop missing it.
import type { HistoryOp } from './history.js';
import { summarizeLatency, type LatencySummary } from '../analysis/quantiles.js';

export interface SetFullResult {
  valid: boolean;
  /** Acknowledged adds (broadcasts). */
  acknowledged: number;
  /** Acknowledged elements in every final read. */
  stable: number;
  /** Acknowledged elements missing from some final read, with the nodes that lack them. */
  lost: Array<{ element: unknown; addOpId: number; missingOn: string[] }>;
  lostCount: number;
  /** Elements some read returned that no add ever offered, with the reads. */
  unexpected: Array<{ element: unknown; readOpIds: number[] }>;
  /** Final reads answered, and the nodes whose final read got no good answer. */
  finalReads: number;
  finalReadsMissing: string[];
  /** ms from an add's invocation until the first read after which no read missed it. */
  stableLatencyMs: (LatencySummary & { min: number }) | null;
  stableLatencyNote?: string;
  /** Set by the wiring: messages between nodes per acknowledged operation. */
  messagesPerOp?: number;
  reason?: string;
}

/** Names of what is added and what a read returns, per workload. */
export interface SetOps {
  add: string;
  /** The detail field holding the added element. */
  element: string;
}

export const BROADCAST_OPS: SetOps = { add: 'broadcast', element: 'message' };
export const G_SET_OPS: SetOps = { add: 'add', element: 'element' };

const LOST_SHOWN = 100;
/** Stable latency looks at every read for every element: beyond this many pairs it is left out. */
const LATENCY_WORK_LIMIT = 50_000_000;

export function checkSetFull(history: readonly HistoryOp[], ops: SetOps): SetFullResult {
  const adds = history.filter((op) => op.f === ops.add);
  const offered = new Set(adds.map((op) => JSON.stringify(op.detail[ops.element])));
  const reads = history.filter((op) => op.f === 'read' && op.outcome === 'ok' && Array.isArray(op.detail.value));
  const readSets = reads.map((op) => ({ op, seen: new Set((op.detail.value as unknown[]).map((e) => JSON.stringify(e))) }));
  const finals = readSets.filter((r) => r.op.detail.final === true);
  const finalNodes = new Set(finals.map((r) => r.op.node));
  const finalReadsMissing = [...new Set(history.filter((op) => op.f === 'read' && op.detail.final === true && !finalNodes.has(op.node)).map((op) => op.node))].sort();

  const unexpectedReads = new Map<string, { element: unknown; readOpIds: number[] }>();
  for (const { op, seen } of readSets) {
    for (const text of seen) {
      if (offered.has(text)) continue;
      const entry = unexpectedReads.get(text) ?? { element: JSON.parse(text) as unknown, readOpIds: [] as number[] };
      entry.readOpIds.push(op.id);
      unexpectedReads.set(text, entry);
    }
  }

  const acknowledgedAdds = adds.filter((op) => op.outcome === 'ok');
  const lost: SetFullResult['lost'] = [];
  const latencies: number[] = [];
  const measureLatency = acknowledgedAdds.length * readSets.length <= LATENCY_WORK_LIMIT;
  for (const add of acknowledgedAdds) {
    const text = JSON.stringify(add.detail[ops.element]);
    const missingOn = finals.filter((r) => !r.seen.has(text)).map((r) => r.op.node);
    if (missingOn.length) {
      lost.push({ element: add.detail[ops.element], addOpId: add.id, missingOn: [...new Set(missingOn)].sort() });
      continue;
    }
    const latency = measureLatency ? stableLatencyUs(add, text, readSets) : null;
    if (latency !== null) latencies.push(latency / 1000);
  }

  const unexpected = [...unexpectedReads.values()];
  const result: SetFullResult = {
    valid: finals.length > 0 && lost.length === 0 && unexpected.length === 0,
    acknowledged: acknowledgedAdds.length,
    stable: acknowledgedAdds.length - lost.length,
    lost: lost.slice(0, LOST_SHOWN),
    lostCount: lost.length,
    unexpected,
    finalReads: finals.length,
    finalReadsMissing,
    stableLatencyMs: latencies.length ? { min: Math.round(Math.min(...latencies) * 1000) / 1000, ...summarizeLatency(latencies)! } : null,
  };
  if (finals.length === 0) result.reason = 'no final read was answered, so nothing shows that any element reached the nodes';
  if (!measureLatency) result.stableLatencyNote = `not measured: ${acknowledgedAdds.length} elements × ${readSets.length} reads is too many to compare`;
  return result;
}

/**
 * The element became stable at the first read that saw it after the last read that should
 * have and did not (one invoked after the add completed); null if no read saw it.
 */
function stableLatencyUs(add: HistoryOp, text: string, reads: ReadonlyArray<{ op: HistoryOp; seen: Set<string> }>): number | null {
  const knownUs = add.completeUs ?? add.invokeUs;
  let lastMissUs = -Infinity;
  for (const r of reads) if (r.op.invokeUs > knownUs && !r.seen.has(text)) lastMissUs = Math.max(lastMissUs, r.op.completeUs ?? r.op.invokeUs);
  let stableUs: number | null = null;
  for (const r of reads) {
    if (!r.seen.has(text) || r.op.invokeUs < lastMissUs) continue;
    const seenUs = r.op.completeUs ?? r.op.invokeUs;
    if (stableUs === null || seenUs < stableUs) stableUs = seenUs;
  }
  return stableUs === null ? null : Math.max(0, stableUs - add.invokeUs);
}
