import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../core/checks/history.js';
import { findStaleReads } from '../../core/analysis/stale-reads.js';
import { availabilityBySide, availabilitySeries, sideAt } from '../../core/analysis/partition-sides.js';
import { partitionConflicts } from '../../core/analysis/partition-conflicts.js';
import { kvConsistency } from '../../core/analysis/kv-consistency.js';

let nextId = 1;
/** An operation; times in ms. */
function op(f: string, node: string, invokeMs: number, completeMs: number | null, outcome: HistoryOp['outcome'], detail: Record<string, unknown>): HistoryOp {
  return { id: nextId++, client: 'c1', node, f, invokeUs: invokeMs * 1000, completeUs: completeMs === null ? null : completeMs * 1000, outcome, detail };
}

describe('stale reads', () => {
  it('counts the acknowledged writes a read missed', () => {
    const history = [
      op('write', 'n1', 0, 10, 'ok', { key: 0, value: 1 }),
      op('write', 'n1', 20, 30, 'ok', { key: 0, value: 2 }),
      op('cas', 'n1', 40, 50, 'ok', { key: 0, from: 2, to: 3 }),
      op('read', 'n2', 60, 61, 'ok', { key: 0, value: 1 }), // missed 2 and 3
      op('read', 'n2', 62, 63, 'ok', { key: 0, value: 3 }), // fresh
      op('read', 'n3', 64, 65, 'ok', { key: 0, value: null }), // missed all three
      op('read', 'n3', 64, 65, 'ok', { key: 1, value: null }), // another key, never written
    ];
    const result = findStaleReads(history);
    expect(result.reads).toBe(4);
    expect(result.stale.map((r) => [r.node, r.behind])).toEqual([['n2', 2], ['n3', 3]]);
    expect(result.maxBehind).toBe(3);
  });

  it('does not call a read stale when the newer write was concurrent with it or of unknown outcome', () => {
    const history = [
      op('write', 'n1', 0, 10, 'ok', { key: 'k', value: 1 }),
      op('write', 'n1', 20, 40, 'ok', { key: 'k', value: 2 }), // still running when the read began
      op('write', 'n1', 21, null, 'unknown', { key: 'k', value: 3 }),
      op('write', 'n1', 5, 15, 'ok', { key: 'k', value: 4 }), // overlaps the write of 1: not surely newer
      op('read', 'n2', 30, 31, 'ok', { key: 'k', value: 1 }),
      op('write', 'n1', 1, 2, 'fail', { key: 'k', value: 5 }), // surely did not happen
    ];
    expect(findStaleReads(history).stale).toEqual([]);
  });

  it('leaves a value nobody wrote to the linearizability check, and a read of an unknown write is not behind writes that may precede it', () => {
    const history = [
      op('write', 'n1', 0, null, 'unknown', { key: 'k', value: 1 }),
      op('write', 'n1', 10, 20, 'ok', { key: 'k', value: 2 }),
      op('read', 'n2', 30, 31, 'ok', { key: 'k', value: 1 }),
      op('read', 'n2', 32, 33, 'ok', { key: 'k', value: 99 }),
    ];
    const result = findStaleReads(history);
    expect(result.reads).toBe(2);
    expect(result.stale).toEqual([]);
  });
});

describe('availability by side of a partition', () => {
  const faults = [
    { tUs: 1_000_000, kind: 'partition', detail: { groups: [['n1', 'n2', 'n3'], ['n4', 'n5']] } },
    { tUs: 3_000_000, kind: 'heal', detail: {} },
  ];

  it('puts each node on its side while the partition is in force', () => {
    expect(sideAt(faults, 5, 'n1', 500_000)).toBe('whole');
    expect(sideAt(faults, 5, 'n2', 1_500_000)).toBe('majority');
    expect(sideAt(faults, 5, 'n5', 1_500_000)).toBe('minority');
    expect(sideAt(faults, 5, 'n5', 3_000_000)).toBe('whole');
  });

  it('counts the share that succeeds on each side, per run and per second', () => {
    const history = [
      op('read', 'n1', 100, 101, 'ok', { key: 0, value: null }),
      op('read', 'n1', 1100, 1101, 'ok', { key: 0, value: null }),
      op('write', 'n4', 1200, null, 'unknown', { key: 0, value: 1 }),
      op('read', 'n5', 1300, 1400, 'fail', { key: 0, code: 11 }),
      op('read', 'n4', 2100, 2101, 'ok', { key: 0, value: null }),
      op('read', 'n4', 3100, 3101, 'ok', { key: 0, value: null }),
    ];
    expect(availabilityBySide(history, faults, 5)).toEqual({ majority: { ok: 1, total: 1 }, minority: { ok: 1, total: 3 }, whole: { ok: 2, total: 2 } });
    expect(availabilitySeries(history, faults, 5)).toEqual({ majority: [[1000, 1]], minority: [[1000, 0], [2000, 1]], whole: [[0, 1], [3000, 1]], notMinority: [[0, 1], [1000, 1], [3000, 1]] });
    expect(availabilityBySide(history, [], 5)).toBeNull();
    // "No such key" answers about the data: the store was available; a refusal (11) was not.
    const notFound = [op('read', 'n5', 1500, 1501, 'fail', { key: 9, code: 20 }), op('read', 'n4', 1600, 1601, 'fail', { key: 9, code: 11 })];
    expect(availabilityBySide(notFound, faults, 5)?.minority).toEqual({ ok: 1, total: 2 });
  });

  it('sums up a run: availability, stale reads and how long after the heal they went on', () => {
    const history = [
      op('write', 'n1', 1100, 1200, 'ok', { key: 0, value: 1 }),
      op('read', 'n4', 1300, 1301, 'ok', { key: 0, value: null }), // stale, during the partition
      op('read', 'n5', 3500, 3501, 'ok', { key: 0, value: null }), // stale, 500 ms after the heal
      op('read', 'n5', 3600, null, 'unknown', { key: 0 }),
    ];
    expect(kvConsistency(history, faults, 5)).toEqual({
      availability: 0.75,
      bySide: { majority: 1, minority: 1, majorityOps: 1, minorityOps: 1 },
      reads: 2,
      staleReads: 2,
      maxVersionsBehind: 1,
      afterHeal: { staleReads: 1, convergedMs: 500, conflicts: 0, resolved: 0, lostWrites: 0 },
    });
  });

  it('finds keys written on both sides of the partition, and the writes the losing side lost', () => {
    const history = [
      op('write', 'n1', 1100, 1200, 'ok', { key: 0, value: 1 }), // majority
      op('write', 'n4', 1150, 1250, 'ok', { key: 0, value: 2 }), // minority
      op('write', 'n5', 1300, 1350, 'ok', { key: 0, value: 3 }), // minority
      op('write', 'n2', 1400, 1450, 'ok', { key: 1, value: 4 }), // majority only: no conflict
      op('write', 'n5', 1500, 1600, 'fail', { key: 1, value: 5 }), // refused: no conflict
      op('write', 'n2', 1400, 1450, 'ok', { key: 2, value: 6 }), // conflict never read after the heal
      op('write', 'n4', 1400, 1450, 'ok', { key: 2, value: 7 }),
      op('read', 'n3', 3100, 3101, 'ok', { key: 0, value: 1 }), // the majority's write won
    ];
    expect(partitionConflicts(history, faults, 5, 3_000_000)).toEqual({ conflicts: 2, resolved: 1, lostWrites: 2 });
  });
});
