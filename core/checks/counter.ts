// Maelstrom's check of g-counter and pn-counter: every final read (taken on every node after
// faults heal and a quiet period) lies between the sums of the adds that surely happened (ok)
// and those that possibly did (unknown); a negative unknown delta widens the lower bound.
import type { HistoryOp } from './history.js';

export interface CounterResult {
  valid: boolean;
  /** The acceptable range of a final read, both ends included. */
  bounds: { lower: number; upper: number };
  /** Sum of acknowledged deltas, and how many adds may or may not have happened. */
  okSum: number;
  unknownAdds: number;
  /** Every final read, by node. */
  reads: Array<{ node: string; value: number; opId: number }>;
  /** Final reads out of bounds. */
  errors: Array<{ node: string; value: unknown; opId: number }>;
  reason?: string;
}

export function checkCounter(history: readonly HistoryOp[]): CounterResult {
  let okSum = 0;
  let lower = 0;
  let upper = 0;
  let unknownAdds = 0;
  for (const op of history) {
    if (op.f !== 'add' || typeof op.detail.delta !== 'number') continue;
    const delta = op.detail.delta;
    if (op.outcome === 'ok') okSum += delta;
    if (op.outcome !== 'unknown') continue;
    unknownAdds++;
    if (delta < 0) lower += delta;
    else upper += delta;
  }
  const bounds = { lower: okSum + lower, upper: okSum + upper };
  const finals = history.filter((op) => op.f === 'read' && op.detail.final === true && op.outcome === 'ok');
  const reads = finals.map((op) => ({ node: op.node, value: op.detail.value as number, opId: op.id }));
  const errors = reads.filter((r) => !Number.isSafeInteger(r.value) || r.value < bounds.lower || r.value > bounds.upper);
  const result: CounterResult = { valid: finals.length > 0 && errors.length === 0, bounds, okSum, unknownAdds, reads, errors };
  if (finals.length === 0) result.reason = 'no final read was answered';
  return result;
}
