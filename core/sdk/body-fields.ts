// Typed reads of a message's fields. A body that crossed a corrupting network
// (network.corrupt) is still JSON, but a field may be missing (its name changed), of
// another type or of another value: a protocol reads what it needs through these and
// ignores a peer's message that does not fit, or answers a client's with malformedRequest.
import type { Body, Output } from './protocol.js';
import { log } from './outputs.js';

/** Maelstrom's error 12, malformed-request: definite, the request did not happen. */
export const ERROR_MALFORMED_REQUEST = 12;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A parsed message a protocol can be given: an object with a string `type`. */
export function isBody(value: unknown): value is Body {
  return isRecord(value) && typeof value.type === 'string';
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number (a term, an index, an offset); undefined for anything else. */
export function integerField(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  return Number.isSafeInteger(value) ? (value as number) : undefined;
}

/** Any finite number. */
export function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function booleanField(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  return typeof value === 'boolean' ? value : undefined;
}

export function arrayField(body: Record<string, unknown>, name: string): unknown[] | undefined {
  const value = body[name];
  return Array.isArray(value) ? value : undefined;
}

/** A JSON object (not a list, not null). */
export function objectField(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = body[name];
  return isRecord(value) ? value : undefined;
}

/** The first of `names` the body lacks (any JSON value, null included, counts as present). */
export function missingField(body: Record<string, unknown>, names: readonly string[]): string | undefined {
  return names.find((name) => body[name] === undefined);
}

/** The reply to a client request whose fields are missing or of the wrong type: error 12, naming the field. */
export function malformedRequest(request: Body, reason: string): Body {
  return { type: 'error', code: ERROR_MALFORMED_REQUEST, text: `malformed ${request.type}: ${reason}`, in_reply_to: request.msg_id };
}

/** A log line for a peer's message a protocol ignores because a field is missing or of the wrong type. */
export function ignoredMalformed(from: string, body: Body): Output {
  return log(`ignored a malformed ${body.type} from ${from}: ${JSON.stringify(body).slice(0, 200)}`);
}

/** The log line of a node host that drops a message it cannot parse or that is not a Body. */
export function notABodyLine(from: string, text: string): string {
  return `malformed message from ${from}: ${text.slice(0, 200)}`;
}
