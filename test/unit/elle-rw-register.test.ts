import { describe, it, expect } from 'vitest';
import { checkTransactions } from '../../core/checks/elle/check.js';
import type { ConsistencyModel } from '../../core/checks/elle/models.js';
import { edgesOf, first, txn } from './elle-support.js';

const check = (history: Parameters<typeof checkTransactions>[0], models: ConsistencyModel[] = ['strict-serializable']) =>
  checkTransactions(history, { workload: 'rw-register', consistencyModels: models });

describe('Elle-style checker, rw-register', () => {
  it('passes a strict-serializable history, and a read of a write whose outcome is unknown', () => {
    const history = [
      txn('c1', [0, 10], [['w', 'x', 1], ['r', 'y', null]]),
      txn('c2', [20, 30], [['r', 'x', 1], ['w', 'x', 2]]),
      txn('c3', [20, null], [['w', 'y', 5]], 'unknown'),
      txn('c1', [40, 50], [['r', 'x', 2], ['r', 'y', 5]]),
    ];
    expect(check(history)).toMatchObject({ valid: true, verdict: 'valid', txns: 4, anomalyTypes: [] });
  });

  it('finds G1a and G1b', () => {
    const aborted = txn('c1', [0, 10], [['w', 'x', 1]], 'fail');
    const twice = txn('c2', [0, 10], [['w', 'y', 1], ['w', 'y', 2]]);
    const reader = txn('c3', [20, 30], [['r', 'x', 1], ['r', 'y', 1]]);
    const r = check([aborted, twice, reader], ['read-committed']);
    expect(r.forbidden.sort()).toEqual(['G1a', 'G1b']);
    expect(first(r, 'G1a')).toMatchObject({ key: 'x', values: 1, txns: [{ id: reader.id }, { id: aborted.id }] });
    expect(first(r, 'G1b')).toMatchObject({ key: 'y', values: 1, txns: [{ id: reader.id }, { id: twice.id }] });
  });

  it('finds G1c, and G0 through the order that reads before writes give', () => {
    const t1 = txn('c1', [0, 10], [['w', 'x', 1], ['r', 'y', 1]]);
    const t2 = txn('c2', [0, 10], [['w', 'y', 1], ['r', 'x', 1]]);
    const r = check([t1, t2], ['read-committed']);
    expect(r).toMatchObject({ valid: false, forbidden: ['G1c'] });
    expect(edgesOf(first(r, 'G1c'))).toEqual([`${t1.id} -wr x-> ${t2.id}`, `${t2.id} -wr y-> ${t1.id}`]);
    // Each txn overwrote the other's x or y after reading it: x 1 < 2 and y 2 < 1 by their reads, so ww both ways.
    const a = txn('c1', [0, 10], [['w', 'x', 1], ['r', 'y', 2], ['w', 'y', 1]]);
    const b = txn('c2', [0, 10], [['w', 'y', 2], ['r', 'x', 1], ['w', 'x', 2]]);
    const g0 = check([a, b], ['read-uncommitted']);
    expect(g0).toMatchObject({ valid: false, forbidden: ['G0'] });
    expect(edgesOf(first(g0, 'G0'))).toEqual([`${a.id} -ww x-> ${b.id}`, `${b.id} -ww y-> ${a.id}`]);
  });

  it('finds G-single (read skew) and G2-item (write skew), each allowed by the weaker model', () => {
    const skewed = txn('c1', [0, 10], [['r', 'x', null], ['r', 'y', 1]]);
    const writer = txn('c2', [0, 10], [['w', 'x', 1], ['w', 'y', 1]]);
    const single = check([skewed, writer], ['snapshot-isolation']);
    expect(single).toMatchObject({ valid: false, forbidden: ['G-single'] });
    expect(edgesOf(first(single, 'G-single'))).toEqual([`${skewed.id} -rw x-> ${writer.id}`, `${writer.id} -wr y-> ${skewed.id}`]);
    expect(check([skewed, writer], ['read-committed']).valid).toBe(true);

    const t1 = txn('c1', [0, 10], [['r', 'x', null], ['w', 'y', 1]]);
    const t2 = txn('c2', [0, 10], [['r', 'y', null], ['w', 'x', 1]]);
    const g2 = check([t1, t2], ['serializable']);
    expect(g2).toMatchObject({ valid: false, forbidden: ['G2-item'] });
    expect(edgesOf(first(g2, 'G2-item'))).toEqual([`${t1.id} -rw x-> ${t2.id}`, `${t2.id} -rw y-> ${t1.id}`]);
    expect(check([t1, t2], ['snapshot-isolation']).valid).toBe(true);
  });

  it('finds a stale read that only strict serializability forbids', () => {
    const w = txn('c1', [0, 10], [['w', 'x', 1]]);
    const stale = txn('c2', [20, 30], [['r', 'x', null]]);
    expect(check([w, stale], ['serializable']).valid).toBe(true);
    const r = check([w, stale]);
    expect(r).toMatchObject({ valid: false, forbidden: ['G-single-realtime'] });
    expect(edgesOf(first(r, 'G-single-realtime'))).toEqual([`${w.id} -realtime -> ${stale.id}`, `${stale.id} -rw x-> ${w.id}`]);
  });
});
