// A run's data as the charts read it: plain arrays, grown in place from live increments or
// filled at once from a recording. Kept out of Vue's deep reactivity on purpose.
import type { RunData, TrafficBucket } from '../../../core/api/contract.js';

export interface RunModel extends RunData {
  live: boolean;
  /** Bumped on every change, so views know when to redraw. */
  version: number;
}

/** Caps on what a live view keeps in memory; older entries are dropped first. */
export const LIMITS = { messages: 20_000, logs: 5_000, operations: 200_000, metrics: 400_000, events: 200_000 } as const;

export function emptyRunModel(runId: number, live: boolean): RunModel {
  return { runId, live, untilMs: 0, traffic: [], operations: [], events: [], metrics: [], faults: [], messages: [], logs: [], nodes: {}, blocked: [], version: 0 };
}

export function appendRunData(model: RunModel, data: RunData): void {
  model.untilMs = Math.max(model.untilMs, data.untilMs);
  mergeTraffic(model.traffic, data.traffic);
  appendCapped(model.operations, data.operations, LIMITS.operations);
  appendCapped(model.events, data.events, LIMITS.events);
  appendCapped(model.metrics, data.metrics, LIMITS.metrics);
  appendCapped(model.faults, data.faults, Infinity);
  appendCapped(model.messages, data.messages, LIMITS.messages);
  appendCapped(model.logs, data.logs, LIMITS.logs);
  if (Object.keys(data.nodes).length) model.nodes = { ...model.nodes, ...data.nodes };
  model.blocked = data.blocked;
  model.version++;
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
