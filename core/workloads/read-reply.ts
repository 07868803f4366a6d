// Replies shared by several workloads: a plain acknowledgement, and Maelstrom's read_ok.
import type { Body } from '../sdk/protocol.js';
import { wrongReply, type Verdict } from './request-workload.js';

/** `add_ok`, `broadcast_ok`…: only the type matters. */
export function acknowledged(reply: Body, expected: string): Verdict {
  return reply.type === expected ? { outcome: 'ok' } : wrongReply(`expected ${expected}, got ${reply.type}`);
}

/** `read_ok` whose `field` must pass `valid`; the detail records it as `value`. */
export function readReply(reply: Body, field: string, valid: (v: unknown) => boolean, shape: string): Verdict {
  if (reply.type !== 'read_ok') return wrongReply(`expected read_ok, got ${reply.type}`);
  if (!(field in reply)) return wrongReply(`read_ok without ${field}`);
  if (!valid(reply[field])) return wrongReply(`read_ok's ${field} is not ${shape}`);
  return { outcome: 'ok', detail: { value: reply[field] } };
}

export const isList = (v: unknown): boolean => Array.isArray(v);
export const isInteger = (v: unknown): boolean => Number.isSafeInteger(v);
