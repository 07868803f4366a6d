// The linearizability checker on a generated lin-kv history (a real register per key, so
// the history is linearizable), against the plain exhaustive search on a small prefix.
import { checkLinearizability } from '../core/checks/linearizability.js';
import { exhaustivelyLinearizable } from '../core/checks/linearizable/exhaustive.js';
import type { HistoryOp } from '../core/checks/history.js';
import { createRng } from '../core/engine/prng.js';
import { byInvocation, overlappingSchedule } from './history-gen.js';

export interface LinBench {
  ops: number;
  keys: number;
  concurrency: number;
  unknown: number;
  checkMs: number;
  verdict: string;
  /** The memoised search on the prefix the exhaustive search took. */
  prefixOps: number;
  prefixCheckMs: number;
  exhaustiveMs: number;
  exhaustiveOrders: number;
  exhaustiveFound: boolean;
}

export function generateLinKvHistory(total: number, keys: number, concurrency: number, seed = 1): HistoryOp[] {
  const rng = createRng(seed, 'bench-lin-kv');
  const register = new Map<string, number | null>();
  const history = overlappingSchedule(rng, concurrency, total).map((s, id): HistoryOp => {
    const key = `k${rng.int(keys)}`;
    const current = register.get(key) ?? null;
    const base = { id, client: s.client, node: 'n1', invokeUs: s.invokeUs, completeUs: s.completeUs as number | null, outcome: 'ok' as HistoryOp['outcome'] };
    const roll = rng.next();
    if (roll < 0.5) return current === null ? { ...base, f: 'read', outcome: 'fail', detail: { key, code: 20 } } : { ...base, f: 'read', detail: { key, value: current } };
    const value = rng.int(5);
    if (roll < 0.8) {
      register.set(key, value);
      // One write in a hundred times out, though it took effect.
      return rng.next() < 0.01 ? { ...base, f: 'write', completeUs: null, outcome: 'unknown', detail: { key, value } } : { ...base, f: 'write', detail: { key, value } };
    }
    const from = rng.next() < 0.5 ? current ?? 0 : rng.int(5);
    if (from !== current) return { ...base, f: 'cas', outcome: 'fail', detail: { key, from, to: value, code: current === null ? 20 : 22 } };
    register.set(key, value);
    return { ...base, f: 'cas', detail: { key, from, to: value } };
  });
  return byInvocation(history);
}

export function linearizabilityBench(): LinBench {
  const ops = 10_000;
  const keys = 10;
  const concurrency = 10;
  const history = generateLinKvHistory(ops, keys, concurrency);
  const started = performance.now();
  const r = checkLinearizability(history, { budgetMs: 30_000 });
  const checkMs = performance.now() - started;

  const prefix = history.slice(0, 10);
  const t0 = performance.now();
  const exhaustive = exhaustivelyLinearizable(prefix);
  const exhaustiveMs = performance.now() - t0;
  const t1 = performance.now();
  checkLinearizability(prefix);
  const prefixCheckMs = performance.now() - t1;
  return {
    ops, keys, concurrency, unknown: history.filter((h) => h.outcome === 'unknown').length,
    checkMs, verdict: r.verdict, prefixOps: prefix.length, prefixCheckMs, exhaustiveMs, exhaustiveOrders: exhaustive.ordersTried, exhaustiveFound: exhaustive.linearizable,
  };
}
