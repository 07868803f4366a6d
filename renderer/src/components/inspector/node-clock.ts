// What the inspector says about a node's process and its vector clock, at the replay cursor
// or now. A finished run's processes all exited when it ended: "up" alone would mislead.
import type { MessagePoint, NodeEventPoint } from '../../../../core/api/contract.js';
import { compareNodeIds } from '../charts/derive/node-order.js';
import type { NodeView } from '../run/node-states.js';
import { formatClock } from '../run/format.js';

const WORDS: Record<string, string> = { 'not-started': 'not started yet', exited: 'exited', failed: 'crashed', unknown: 'not heard from yet' };

/** The process line: its state, and for a finished run when that was and that it exited at the end. */
export function processText(node: Pick<NodeView, 'process' | 'state'>, run: { ended: boolean; atMs: number | null }): string {
  const state = node.state ?? node.process;
  const word = WORDS[state] ?? state;
  if (!run.ended) return word;
  const at = run.atMs !== null ? ` at ${formatClock(run.atMs)}` : '';
  if (state === 'exited' || state === 'failed' || state === 'crashed' || state === 'stopped') return `${word}${at}`;
  return run.atMs !== null ? `${word}${at}; exited when the run ended` : `${word} until the run ended, then exited with it`;
}

export interface ClockEntry {
  node: string;
  value: number;
  own: boolean;
}

export interface NodeVectorClock {
  entries: ClockEntry[];
  atMs: number;
  /** The node's own `vclock` state, or the clock the runtime put on its last send. */
  source: 'state' | 'send';
}

/** How far back to look for the node's latest clock, so that a long run stays cheap. */
const LOOK_BACK = 50_000;

/** The last index with time at or before `atMs` in a time-ordered list, plus one. */
function upTo<T>(list: readonly T[], timeOf: (item: T) => number, atMs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeOf(list[mid]) <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isClock(value: unknown): value is Record<string, number> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'number');
}

/**
 * The node's vector clock at `atMs`: its latest `vclock` state if its program publishes one,
 * else the clock on its latest send. Every node of `nodes` gets a row (0 where the clock has no entry).
 */
export function vectorClockAt(node: string, nodes: readonly string[], events: readonly NodeEventPoint[], messages: readonly MessagePoint[], atMs: number): NodeVectorClock | null {
  let found: { clock: Record<string, number>; atMs: number; source: NodeVectorClock['source'] } | null = null;
  const end = upTo(events, (e) => e[0], atMs);
  for (let i = end - 1; i >= Math.max(0, end - LOOK_BACK); i--) {
    const [ms, who, kind, data] = events[i];
    const d = data as { key?: unknown; value?: unknown } | null;
    if (who === node && kind === 'state' && d?.key === 'vclock' && isClock(d.value)) {
      found = { clock: d.value, atMs: ms, source: 'state' };
      break;
    }
  }
  if (!found) {
    const last = upTo(messages, (m) => m[4], atMs);
    for (let i = last - 1; i >= Math.max(0, last - LOOK_BACK); i--) {
      const m = messages[i];
      if (m[1] === node && m[9]) {
        found = { clock: m[9], atMs: m[4], source: 'send' };
        break;
      }
    }
  }
  if (!found) return null;
  const clock = found.clock;
  const ids = [...new Set([...nodes, ...Object.keys(clock)])].sort(compareNodeIds);
  return { entries: ids.map((id) => ({ node: id, value: clock[id] ?? 0, own: id === node })), atMs: found.atMs, source: found.source };
}
