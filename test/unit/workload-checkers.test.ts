import { describe, expect, it } from 'vitest';
import type { HistoryOp, HistoryOutcome } from '../../core/checks/history.js';
import { checkUniqueIds } from '../../core/checks/unique-ids.js';
import { BROADCAST_OPS, checkSetFull, G_SET_OPS } from '../../core/checks/set-full.js';
import { checkCounter } from '../../core/checks/counter.js';

/** A hand-made history: each op gets the next id; times in ms become µs. */
function history(...ops: Array<[string, string, number, number | null, HistoryOutcome, Record<string, unknown>]>): HistoryOp[] {
  return ops.map(([f, node, invokeMs, completeMs, outcome, detail], i) => ({ id: i + 1, client: 'c1', node, f, invokeUs: invokeMs * 1000, completeUs: completeMs === null ? null : completeMs * 1000, outcome, detail }));
}

describe('the unique-ids check', () => {
  it('passes distinct ids of any JSON type, and ignores ids of operations that failed', () => {
    const h = history(['generate', 'n1', 0, 1, 'ok', { id: 1 }], ['generate', 'n2', 0, 1, 'ok', { id: '1' }], ['generate', 'n1', 2, 3, 'ok', { id: [1, 2] }], ['generate', 'n1', 4, null, 'unknown', {}], ['generate', 'n2', 4, 5, 'fail', { code: 11 }]);
    expect(checkUniqueIds(h)).toEqual({ valid: true, acknowledged: 3, duplicates: [] });
  });

  it('reports each repeated id with the operations that got it', () => {
    const h = history(['generate', 'n1', 0, 1, 'ok', { id: 'n1-1' }], ['generate', 'n2', 0, 1, 'ok', { id: 7 }], ['generate', 'n1', 2, 3, 'ok', { id: 'n1-1' }], ['generate', 'n2', 2, 3, 'ok', { id: 7 }], ['generate', 'n2', 4, 5, 'ok', { id: 7 }]);
    expect(checkUniqueIds(h)).toEqual({ valid: false, acknowledged: 5, duplicates: [{ id: 'n1-1', opIds: [1, 3] }, { id: 7, opIds: [2, 4, 5] }] });
  });
});

describe('the set-full check of broadcast and g-set', () => {
  it('passes when every acknowledged element is in every final read, and measures stable latency', () => {
    const h = history(
      ['add', 'n1', 0, 10, 'ok', { element: 1 }],
      ['add', 'n2', 20, 30, 'ok', { element: 2 }],
      ['add', 'n2', 40, null, 'unknown', { element: 3 }],
      ['read', 'n2', 50, 60, 'ok', { value: [1] }], // misses 2 after it was acknowledged
      ['read', 'n1', 70, 80, 'ok', { value: [1, 2] }],
      ['read', 'n1', 1000, 1001, 'ok', { value: [1, 2], final: true }],
      ['read', 'n2', 1000, 1002, 'ok', { value: [2, 1, 3], final: true }],
    );
    const r = checkSetFull(h, G_SET_OPS);
    expect(r).toMatchObject({ valid: true, acknowledged: 2, stable: 2, lost: [], lostCount: 0, unexpected: [], finalReads: 2, finalReadsMissing: [] });
    // 1 was seen by the first read that could (ends at 60 ms); 2 only after the read that missed it (80 - 20 ms).
    expect(r.stableLatencyMs).toEqual({ min: 60, p50: 60, p95: 60, p99: 60, max: 60 });
  });

  it('reports an acknowledged message missing from a node’s final read as lost, with the node', () => {
    const h = history(
      ['broadcast', 'n1', 0, 1, 'ok', { message: 10 }],
      ['broadcast', 'n1', 2, 3, 'ok', { message: 11 }],
      ['read', 'n1', 100, 101, 'ok', { value: [10, 11], final: true }],
      ['read', 'n2', 100, 101, 'ok', { value: [10], final: true }],
      ['read', 'n3', 100, null, 'unknown', { final: true }],
    );
    const r = checkSetFull(h, BROADCAST_OPS);
    expect(r).toMatchObject({ valid: false, acknowledged: 2, stable: 1, lostCount: 1, lost: [{ element: 11, addOpId: 2, missingOn: ['n2'] }], finalReadsMissing: ['n3'] });
  });

  it('reports elements no add offered, and is not valid without any final read', () => {
    const h = history(['add', 'n1', 0, 1, 'ok', { element: 1 }], ['read', 'n1', 5, 6, 'ok', { value: [1, 99] }], ['read', 'n1', 100, null, 'unknown', { final: true }]);
    const r = checkSetFull(h, G_SET_OPS);
    expect(r.valid).toBe(false);
    expect(r.unexpected).toEqual([{ element: 99, readOpIds: [2] }]);
    expect(r.reason).toMatch(/no final read was answered/);
  });

  it('lets an element of a failed or unknown add be read or not', () => {
    const h = history(['add', 'n1', 0, 1, 'fail', { element: 1, code: 11 }], ['add', 'n1', 2, null, 'unknown', { element: 2 }], ['read', 'n1', 100, 101, 'ok', { value: [2], final: true }]);
    expect(checkSetFull(h, G_SET_OPS)).toMatchObject({ valid: true, acknowledged: 0, unexpected: [] });
  });
});

describe('the counter check', () => {
  it('accepts final reads between the sure and the possible sums, unknown negatives widening the lower bound', () => {
    const h = history(
      ['add', 'n1', 0, 1, 'ok', { delta: 5 }],
      ['add', 'n2', 0, 1, 'ok', { delta: -2 }],
      ['add', 'n1', 2, null, 'unknown', { delta: 4 }],
      ['add', 'n2', 2, null, 'unknown', { delta: -3 }],
      ['add', 'n2', 3, 4, 'fail', { delta: 100, code: 11 }],
      ['read', 'n1', 10, 11, 'ok', { value: 99 }], // not final: not judged
      ['read', 'n1', 100, 101, 'ok', { value: 0, final: true }],
      ['read', 'n2', 100, 101, 'ok', { value: 7, final: true }],
    );
    const r = checkCounter(h);
    expect(r).toMatchObject({ valid: true, bounds: { lower: 0, upper: 7 }, okSum: 3, unknownAdds: 2, errors: [] });
    expect(r.reads).toEqual([{ node: 'n1', value: 0, opId: 7 }, { node: 'n2', value: 7, opId: 8 }]);
  });

  it('reports a final read that lost an acknowledged add, with its node and operation', () => {
    const h = history(['add', 'n1', 0, 1, 'ok', { delta: 3 }], ['add', 'n2', 0, 1, 'ok', { delta: 4 }], ['read', 'n1', 100, 101, 'ok', { value: 7, final: true }], ['read', 'n2', 100, 101, 'ok', { value: 4, final: true }]);
    expect(checkCounter(h)).toMatchObject({ valid: false, bounds: { lower: 7, upper: 7 }, errors: [{ node: 'n2', value: 4, opId: 4 }] });
  });

  it('is not valid when no final read was answered', () => {
    const h = history(['add', 'n1', 0, 1, 'ok', { delta: 3 }], ['read', 'n1', 100, null, 'unknown', { final: true }]);
    expect(checkCounter(h)).toMatchObject({ valid: false, reads: [], reason: 'no final read was answered' });
  });
});
