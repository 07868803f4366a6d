// The key-value state machine the log drives. Every command, reads included, runs here
// in log order, which is what makes reads linearizable.
import type { Body, Output } from '../../sdk/index.js';
import { missingField, send } from '../../sdk/index.js';
import type { ClientCommand, Command } from './types.js';

/** Indefinite: the request may or may not have taken effect (Maelstrom's timeout). */
export const ERROR_TIMEOUT = 0;
export const ERROR_NOT_SUPPORTED = 10;
export const ERROR_TEMPORARILY_UNAVAILABLE = 11;
export const ERROR_KEY_DOES_NOT_EXIST = 20;
export const ERROR_PRECONDITION_FAILED = 22;

export function errorBody(code: number, text: string): Body {
  return { type: 'error', code, text };
}

/** An answer to a request whose msg_id we kept (Maelstrom: in_reply_to = the request's msg_id). */
export function answer(to: string, requestMsgId: number | undefined, body: Body): Output {
  return send(to, { ...body, in_reply_to: requestMsgId });
}

const keyOf = (key: unknown): string => JSON.stringify(key ?? null);
const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Applies a committed command and returns the answer its client gets. */
export function applyCommand(kv: Map<string, unknown>, command: Command): Body {
  switch (command.op) {
    case 'noop':
      return { type: 'noop_ok' };
    case 'read':
      return kv.has(keyOf(command.key))
        ? { type: 'read_ok', value: kv.get(keyOf(command.key)) }
        : errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist');
    case 'write':
      kv.set(keyOf(command.key), command.value);
      return { type: 'write_ok' };
    case 'cas': {
      const key = keyOf(command.key);
      if (!kv.has(key)) return errorBody(ERROR_KEY_DOES_NOT_EXIST, 'key does not exist');
      if (!sameValue(kv.get(key), command.from)) {
        return errorBody(ERROR_PRECONDITION_FAILED, `expected ${JSON.stringify(command.from)}, found ${JSON.stringify(kv.get(key))}`);
      }
      kv.set(key, command.to);
      return { type: 'cas_ok' };
    }
  }
}

/** The command a client request stands for, or null when it is not a key-value request. */
export function commandFromRequest(body: Body): ClientCommand | null {
  switch (body.type) {
    case 'read':
      return { op: 'read', key: body.key };
    case 'write':
      return { op: 'write', key: body.key, value: body.value };
    case 'cas':
      return { op: 'cas', key: body.key, from: body.from, to: body.to };
    default:
      return null;
  }
}

/** The fields each command carries (any JSON value, null included, but never missing). */
const COMMAND_FIELDS: Record<Command['op'], readonly string[]> = { noop: [], read: ['key'], write: ['key', 'value'], cas: ['key', 'from', 'to'] };

/** Why a client's request cannot run, e.g. "key is missing" (a corrupted field name); undefined when it can. */
export function commandProblem(command: ClientCommand): string | undefined {
  const missing = missingField(command, COMMAND_FIELDS[command.op]);
  return missing === undefined ? undefined : `${missing} is missing`;
}

/** A command as a peer's log entry carries it: a known op with all its fields. */
export function isCommand(value: unknown): value is Command {
  if (typeof value !== 'object' || value === null) return false;
  const command = value as Record<string, unknown>;
  const op = command.op;
  return typeof op === 'string' && Object.hasOwn(COMMAND_FIELDS, op) && missingField(command, COMMAND_FIELDS[op as Command['op']]) === undefined;
}

/** The key a command touches, for the apply event (null for a no-op). */
export function commandKey(command: Command): unknown {
  return command.op === 'noop' ? null : (command.key ?? null);
}

/** FNV-1a (32 bit) of the command's JSON, in hex: replicas' logs compare by index and digest. */
export function commandDigest(command: Command): string {
  const text = JSON.stringify(command);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The snapshot a leader ships to a lagging follower: the map as [JSON key, value] pairs. */
export function snapshotOf(kv: Map<string, unknown>): [string, unknown][] {
  return [...kv.entries()];
}

/** The snapshot's pairs, or undefined when `data` is not a list of [JSON key, value]. */
export function snapshotPairs(data: unknown): [string, unknown][] | undefined {
  if (!Array.isArray(data)) return undefined;
  return data.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string') ? (data as [string, unknown][]) : undefined;
}
