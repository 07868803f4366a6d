// Transactions as the Elle-style checkers read them from a client history.
import type { HistoryOp } from '../history.js';

export type TxnWorkload = 'list-append' | 'rw-register';

/** Keys as the workload sent them: 1 and "1" are different keys. */
export type TxnKey = string | number;

/** [f, key, value]: a read's value is what it saw (null before the reply), a write's what it wrote. */
export type MicroOp = readonly [f: string, key: TxnKey, value: unknown];

export interface Txn {
  /** Its node in the dependency graph. */
  index: number;
  source: HistoryOp;
  /** The reply's micro-ops when ok (reads filled in), the request's otherwise. */
  ops: readonly MicroOp[];
}

const WRITE_OF: Record<TxnWorkload, string> = { 'list-append': 'append', 'rw-register': 'w' };

/** Checks each micro-op's shape and keeps the recorded arrays as they are (histories are big). */
export function parseTxns(history: readonly HistoryOp[], workload: TxnWorkload): Txn[] {
  const write = WRITE_OF[workload];
  return history.map((h, index) => {
    if (h.f !== 'txn') throw new Error(`${workload} operation ${h.id} has f '${h.f}'; expected txn`);
    const ok = h.outcome === 'ok';
    const raw = ok ? h.detail.result : h.detail.txn;
    const field = ok ? 'detail.result' : 'detail.txn';
    if (!Array.isArray(raw)) throw new Error(`${workload} txn ${h.id} (${h.outcome}) has no ${field} list`);
    for (let i = 0; i < raw.length; i++) {
      const m = raw[i];
      if (!Array.isArray(m) || m.length !== 3 || (m[0] !== 'r' && m[0] !== write) || (typeof m[1] !== 'string' && typeof m[1] !== 'number')) {
        throw new Error(`${workload} txn ${h.id}: micro-op ${i} of ${field} is ${JSON.stringify(m)}; expected ["r", key, value] or ["${write}", key, value]`);
      }
      if (workload === 'list-append' && ok && m[0] === 'r' && m[2] !== null && !Array.isArray(m[2])) {
        throw new Error(`list-append txn ${h.id}: read of key ${m[1]} returned ${JSON.stringify(m[2])}; expected a list or null`);
      }
    }
    return { index, source: h, ops: raw as MicroOp[] };
  });
}
