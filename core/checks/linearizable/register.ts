// The sequential model the lin-kv checker linearizes against: one register per key, with
// read, write and compare-and-set, starting with no value (null), as Maelstrom's lin-kv.
import type { HistoryOp } from '../history.js';

/** A register's value, canonical so that equal values compare with `===` (objects as JSON). */
export type RegisterValue = string | number | boolean | null;

export type RegisterOp =
  | { kind: 'read'; value: RegisterValue }
  | { kind: 'write'; value: RegisterValue }
  | { kind: 'cas'; from: RegisterValue; to: RegisterValue };

export const INITIAL_REGISTER: RegisterValue = null;

/** The state after `op`, or undefined when `op` cannot happen in `state`. */
export function stepRegister(state: RegisterValue, op: RegisterOp): RegisterValue | undefined {
  switch (op.kind) {
    case 'read':
      return op.value === state ? state : undefined;
    case 'write':
      return op.value;
    case 'cas':
      return op.from === state ? op.to : undefined;
  }
}

/** Marks a JSON-encoded object or array, so that it cannot be mistaken for a recorded string. */
const JSON_MARK = '\u0000json:';

export function canonicalValue(v: unknown): RegisterValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return `${JSON_MARK}${JSON.stringify(v)}`;
}

/** Key-does-not-exist: a read that failed with it saw no value. */
const KEY_DOES_NOT_EXIST = 20;

export interface KeyedRegisterOp {
  key: string;
  op: RegisterOp;
  /** False for an op with an unknown outcome: it may take effect at any time after its call, or never. */
  completed: boolean;
}

/**
 * What a recorded lin-kv op means to the model, or null when it constrains nothing. As in
 * Maelstrom and Knossos: a definite failure did not happen (a cas that failed with 22 or 20
 * is dropped, not read as an observation), except that a read failing with 20 observed the
 * missing key, so it is a read of null; a read with an unknown outcome observed nothing.
 */
export function registerOpOf(h: HistoryOp): KeyedRegisterOp | null {
  const d = h.detail;
  if (d.key === undefined || d.key === null) throw new Error(`lin-kv operation ${h.id} (${h.f}) has no detail.key`);
  const key = String(d.key);
  const completed = h.outcome === 'ok';
  switch (h.f) {
    case 'read':
      if (h.outcome === 'ok') return { key, op: { kind: 'read', value: canonicalValue(d.value) }, completed };
      if (h.outcome === 'fail' && d.code === KEY_DOES_NOT_EXIST) return { key, op: { kind: 'read', value: null }, completed: true };
      return null;
    case 'write':
      if (h.outcome === 'fail') return null;
      if (!('value' in d)) throw new Error(`lin-kv write ${h.id} has no detail.value`);
      return { key, op: { kind: 'write', value: canonicalValue(d.value) }, completed };
    case 'cas':
      if (h.outcome === 'fail') return null;
      if (!('from' in d) || !('to' in d)) throw new Error(`lin-kv cas ${h.id} needs detail.from and detail.to`);
      return { key, op: { kind: 'cas', from: canonicalValue(d.from), to: canonicalValue(d.to) }, completed };
    default:
      throw new Error(`lin-kv operation ${h.id} has f '${h.f}'; expected read, write or cas`);
  }
}

/** How a register state is shown in findings: JSON values as they were recorded. */
export function shownValue(v: RegisterValue): unknown {
  return typeof v === 'string' && v.startsWith(JSON_MARK) ? JSON.parse(v.slice(JSON_MARK.length)) : v;
}
