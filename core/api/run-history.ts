// A run's data grown from live increments, with caps on what is kept. The lab keeps one per
// active run, so a view that opens the run late starts from all of it; the renderer keeps one
// per open run view. Both merge increments the same way, here.
import type { RunData, TrafficBucket } from './contract.js';

/** Caps on what a live history keeps in memory; older entries are dropped first. */
export const HISTORY_LIMITS = { messages: 20_000, logs: 5_000, operations: 200_000, metrics: 400_000, events: 200_000 } as const;

export function emptyRunData(runId: number): RunData {
  return { runId, untilMs: 0, traffic: [], operations: [], events: [], metrics: [], faults: [], messages: [], logs: [], nodes: {}, blocked: [] };
}

/** Adds an increment (or a whole recording) to `into`, in place. */
export function appendRunData(into: RunData, data: RunData): void {
  into.untilMs = Math.max(into.untilMs, data.untilMs);
  mergeTraffic(into.traffic, data.traffic);
  appendCapped(into.operations, data.operations, HISTORY_LIMITS.operations);
  appendCapped(into.events, data.events, HISTORY_LIMITS.events);
  appendCapped(into.metrics, data.metrics, HISTORY_LIMITS.metrics);
  appendCapped(into.faults, data.faults, Infinity);
  appendCapped(into.messages, data.messages, HISTORY_LIMITS.messages);
  appendCapped(into.logs, data.logs, HISTORY_LIMITS.logs);
  if (Object.keys(data.nodes).length) into.nodes = { ...into.nodes, ...data.nodes };
  into.blocked = data.blocked;
  if (data.seq !== undefined) into.seq = data.seq;
}

/** A copy that later appends do not change (the arrays are new; their entries are shared). */
export function snapshotRunData(data: RunData): RunData {
  return {
    ...data,
    traffic: data.traffic.map((b) => [...b] as TrafficBucket),
    operations: data.operations.slice(),
    events: data.events.slice(),
    metrics: data.metrics.slice(),
    faults: data.faults.slice(),
    messages: data.messages.slice(),
    logs: data.logs.slice(),
    nodes: { ...data.nodes },
    blocked: data.blocked.slice(),
  };
}

/**
 * A bucket may arrive in several increments, not always the newest one: a message is
 * counted when its fate is known, which for a slow delivery is later. Add them up in place.
 */
export function mergeTraffic(into: TrafficBucket[], more: TrafficBucket[]): void {
  for (const bucket of more) {
    // Search back from the end: increments are almost always about the last few buckets.
    let i = into.length - 1;
    while (i >= 0 && into[i][0] > bucket[0]) i--;
    if (i >= 0 && into[i][0] === bucket[0]) {
      into[i][1] += bucket[1];
      into[i][2] += bucket[2];
      into[i][3] += bucket[3];
    } else into.splice(i + 1, 0, [...bucket] as TrafficBucket);
  }
}

function appendCapped<T>(into: T[], more: T[], cap: number): void {
  for (const item of more) into.push(item);
  if (into.length > cap) into.splice(0, into.length - cap);
}
