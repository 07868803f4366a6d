// Maelstrom txn-rw-register and txn-list-append, strict-serializable by the simplest means:
// one owner runs every transaction to its end before the next, in the order it receives
// them, and the other nodes forward. A transaction sees all that finished before it began.
import type { Body, Program } from '../../sdk/index.js';
import { ownerParams, ownerProtocol } from './owner-protocol.js';
import { ERROR_MALFORMED_REQUEST, errorBody } from './replies.js';
import { parseTxn, runTxn, WRITE_FUNCTION, type TxnKind, type TxnStore } from './txn-apply.js';

export const TXN_REQUESTS: ReadonlySet<string> = new Set(['txn']);

/** The answer to a txn request, run on `store`. */
export function serveTxn(store: TxnStore, request: Body, kind: TxnKind): Body {
  const txn = parseTxn(request, kind);
  if (!txn) return errorBody(ERROR_MALFORMED_REQUEST, `txn must be a list of ["r", k, null] and ["${WRITE_FUNCTION[kind]}", k, v]`);
  return { type: 'txn_ok', txn: runTxn(store, txn) };
}

function serializedTxn(kind: TxnKind): Program {
  return {
    name: `txn-${kind}`,
    description: `Maelstrom txn-${kind}: one owner node runs every transaction alone, in arrival order, and the others forward to it. Strict-serializable (no G0, G1 or G2 anomaly can happen), but unavailable to clients cut off from the owner.`,
    params: ownerParams,
    protocol: ownerProtocol<TxnStore>({ requestTypes: TXN_REQUESTS, create: () => new Map(), serve: (store, request) => serveTxn(store, request, kind) }),
  };
}

export const txnRwRegister = serializedTxn('rw-register');
export const txnListAppend = serializedTxn('list-append');
