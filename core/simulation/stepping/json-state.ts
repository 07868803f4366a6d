// A protocol's state as JSON, for the inspector, and what one step changed in it. Protocols
// keep Maps, Sets and class instances; the lab shows plain JSON: a Map with string or number
// keys becomes an object (other keys: a list of [key, value]), a Set a list.

/** Beyond this many changed paths a diff stops listing: the state was mostly replaced. */
const MAX_CHANGED_PATHS = 200;

export function toJsonSafe(value: unknown, seen: Set<object> = new Set()): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  // A shared object is shown each time; a cycle is cut where it closes.
  if (seen.has(value)) return '[cycle]';
  // An object that says how it reads as JSON (a random generator, a Date) is shown so.
  if (!Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON === 'function') return toJsonSafe((value as { toJSON(): unknown }).toJSON(), seen);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, seen) ?? null);
    if (value instanceof Set) return [...value].map((item) => toJsonSafe(item, seen) ?? null);
    if (value instanceof Map) {
      const entries = [...value.entries()];
      if (entries.every(([key]) => typeof key === 'string' || typeof key === 'number')) {
        return Object.fromEntries(entries.map(([key, item]) => [String(key), toJsonSafe(item, seen) ?? null]));
      }
      return entries.map(([key, item]) => [toJsonSafe(key, seen) ?? null, toJsonSafe(item, seen) ?? null]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safe = toJsonSafe(item, seen);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * The paths ("term", "log.3.value") where two JSON values differ: the deepest place each
 * difference starts, so an appended log entry is "log.3", not each of its fields.
 */
export function changedPaths(before: unknown, after: unknown): string[] {
  const paths: string[] = [];
  diff(before, after, '', paths);
  return paths;
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_CHANGED_PATHS) return;
  if (a === b) return;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = isPlainObject(a) && isPlainObject(b);
  if (!bothArrays && !bothObjects) {
    out.push(path);
    return;
  }
  if (bothArrays) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (i >= a.length || i >= b.length) out.push(join(path, String(i)));
      else diff(a[i], b[i], join(path, String(i)), out);
    }
    return;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (!(key in left) || !(key in right)) out.push(join(path, key));
    else diff(left[key], right[key], join(path, key), out);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
