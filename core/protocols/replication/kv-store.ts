// The replicated state machine: a key-value map driven by logged writes. Every applied
// write keeps what it overwrote, so a replica can undo the tail of its log when a new
// primary's log turns out shorter or different.
import type { Body } from '../../sdk/index.js';

/** A logged write. A cas is logged only after it succeeded at the primary. */
export type WriteOp =
  | { type: 'write'; key: unknown; value: unknown }
  | { type: 'cas'; key: unknown; from: unknown; to: unknown };

/** What a write overwrote: the key's earlier value, or that it had none. */
export type Undo = { had: false } | { had: true; value: unknown };

/** Keys are stored as their JSON, so 1 and "1" stay different keys. */
export type Kv = Map<string, unknown>;

/** Maelstrom's indefinite timeout: the request may or may not have taken effect. */
export const ERROR_OUTCOME_UNKNOWN = 0;
export const ERROR_NOT_SUPPORTED = 10;
export const ERROR_TEMPORARILY_UNAVAILABLE = 11;
export const ERROR_KEY_DOES_NOT_EXIST = 20;
export const ERROR_PRECONDITION_FAILED = 22;

export const errorBody = (code: number, text: string): Body => ({ type: 'error', code, text });

const keyOf = (key: unknown): string => JSON.stringify(key ?? null);
const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function applyWrite(kv: Kv, op: WriteOp): Undo {
  const key = keyOf(op.key);
  const undo: Undo = kv.has(key) ? { had: true, value: kv.get(key) } : { had: false };
  kv.set(key, op.type === 'write' ? op.value : op.to);
  return undo;
}

export function undoWrite(kv: Kv, op: WriteOp, undo: Undo): void {
  if (undo.had) kv.set(keyOf(op.key), undo.value);
  else kv.delete(keyOf(op.key));
}

export function readAnswer(kv: Kv, key: unknown): Body {
  const k = keyOf(key);
  return kv.has(k) ? { type: 'read_ok', value: kv.get(k) } : errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist');
}

/** The error a cas meets on this state, or null when it would succeed. */
export function casError(kv: Kv, key: unknown, from: unknown): Body | null {
  const k = keyOf(key);
  if (!kv.has(k)) return errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist');
  if (!sameValue(kv.get(k), from)) {
    return errorBody(ERROR_PRECONDITION_FAILED, `expected ${JSON.stringify(from)}, found ${JSON.stringify(kv.get(k))}`);
  }
  return null;
}

/** FNV-1a (32 bit) of the op's JSON, in hex: replicas compare applied entries by index and digest. */
export function opDigest(op: WriteOp): string {
  const text = JSON.stringify(op);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The op a write or cas request asks for, or null for anything else. */
export function writeOpFrom(body: Body): WriteOp | null {
  if (body.type === 'write') return { type: 'write', key: body.key, value: body.value };
  if (body.type === 'cas') return { type: 'cas', key: body.key, from: body.from, to: body.to };
  return null;
}
