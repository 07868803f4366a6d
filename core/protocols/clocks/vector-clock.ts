// Vector clocks as plain objects keyed by node id ({ n1: 3, n2: 0 }), so they travel in
// JSON message bodies and telemetry unchanged. A missing entry counts as 0.

export type VectorClock = Record<string, number>;

export type ClockOrder = 'before' | 'after' | 'equal' | 'concurrent';

/** Every listed node at 0. */
export function zeroClock(nodes: readonly string[]): VectorClock {
  const clock: VectorClock = {};
  for (const node of nodes) clock[node] = 0;
  return clock;
}

/** A copy with `node`'s entry one higher: a local, send or receive event at `node`. */
export function incremented(clock: VectorClock, node: string): VectorClock {
  return { ...clock, [node]: (clock[node] ?? 0) + 1 };
}

/** Element-wise maximum. */
export function merged(a: VectorClock, b: VectorClock): VectorClock {
  const result: VectorClock = { ...a };
  for (const [node, value] of Object.entries(b)) result[node] = Math.max(result[node] ?? 0, value);
  return result;
}

/** How `a` relates to `b`: 'before' means a happened before b (a ≤ b element-wise and a ≠ b). */
export function compareClocks(a: VectorClock, b: VectorClock): ClockOrder {
  let aSmaller = false;
  let bSmaller = false;
  for (const node of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[node] ?? 0;
    const y = b[node] ?? 0;
    if (x < y) aSmaller = true;
    else if (x > y) bSmaller = true;
  }
  if (aSmaller && bSmaller) return 'concurrent';
  if (aSmaller) return 'before';
  if (bSmaller) return 'after';
  return 'equal';
}

export function happenedBefore(a: VectorClock, b: VectorClock): boolean {
  return compareClocks(a, b) === 'before';
}

export function areConcurrent(a: VectorClock, b: VectorClock): boolean {
  return compareClocks(a, b) === 'concurrent';
}

/** A vector clock from untrusted JSON, or undefined when it is not one. */
export function parseVectorClock(value: unknown): VectorClock | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const clock: VectorClock = {};
  for (const [node, entry] of Object.entries(value)) {
    if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < 0) return undefined;
    clock[node] = entry;
  }
  return clock;
}
