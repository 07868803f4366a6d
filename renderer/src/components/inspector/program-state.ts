// The rest of what a node's program publishes as `state` (quorum-kv's replicas and hints,
// say): the latest value of each key at the cursor, for the inspector. Role, term, leader,
// the vector clock and a rate limiter's bucket have their own rows, so they are left out here.
import type { NodeEventPoint } from '../../../../core/api/contract.js';

const SHOWN_ELSEWHERE = new Set(['role', 'term', 'leader', 'vclock', 'bucket']);
/** How far back to look, so that a long run stays cheap. */
const LOOK_BACK = 50_000;
/** Entries of one object value listed at most; the rest are counted. */
const MAX_ENTRIES = 20;

export interface StateRow {
  key: string;
  atMs: number;
  /** A plain value as text, or an object's entries as [name, text] pairs. */
  text?: string;
  entries?: Array<[string, string]>;
  more?: number;
}

const textOf = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export function programStateAt(node: string, events: readonly NodeEventPoint[], atMs: number): StateRow[] {
  const latest = new Map<string, { value: unknown; atMs: number }>();
  let end = events.length;
  while (end > 0 && events[end - 1][0] > atMs) end--;
  for (let i = end - 1; i >= Math.max(0, end - LOOK_BACK); i--) {
    const [ms, who, kind, data] = events[i];
    const d = data as { key?: unknown; value?: unknown } | null;
    if (who !== node || kind !== 'state' || typeof d?.key !== 'string' || SHOWN_ELSEWHERE.has(d.key) || latest.has(d.key)) continue;
    latest.set(d.key, { value: d.value, atMs: ms });
  }
  return [...latest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, { value, atMs: at }]) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { key, atMs: at, text: textOf(value) };
    const all = Object.entries(value as Record<string, unknown>);
    return { key, atMs: at, entries: all.slice(0, MAX_ENTRIES).map(([name, v]) => [name, Array.isArray(v) ? v.map(textOf).join(', ') : textOf(v)]), more: Math.max(0, all.length - MAX_ENTRIES) };
  });
}
