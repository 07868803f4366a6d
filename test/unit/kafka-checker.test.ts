import { describe, expect, it } from 'vitest';
import type { HistoryOp, HistoryOutcome } from '../../core/checks/history.js';
import { checkKafka } from '../../core/checks/kafka.js';

let nextId = 1;
function op(f: string, client: string, invokeMs: number, completeMs: number | null, outcome: HistoryOutcome, detail: Record<string, unknown>): HistoryOp {
  return { id: nextId++, client, node: 'n1', f, invokeUs: invokeMs * 1000, completeUs: completeMs === null ? null : completeMs * 1000, outcome, detail };
}
const send = (client: string, t: number, key: string, msg: number, offset: number | null, outcome: HistoryOutcome = 'ok') => op('send', client, t, outcome === 'unknown' ? null : t + 1, outcome, { key, msg, ...(offset !== null && { offset }) });
const poll = (client: string, t: number, offsets: Record<string, number>, msgs: Record<string, Array<[number, number]>>) => op('poll', client, t, t + 1, 'ok', { offsets, msgs });

describe('the kafka check', () => {
  it('passes a log whose polls see every acknowledged send in order, and allows unknown sends to appear', () => {
    nextId = 1;
    const h = [
      send('c1', 0, 'a', 1, 0),
      send('c1', 2, 'a', 2, 1),
      send('c2', 2, 'a', 3, null, 'unknown'),
      send('c2', 4, 'b', 4, 0),
      poll('c1', 10, { a: 0 }, { a: [[0, 1], [1, 2], [2, 3]] }),
      poll('c1', 12, { a: 3 }, {}),
      poll('c2', 12, { b: 0 }, { b: [[0, 4]] }),
      op('commit_offsets', 'c1', 14, 15, 'ok', { offsets: { a: 2 } }),
      op('list_committed_offsets', 'c2', 16, 17, 'ok', { keys: ['a'], committed: { a: 2 } }),
      op('list_committed_offsets', 'c2', 18, 19, 'ok', { keys: ['b'], committed: {} }),
    ];
    expect(checkKafka(h)).toEqual({ valid: true, acknowledgedSends: 3, unobserved: 0, inconsistentOffsets: [], lost: [], nonmonotonicSends: [], nonmonotonicPolls: [], skips: [], committedBackwards: [] });
  });

  it('finds a lost send: never polled though a later offset of its key was', () => {
    nextId = 1;
    const h = [send('c1', 0, 'a', 1, 0), send('c1', 2, 'a', 2, 1), send('c1', 4, 'a', 3, 2), poll('c2', 1, { a: 0 }, { a: [[0, 1]] }), poll('c2', 10, { a: 1 }, { a: [[2, 3]] })];
    const r = checkKafka(h);
    expect(r.valid).toBe(false);
    expect(r.lost).toEqual([{ key: 'a', offset: 1, msg: 2, polledUpTo: 2, opIds: [2, 5] }]);
    // The second poll asked from 1 and began at 2, though 1 was acknowledged before it: a skip.
    expect(r.skips).toEqual([{ key: 'a', skipped: [1], offsets: [2], opIds: [5] }]);
  });

  it('counts acknowledged sends never polled, with nothing later polled, as unobserved, not lost', () => {
    nextId = 1;
    expect(checkKafka([send('c1', 0, 'a', 1, 0), send('c1', 2, 'a', 2, 1), poll('c2', 5, { a: 0 }, { a: [[0, 1]] })])).toMatchObject({ valid: true, unobserved: 1, lost: [] });
  });

  it('finds two messages at one offset, and one message at two offsets', () => {
    nextId = 1;
    const h = [send('c1', 0, 'a', 1, 0), send('c2', 0, 'a', 2, 0), poll('c1', 5, { a: 0 }, { a: [[0, 1], [1, 1]] })];
    const r = checkKafka(h);
    expect(r.valid).toBe(false);
    expect(r.inconsistentOffsets).toEqual([
      { key: 'a', offset: 0, msgs: [1, 2], opIds: [1, 2, 3] },
      { key: 'a', msg: 1, offsets: [0, 1], opIds: [1, 3] },
    ]);
  });

  it('finds a client’s later send given a lower offset, and a poll going backwards', () => {
    nextId = 1;
    const h = [send('c1', 0, 'a', 1, 5), send('c1', 2, 'a', 2, 3), poll('c2', 10, { a: 0 }, { a: [[5, 1], [3, 2]] }), poll('c2', 12, { a: 6 }, { a: [[3, 2]] })];
    const r = checkKafka(h);
    expect(r.nonmonotonicSends).toEqual([{ key: 'a', client: 'c1', offsets: [5, 3], opIds: [1, 2] }]);
    expect(r.nonmonotonicPolls).toEqual([
      { key: 'a', offsets: [5, 3], opIds: [3] },
      { key: 'a', asked: 6, offsets: [3], opIds: [4] },
    ]);
  });

  it('finds a committed offset read lower than one committed before', () => {
    nextId = 1;
    const h = [
      op('commit_offsets', 'c1', 0, 1, 'ok', { offsets: { a: 4 } }),
      op('commit_offsets', 'c1', 0, null, 'unknown', { offsets: { a: 9 } }),
      op('list_committed_offsets', 'c2', 2, 3, 'ok', { keys: ['a'], committed: { a: 2 } }),
      op('list_committed_offsets', 'c2', 4, 5, 'ok', { keys: ['a'], committed: {} }),
    ];
    const r = checkKafka(h);
    expect(r.valid).toBe(false);
    expect(r.committedBackwards).toEqual([
      { key: 'a', read: 2, earlier: 4, opIds: [1, 3] },
      { key: 'a', read: null, earlier: 4, opIds: [1, 4] },
    ]);
  });
});
