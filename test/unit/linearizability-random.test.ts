// The memoised search against the plain exhaustive one on many small random histories: the
// same verdicts, and for each history that fails, a reported prefix that fails while the
// prefix one completion shorter does not.
import { describe, it, expect } from 'vitest';
import { checkLinearizability } from '../../core/checks/linearizability.js';
import { exhaustivelyLinearizable } from '../../core/checks/linearizable/exhaustive.js';
import type { HistoryOp } from '../../core/checks/history.js';
import { createRng, type Rng } from '../../core/engine/prng.js';

function randomHistory(rng: Rng, size: number): HistoryOp[] {
  // Distinct times, so that "before" is never a tie.
  const times = rng.shuffle(Array.from({ length: 4 * size }, (_, i) => i * 10));
  return Array.from({ length: size }, (_, id): HistoryOp => {
    const [a, b] = [times[2 * id], times[2 * id + 1]].sort((x, y) => x - y);
    const key = rng.pick(['x', 'y']);
    const roll = rng.next();
    const outcome: HistoryOp['outcome'] = roll < 0.15 ? 'unknown' : roll < 0.2 ? 'fail' : 'ok';
    const base = { id, client: `c${id}`, node: 'n1', invokeUs: a, completeUs: outcome === 'unknown' ? null : b, outcome };
    const f = rng.pick(['read', 'read', 'write', 'cas'] as const);
    if (f === 'read') return { ...base, f, detail: outcome === 'fail' ? { key, code: 20 } : { key, value: rng.pick([null, 1, 2]) } };
    if (f === 'write') return { ...base, f, detail: { key, value: rng.pick([1, 2]) } };
    return { ...base, f, detail: { key, from: rng.pick([1, 2]), to: rng.pick([1, 2]) } };
  }).sort((p, q) => p.invokeUs - q.invokeUs);
}

/** The history as it stood at time t: later calls gone, ops still running then unknown (but a definite failure never happened). */
function truncated(history: readonly HistoryOp[], t: number): HistoryOp[] {
  const running = (h: HistoryOp) => h.completeUs === null || h.completeUs > t;
  return history.filter((h) => h.invokeUs <= t && !(h.outcome === 'fail' && running(h))).map((h) => (h.completeUs !== null && h.completeUs <= t ? h : { ...h, completeUs: null, outcome: 'unknown' as const }));
}

describe('checkLinearizability against the exhaustive search', () => {
  it('agrees on 400 random histories of 7 ops over two keys, and reports the smallest failing prefix', () => {
    const rng = createRng(7, 'linearizability-random');
    let invalid = 0;
    for (let n = 0; n < 400; n++) {
      const history = randomHistory(rng, 7);
      const r = checkLinearizability(history);
      const expected = exhaustivelyLinearizable(history).linearizable;
      expect({ n, verdict: r.verdict }).toEqual({ n, verdict: expected ? 'valid' : 'invalid' });
      if (expected) continue;
      invalid++;
      const end = r.failure!.prefix.endsAtUs;
      const keyOnly = history.filter((h) => String(h.detail.key) === r.failure!.key);
      expect(exhaustivelyLinearizable(truncated(keyOnly, end)).linearizable).toBe(false);
      const earlier = keyOnly.map((h) => h.completeUs ?? Infinity).filter((t) => t < end);
      if (earlier.length) expect(exhaustivelyLinearizable(truncated(keyOnly, Math.max(...earlier))).linearizable).toBe(true);
    }
    // The generator must produce both kinds for the comparison to mean anything.
    expect(invalid).toBeGreaterThan(40);
    expect(invalid).toBeLessThan(360);
  });
});
