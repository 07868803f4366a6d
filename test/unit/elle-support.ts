// Hand-made transactional histories for the Elle-style checker's tests.
import type { HistoryOp } from '../../core/checks/history.js';
import type { AnomalyReport, TxnCheckResult } from '../../core/checks/elle/check.js';

let nextId = 1;

/** A txn as its reply reads when ok (reads filled in); when not ok the request is recorded with reads as null. */
export function txn(client: string, span: [number, number | null], ops: Array<[string, string | number, unknown]>, outcome: HistoryOp['outcome'] = 'ok'): HistoryOp {
  const sent = ops.map(([f, k, v]) => [f, k, f === 'r' ? null : v]);
  const detail = outcome === 'ok' ? { txn: sent, result: ops } : { txn: sent };
  return { id: nextId++, client, node: 'n1', f: 'txn', invokeUs: span[0], completeUs: outcome === 'ok' ? span[1] : null, outcome, detail };
}

/** A cycle's edges as `from -kind key-> to` strings, sorted, so that where the cycle starts does not matter. */
export function edgesOf(a: AnomalyReport | undefined): string[] {
  if (!a?.cycle) throw new Error(`expected a cycle, got ${JSON.stringify(a)}`);
  return a.cycle.map((e) => `${e.from} -${e.kind} ${e.key ?? ''}-> ${e.to}`).sort();
}

export function first(r: TxnCheckResult, type: string): AnomalyReport | undefined {
  return r.anomalies.find((a) => a.type === type);
}
