// What the main process checks before anything from the renderer reaches the engine host.
// Pure functions without Electron, so that they are unit-tested in plain Node. The host's
// Lab validates each argument's fields in detail; this is the gate in front of it: a known
// method, from the app's own page, carrying plain JSON of a bounded size.
import type { ApiErrorPayload, EventName, Method } from '../core/api/contract.js';
import { EVENTS, METHODS } from '../core/api/contract.js';

/** The custom protocol the renderer is served from, and its one host. */
export const APP_SCHEME = 'distlab';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Experiment texts are at most 1 Mi characters; their JSON escaping may take up to about twice that. */
export const MAX_ARG_JSON_BYTES = 4 * 1024 * 1024;
export const MAX_ARG_DEPTH = 32;

export type CheckedCall = { ok: true; method: Method; arg: unknown } | { ok: false; error: ApiErrorPayload };

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && (METHODS as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENTS as readonly string[]).includes(name);
}

/** True for a URL of the app's own pages: distlab://app/… (and nothing else, not even distlab://other). */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Checks one call from the renderer; an absent argument counts as null. */
export function checkCall(method: unknown, arg: unknown): CheckedCall {
  if (!isMethod(method)) {
    const shown = typeof method === 'string' ? `"${method.slice(0, 80)}"` : `a ${typeof method}`;
    return refuse(`unknown method ${shown}; the methods are ${METHODS.join(', ')}`, 'method');
  }
  const value = arg === undefined ? null : arg;
  const problem = plainJsonProblem(value, '', 0);
  if (problem) return refuse(`${method}: the argument ${problem.message}`, problem.path || 'arg');
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > MAX_ARG_JSON_BYTES) return refuse(`${method}: the argument is ${bytes} bytes of JSON, over the limit of ${MAX_ARG_JSON_BYTES}`, 'arg');
  return { ok: true, method, arg: value };
}

function refuse(message: string, path: string): CheckedCall {
  return { ok: false, error: { kind: 'input', message, problems: [{ path, message }] } };
}

/** The first thing in a value that JSON cannot carry as it is, with its path. */
export function plainJsonProblem(value: unknown, path: string, depth: number): { path: string; message: string } | null {
  if (depth > MAX_ARG_DEPTH) return { path, message: `is nested deeper than ${MAX_ARG_DEPTH} levels` };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, message: `holds ${value}, which is not a finite number` };
  if (typeof value !== 'object') return { path, message: `holds ${value === undefined ? 'undefined' : `a ${typeof value}`}, which is not JSON` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = plainJsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as object).constructor?.name ?? 'object';
    return { path, message: `holds a ${kind}, which is not a plain JSON object` };
  }
  for (const [key, item] of Object.entries(value)) {
    const problem = plainJsonProblem(item, path ? `${path}.${key}` : key, depth + 1);
    if (problem) return problem;
  }
  return null;
}
