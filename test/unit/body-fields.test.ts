// The SDK's typed field readers, which protocols use on bodies a corrupting network may have changed.
import { describe, expect, it } from 'vitest';
import {
  arrayField,
  booleanField,
  ERROR_MALFORMED_REQUEST,
  ignoredMalformed,
  integerField,
  isBody,
  malformedRequest,
  missingField,
  numberField,
  objectField,
  stringField,
} from '../../core/sdk/index.js';

describe('body fields', () => {
  const body = { type: 'append_entries', msg_id: 7, term: 3, rate: 0.5, ok: true, key: 'x', entries: [1], kv: { a: 1 }, none: null };

  it('reads a field of the asked type, and undefined when it is missing or of another', () => {
    expect(integerField(body, 'term')).toBe(3);
    expect(integerField(body, 'rate')).toBeUndefined();
    expect(integerField(body, 'key')).toBeUndefined();
    expect(integerField({ type: 't', term: '3' }, 'term')).toBeUndefined();
    expect(integerField(body, 'tzrm')).toBeUndefined();
    expect(numberField(body, 'rate')).toBe(0.5);
    expect(numberField(body, 'key')).toBeUndefined();
    expect(stringField(body, 'key')).toBe('x');
    expect(stringField(body, 'term')).toBeUndefined();
    expect(booleanField(body, 'ok')).toBe(true);
    expect(booleanField(body, 'term')).toBeUndefined();
    expect(arrayField(body, 'entries')).toEqual([1]);
    expect(arrayField(body, 'kv')).toBeUndefined();
    expect(objectField(body, 'kv')).toEqual({ a: 1 });
    expect(objectField(body, 'entries')).toBeUndefined();
    expect(objectField(body, 'none')).toBeUndefined();
  });

  it('names the first missing field; null counts as present', () => {
    expect(missingField(body, ['key', 'none', 'value', 'from'])).toBe('value');
    expect(missingField(body, ['key', 'none'])).toBeUndefined();
  });

  it('tells a Body (an object with a string type) from other JSON', () => {
    expect(isBody(body)).toBe(true);
    for (const value of [null, 3, 'read', [], [{ type: 'read' }], {}, { tzpe: 'read' }, { type: 5 }]) expect(isBody(value)).toBe(false);
  });

  it('answers a malformed client request with error 12 naming the field, and logs an ignored peer message', () => {
    expect(malformedRequest({ type: 'read', msg_id: 4 }, 'key is missing')).toEqual({ type: 'error', code: ERROR_MALFORMED_REQUEST, text: 'malformed read: key is missing', in_reply_to: 4 });
    expect(ERROR_MALFORMED_REQUEST).toBe(12);
    expect(ignoredMalformed('n2', { type: 'vote', tzrm: 1 })).toEqual({ kind: 'log', text: 'ignored a malformed vote from n2: {"type":"vote","tzrm":1}' });
  });
});
