import { describe, it, expect } from 'vitest';
import { checkTransactions } from '../../core/checks/elle/check.js';
import { edgesOf, first, txn } from './elle-support.js';

const check = (history: Parameters<typeof checkTransactions>[0], models: Array<'read-uncommitted' | 'read-committed' | 'snapshot-isolation' | 'serializable' | 'strict-serializable'> = ['strict-serializable']) =>
  checkTransactions(history, { workload: 'list-append', consistencyModels: models });

describe('Elle-style checker, list-append', () => {
  it('passes a strict-serializable history, including a txn with an unknown outcome that was read', () => {
    const history = [
      txn('c1', [0, 10], [['append', 'x', 1], ['r', 'y', null]]),
      txn('c2', [20, 30], [['r', 'x', [1]], ['append', 'x', 2], ['append', 'y', 1]]),
      txn('c3', [25, null], [['append', 'y', 2]], 'unknown'),
      txn('c1', [40, 50], [['r', 'x', [1, 2]], ['r', 'y', [1, 2]]]),
    ];
    expect(check(history)).toMatchObject({ valid: true, verdict: 'valid', txns: 4, anomalyTypes: [], anomalies: [] });
  });

  it('finds G0: two txns whose appends are ordered one way on x and the other on y', () => {
    const t1 = txn('c1', [0, 10], [['append', 'x', 1], ['append', 'y', 1]]);
    const t2 = txn('c2', [0, 10], [['append', 'x', 2], ['append', 'y', 2]]);
    const reader = txn('c3', [20, 30], [['r', 'x', [1, 2]], ['r', 'y', [2, 1]]]);
    const r = check([t1, t2, reader], ['read-uncommitted']);
    expect(r).toMatchObject({ valid: false, forbidden: ['G0'] });
    expect(edgesOf(first(r, 'G0'))).toEqual([`${t1.id} -ww x-> ${t2.id}`, `${t2.id} -ww y-> ${t1.id}`]);
  });

  it('finds G1a, a read of an aborted append, but not of one whose outcome is unknown', () => {
    const aborted = txn('c1', [0, 10], [['append', 'x', 1]], 'fail');
    const maybe = txn('c2', [0, null], [['append', 'x', 2]], 'unknown');
    const reader = txn('c3', [20, 30], [['r', 'x', [1, 2]]]);
    const r = check([aborted, maybe, reader], ['read-committed']);
    expect(r.forbidden).toEqual(['G1a']);
    expect(first(r, 'G1a')).toMatchObject({ key: 'x', values: 1, txns: [{ id: reader.id }, { id: aborted.id, outcome: 'fail' }] });
    expect(check([aborted, maybe, reader], ['read-uncommitted']).valid).toBe(true);
  });

  it('finds G1b, a read that ends at an append its txn later followed with another', () => {
    const writer = txn('c1', [0, 10], [['append', 'x', 1], ['append', 'x', 2]]);
    const reader = txn('c2', [0, 10], [['r', 'x', [1]]]);
    const later = txn('c3', [20, 30], [['r', 'x', [1, 2]]]);
    const r = check([writer, reader, later], ['read-committed']);
    expect(r.valid).toBe(false);
    expect(r.forbidden).toContain('G1b');
    expect(first(r, 'G1b')).toMatchObject({ key: 'x', values: 1, txns: [{ id: reader.id }, { id: writer.id }] });
  });

  it('finds G1c, two txns each reading what the other appended', () => {
    const t1 = txn('c1', [0, 10], [['append', 'x', 1], ['r', 'y', [1]]]);
    const t2 = txn('c2', [0, 10], [['append', 'y', 1], ['r', 'x', [1]]]);
    const r = check([t1, t2], ['read-committed']);
    expect(r).toMatchObject({ valid: false, forbidden: ['G1c'] });
    expect(edgesOf(first(r, 'G1c'))).toEqual([`${t1.id} -wr x-> ${t2.id}`, `${t2.id} -wr y-> ${t1.id}`]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('finds G-single (read skew): snapshot isolation forbids it, read committed does not', () => {
    const skewed = txn('c1', [0, 10], [['r', 'x', null], ['r', 'y', [1]]]);
    const writer = txn('c2', [0, 10], [['append', 'x', 1], ['append', 'y', 1]]);
    const later = txn('c3', [20, 30], [['r', 'x', [1]]]);
    const history = [skewed, writer, later];
    const r = check(history, ['snapshot-isolation']);
    expect(r).toMatchObject({ valid: false, forbidden: ['G-single'] });
    expect(edgesOf(first(r, 'G-single'))).toEqual([`${skewed.id} -rw x-> ${writer.id}`, `${writer.id} -wr y-> ${skewed.id}`]);
    expect(check(history, ['read-committed']).valid).toBe(true);
  });

  it('finds G2-item (write skew): serializable forbids it, snapshot isolation allows it', () => {
    const t1 = txn('c1', [0, 10], [['r', 'x', null], ['append', 'y', 1]]);
    const t2 = txn('c2', [0, 10], [['r', 'y', null], ['append', 'x', 1]]);
    const later = txn('c3', [20, 30], [['r', 'x', [1]], ['r', 'y', [1]]]);
    const r = check([t1, t2, later], ['serializable']);
    expect(r).toMatchObject({ valid: false, forbidden: ['G2-item'] });
    expect(edgesOf(first(r, 'G2-item'))).toEqual([`${t1.id} -rw x-> ${t2.id}`, `${t2.id} -rw y-> ${t1.id}`]);
    expect(check([t1, t2, later], ['snapshot-isolation']).valid).toBe(true);
  });

  it('finds a real-time violation that only strict serializability forbids', () => {
    const w = txn('c1', [0, 10], [['append', 'x', 1]]);
    const stale = txn('c2', [20, 30], [['r', 'x', null]]);
    const later = txn('c3', [40, 50], [['r', 'x', [1]]]);
    expect(check([w, stale, later], ['serializable'])).toMatchObject({ valid: true, anomalyTypes: [] });
    const r = check([w, stale, later], ['strict-serializable']);
    expect(r).toMatchObject({ valid: false, forbidden: ['G-single-realtime'] });
    expect(edgesOf(first(r, 'G-single-realtime'))).toEqual([`${w.id} -realtime -> ${stale.id}`, `${stale.id} -rw x-> ${w.id}`]);
  });

  it('reports reads that no one order of appends explains, and duplicated elements', () => {
    const a = txn('c1', [0, 10], [['append', 'x', 1], ['append', 'x', 2]]);
    const r1 = txn('c2', [20, 30], [['r', 'x', [1, 2]]]);
    const r2 = txn('c3', [20, 30], [['r', 'x', [2, 1]]]);
    const r = check([a, r1, r2], ['read-uncommitted']);
    expect(r.forbidden).toContain('incompatible-order');
    expect(first(r, 'incompatible-order')).toMatchObject({ key: 'x', values: [[2, 1], [1, 2]], txns: [{ id: r2.id }, { id: r1.id }] });
    const dup = txn('c2', [20, 30], [['r', 'x', [1, 2, 1]]]);
    expect(first(check([a, dup], ['read-uncommitted']), 'duplicate-elements')).toMatchObject({ key: 'x', values: [1] });
  });

  it('rejects malformed txns and unknown models by name', () => {
    const bad = { id: 9, client: 'c', node: 'n1', f: 'txn', invokeUs: 0, completeUs: 1, outcome: 'ok' as const, detail: { result: [['w', 'x', 1]] } };
    expect(() => check([bad])).toThrow('list-append txn 9: micro-op 0 of detail.result is ["w","x",1]; expected ["r", key, value] or ["append", key, value]');
    expect(() => checkTransactions([], { workload: 'list-append', consistencyModels: ['linearizable' as never] })).toThrow("unknown consistency model 'linearizable'");
  });
});
