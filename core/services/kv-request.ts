// The key-value requests that lin-kv, seq-kv and lww-kv share, and their meaning against one
// key's current value: read, write, and cas (with create_if_not_exists), as Maelstrom's.
import type { Body } from '../sdk/protocol.js';
import { canonicalJson, jsonEqual } from './json-value.js';
import { ErrorCode, errorReply, notSupported } from './service.js';

export type KvRequest =
  | { type: 'read'; key: unknown }
  | { type: 'write'; key: unknown; value: unknown }
  | { type: 'cas'; key: unknown; from: unknown; to: unknown; createIfNotExists: boolean };

/** A key's value as one state of the store sees it. */
export type Current = { exists: false } | { exists: true; value: unknown };

export interface KvOutcome {
  reply: Body;
  /** Set when the request changes the key's value: the new value. */
  write?: { value: unknown };
}

/** The request, or the error reply to a request that is not one (10 not-supported, 12 malformed). */
export function parseKvRequest(service: string, body: Body): KvRequest | Body {
  const missing = (fields: string[]) => fields.filter((field) => !(field in body) || body[field] === undefined);
  const malformed = (fields: string[]) => errorReply(ErrorCode.malformedRequest, `${body.type} needs ${fields.map((f) => `"${f}"`).join(' and ')}`);
  switch (body.type) {
    case 'read': {
      const absent = missing(['key']);
      return absent.length ? malformed(absent) : { type: 'read', key: body.key };
    }
    case 'write': {
      const absent = missing(['key', 'value']);
      return absent.length ? malformed(absent) : { type: 'write', key: body.key, value: body.value };
    }
    case 'cas': {
      const absent = missing(['key', 'from', 'to']);
      if (absent.length) return malformed(absent);
      const create = body.create_if_not_exists;
      if (create !== undefined && typeof create !== 'boolean') return errorReply(ErrorCode.malformedRequest, `create_if_not_exists must be true or false, got ${JSON.stringify(create)}`);
      return { type: 'cas', key: body.key, from: body.from, to: body.to, createIfNotExists: create === true };
    }
    default:
      return notSupported(service, body.type);
  }
}

export function isKvRequest(parsed: KvRequest | Body): parsed is KvRequest {
  return parsed.type !== 'error';
}

export function keyOf(request: KvRequest): string {
  return canonicalJson(request.key);
}

/**
 * The request against the key's current value. A write of the value the key already holds
 * changes nothing (as in Maelstrom, where such a state equals the one before).
 */
export function applyKv(request: KvRequest, current: Current): KvOutcome {
  switch (request.type) {
    case 'read':
      return current.exists ? { reply: { type: 'read_ok', value: current.value } } : { reply: keyMissing() };
    case 'write':
      return { reply: { type: 'write_ok' }, ...changeTo(current, request.value) };
    case 'cas':
      if (!current.exists) return request.createIfNotExists ? { reply: { type: 'cas_ok' }, write: { value: request.to } } : { reply: keyMissing() };
      if (!jsonEqual(current.value, request.from)) {
        return { reply: errorReply(ErrorCode.preconditionFailed, `current value ${JSON.stringify(current.value)} is not ${JSON.stringify(request.from)}`) };
      }
      return { reply: { type: 'cas_ok' }, ...changeTo(current, request.to) };
  }
}

function changeTo(current: Current, value: unknown): Pick<KvOutcome, 'write'> {
  return current.exists && jsonEqual(current.value, value) ? {} : { write: { value } };
}

function keyMissing(): Body {
  return errorReply(ErrorCode.keyDoesNotExist, 'key does not exist');
}
