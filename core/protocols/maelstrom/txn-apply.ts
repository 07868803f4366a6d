// Maelstrom transactions on a local store: micro-operations [f, k, v] run in order; a read
// ["r", k, null] is completed with the key's value (null when the key is missing). The
// txn-rw-register write ["w", k, v] replaces the value; the txn-list-append write
// ["append", k, v] adds v to the end of k's list, creating it.
import type { Body } from '../../sdk/index.js';
import { valueKey } from './value-set.js';

export type TxnKind = 'rw-register' | 'list-append';
export type MicroOp = [string, unknown, unknown];
export type TxnStore = Map<string, unknown>;

export const WRITE_FUNCTION: Record<TxnKind, string> = { 'rw-register': 'w', 'list-append': 'append' };

/** The micro-operations of a txn request, or null when one is not [f, k, v] with a known f. */
export function parseTxn(body: Body, kind: TxnKind): MicroOp[] | null {
  if (!Array.isArray(body.txn)) return null;
  const ops = body.txn as unknown[];
  const wellFormed = ops.every((op) => Array.isArray(op) && op.length === 3 && (op[0] === 'r' || op[0] === WRITE_FUNCTION[kind]));
  return wellFormed ? (ops as MicroOp[]) : null;
}

/** Runs the transaction on the store and returns it completed (reads filled in). */
export function runTxn(store: TxnStore, txn: readonly MicroOp[]): MicroOp[] {
  return txn.map(([f, key, value]): MicroOp => {
    if (f !== 'r') {
      applyWrite(store, [f, key, value]);
      return [f, key, value];
    }
    const current = store.get(valueKey(key));
    return [f, key, Array.isArray(current) ? [...current] : (current ?? null)];
  });
}

export function applyWrite(store: TxnStore, [f, key, value]: MicroOp): void {
  const k = valueKey(key);
  if (f === 'append') store.set(k, [...((store.get(k) as unknown[] | undefined) ?? []), value]);
  else store.set(k, value);
}

export const writesOf = (txn: readonly MicroOp[]): MicroOp[] => txn.filter(([f]) => f !== 'r');
