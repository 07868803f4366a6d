// Transactions as the Elle-style checkers read them from a client history.
import type { HistoryOp } from '../history.js';

export type TxnWorkload = 'list-append' | 'rw-register';

/** [f, key, value]: a read's value is what it saw (null before the reply), a write's what it wrote. */
export type MicroOp = [f: string, key: string, value: unknown];

export interface Txn {
  /** Its node in the dependency graph. */
  index: number;
  source: HistoryOp;
  /** The reply's micro-ops when ok (reads filled in), the request's otherwise. */
  ops: MicroOp[];
}

const WRITE_OF: Record<TxnWorkload, string> = { 'list-append': 'append', 'rw-register': 'w' };

export function writeFunction(workload: TxnWorkload): string {
  return WRITE_OF[workload];
}

export function parseTxns(history: readonly HistoryOp[], workload: TxnWorkload): Txn[] {
  const write = WRITE_OF[workload];
  return history.map((h, index) => {
    if (h.f !== 'txn') throw new Error(`${workload} operation ${h.id} has f '${h.f}'; expected txn`);
    const raw = h.outcome === 'ok' ? h.detail.result : h.detail.txn;
    const field = h.outcome === 'ok' ? 'detail.result' : 'detail.txn';
    if (!Array.isArray(raw)) throw new Error(`${workload} txn ${h.id} (${h.outcome}) has no ${field} list`);
    const ops = raw.map((m, i): MicroOp => {
      if (!Array.isArray(m) || m.length !== 3 || (m[0] !== 'r' && m[0] !== write)) {
        throw new Error(`${workload} txn ${h.id}: micro-op ${i} of ${field} is ${JSON.stringify(m)}; expected ["r", key, value] or ["${write}", key, value]`);
      }
      if (workload === 'list-append' && m[0] === 'r' && h.outcome === 'ok' && m[2] !== null && !Array.isArray(m[2])) {
        throw new Error(`list-append txn ${h.id}: read of key ${m[1]} returned ${JSON.stringify(m[2])}; expected a list or null`);
      }
      return [m[0], String(m[1]), m[2]];
    });
    return { index, source: h, ops };
  });
}
