import { describe, it, expect } from 'vitest';
import { checkLinearizability } from '../../core/checks/linearizability.js';
import type { HistoryOp } from '../../core/checks/history.js';

let nextId = 1;
function op(client: string, f: 'read' | 'write' | 'cas', span: [number, number | null], detail: Record<string, unknown>, outcome: HistoryOp['outcome'] = 'ok'): HistoryOp {
  return { id: nextId++, client, node: 'n1', f, invokeUs: span[0], completeUs: span[1], outcome, detail: { key: 'x', ...detail } };
}
const ids = (ops: Array<{ id: number }>) => ops.map((o) => o.id);

describe('checkLinearizability', () => {
  it('passes a sequential history and one where concurrent ops need a particular order', () => {
    const sequential = [op('c1', 'write', [0, 10], { value: 1 }), op('c2', 'read', [20, 30], { value: 1 }), op('c1', 'cas', [40, 50], { from: 1, to: 2 }), op('c2', 'read', [60, 70], { value: 2 })];
    expect(checkLinearizability(sequential)).toMatchObject({ valid: true, verdict: 'valid', keys: 1, operations: 4, invalidKeys: [] });
    // Two overlapping writes; c3 reads 2 then 1, c4 reads 1 — only the order w2, r2, w1, r1, r1 fits.
    const concurrent = [
      op('c1', 'write', [0, 100], { value: 1 }),
      op('c2', 'write', [0, 100], { value: 2 }),
      op('c3', 'read', [10, 20], { value: 2 }),
      op('c3', 'read', [30, 120], { value: 1 }),
      op('c4', 'read', [110, 130], { value: 1 }),
    ];
    expect(checkLinearizability(concurrent).verdict).toBe('valid');
  });

  it('reports a stale read with the prefix it ends, the ops involved and the last state', () => {
    const w1 = op('c1', 'write', [0, 10], { value: 1 });
    const w2 = op('c1', 'write', [20, 30], { value: 2 });
    const stale = op('c2', 'read', [40, 50], { value: 1 });
    const later = op('c2', 'read', [60, 70], { value: 2 });
    const r = checkLinearizability([w1, w2, stale, later]);
    expect(r).toMatchObject({ valid: false, verdict: 'invalid', invalidKeys: ['x'] });
    expect(r.failure).toMatchObject({ key: 'x', prefix: { operations: 3, endsAtUs: 50 }, operationsOmitted: 0, blockingOp: { id: stale.id, client: 'c2', f: 'read', value: 1, invokeUs: 40, completeUs: 50 } });
    expect(ids(r.failure!.operations)).toEqual([w1.id, w2.id, stale.id]);
    expect(r.failure!.lastStates).toEqual([{ value: 2, linearizedCount: 2, lastLinearized: [w1.id, w2.id] }]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('catches a lost write: a read after an acknowledged write sees the value before it', () => {
    const w1 = op('c1', 'write', [0, 10], { value: 'a' });
    const w2 = op('c2', 'write', [5, 15], { value: 'b' });
    const r1 = op('c3', 'read', [20, 30], { value: 'b' });
    const w3 = op('c1', 'write', [40, 50], { value: 'c' });
    const lost = op('c3', 'read', [60, 70], { value: 'b' });
    const r = checkLinearizability([w1, w2, r1, w3, lost]);
    expect(r.verdict).toBe('invalid');
    expect(r.failure!.blockingOp.id).toBe(lost.id);
    expect(r.failure!.prefix.operations).toBe(5);
    expect(r.failure!.lastStates.map((s) => s.value)).toEqual(['c']);
  });

  it('follows cas chains, and fails two cas that both succeeded from the same value', () => {
    const chain = [
      op('c1', 'write', [0, 10], { value: 0 }),
      op('c2', 'cas', [20, 60], { from: 1, to: 2 }),
      op('c1', 'cas', [20, 40], { from: 0, to: 1 }),
      op('c3', 'cas', [50, 70], { from: 2, to: 3 }),
      op('c1', 'read', [80, 90], { value: 3 }),
    ];
    expect(checkLinearizability(chain).verdict).toBe('valid');
    const w = op('c1', 'write', [0, 10], { value: 0 });
    const a = op('c1', 'cas', [20, 30], { from: 0, to: 1 });
    const b = op('c2', 'cas', [40, 50], { from: 0, to: 2 });
    const r = checkLinearizability([w, a, b]);
    expect(r.verdict).toBe('invalid');
    expect(r.failure).toMatchObject({ blockingOp: { id: b.id, f: 'cas', from: 0, to: 2 }, lastStates: [{ value: 1, linearizedCount: 2, lastLinearized: [w.id, a.id] }] });
  });

  it('treats a failed cas as not having happened, and a read failing with 20 as a read of no value', () => {
    const ok = [
      op('c1', 'read', [0, 10], { code: 20 }, 'fail'),
      op('c1', 'write', [20, 30], { value: 5 }),
      op('c2', 'cas', [40, 50], { from: 4, to: 6, code: 22 }, 'fail'),
      op('c2', 'read', [60, 70], { value: 5 }),
    ];
    expect(checkLinearizability(ok)).toMatchObject({ verdict: 'valid', operations: 3 });
    const missing = op('c2', 'read', [40, 50], { code: 20 }, 'fail');
    const r = checkLinearizability([op('c1', 'write', [0, 10], { value: 5 }), missing]);
    expect(r.verdict).toBe('invalid');
    expect(r.failure!.blockingOp).toMatchObject({ id: missing.id, value: null, outcome: 'fail' });
  });

  it('lets an unknown write take effect when a later read needs it, at any time after its call', () => {
    const w1 = op('c1', 'write', [0, 10], { value: 1 });
    const maybe = op('c2', 'write', [20, null], { value: 2 }, 'unknown');
    const r2 = op('c3', 'read', [500, 510], { value: 2 });
    const r = checkLinearizability([w1, maybe, r2]);
    expect(r).toMatchObject({ valid: true, verdict: 'valid' });
    // Not before its call, though.
    const early = op('c3', 'read', [12, 15], { value: 2 });
    const r3 = checkLinearizability([w1, maybe, early]);
    expect(r3.verdict).toBe('invalid');
    expect(r3.failure!.blockingOp.id).toBe(early.id);
  });

  it('lets an unknown write never happen, but not happen and then be undone', () => {
    const w1 = op('c1', 'write', [0, 10], { value: 1 });
    const maybe = op('c2', 'write', [20, 30], { value: 2 }, 'unknown');
    const r1 = op('c3', 'read', [100, 110], { value: 1 });
    const r1again = op('c3', 'read', [200, 210], { value: 1 });
    expect(checkLinearizability([w1, maybe, r1, r1again]).verdict).toBe('valid');
    const r2 = op('c3', 'read', [100, 110], { value: 2 });
    const back = op('c3', 'read', [200, 210], { value: 1 });
    const r = checkLinearizability([w1, maybe, r2, back]);
    expect(r.verdict).toBe('invalid');
    expect(r.failure).toMatchObject({ blockingOp: { id: back.id }, prefix: { operations: 4, endsAtUs: 210 } });
    expect(r.failure!.lastStates[0]).toMatchObject({ value: 2, lastLinearized: [w1.id, maybe.id, r2.id] });
  });

  it('checks each key on its own and names the key that fails', () => {
    const y = (o: HistoryOp) => ({ ...o, detail: { ...o.detail, key: 'y' } });
    const history = [op('c1', 'write', [0, 10], { value: 1 }), y(op('c2', 'write', [0, 10], { value: 7 })), op('c1', 'read', [20, 30], { value: 1 }), y(op('c2', 'read', [20, 30], { value: 1 }))];
    const r = checkLinearizability(history);
    expect(r).toMatchObject({ verdict: 'invalid', keys: 2, invalidKeys: ['y'], failure: { key: 'y' } });
  });

  it('gives up within its budget on a hard history, as unknown rather than invalid', () => {
    // 40 overlapping writes that may or may not have happened, then a read of a value none wrote:
    // proving it illegal means trying every subset of the writes.
    const writes = Array.from({ length: 40 }, (_, i) => op(`c${i}`, 'write', [i, null], { value: i }, 'unknown'));
    const impossible = op('r', 'read', [1000, 1010], { value: 'never written' });
    const started = performance.now();
    const r = checkLinearizability([...writes, impossible], { budgetMs: 200 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r).toMatchObject({ valid: true, verdict: 'unknown', reason: 'gave up after 0.2 s (1 of 1 keys undecided)', gaveUpKeys: ['x'] });
  });

  it('shows at most 50 involved ops, the blocking one and those invoked nearest the failure', () => {
    // 60 long reads of a value never written, still running when a short read fails.
    const w = op('w', 'write', [0, 10], { value: 1 });
    const pending = Array.from({ length: 60 }, (_, i) => op(`c${i}`, 'read', [20 + i, 1000], { value: 2 }));
    const impossible = op('r', 'read', [100, 110], { value: 3 });
    const r = checkLinearizability([w, ...pending, impossible]);
    expect(r.verdict).toBe('invalid');
    expect(r.failure!.operations).toHaveLength(50);
    expect(r.failure!.operationsOmitted).toBe(12);
    expect(r.failure!.operations.at(-1)!.id).toBe(impossible.id);
    expect(r.failure!.operations[0].invokeUs).toBe(31);
  });

  it('names the operation whose detail is malformed', () => {
    const bad = { id: 42, client: 'c1', node: 'n1', f: 'write', invokeUs: 0, completeUs: 1, outcome: 'ok' as const, detail: { value: 1 } };
    expect(() => checkLinearizability([bad])).toThrow('lin-kv operation 42 (write) has no detail.key');
    expect(() => checkLinearizability([{ ...bad, f: 'add', detail: { key: 'x' } }])).toThrow("has f 'add'; expected read, write or cas");
  });
});
