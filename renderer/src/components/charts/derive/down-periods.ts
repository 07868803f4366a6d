// When each node was down (killed, stopped, paused, or its process gone), from the fault
// timeline and the runtime's up/exit events. Open periods run to `untilMs`.
import type { FaultPoint, NodeEventPoint } from '../../../../../core/api/contract.js';

export type DownCause = 'kill' | 'stop' | 'pause' | 'exit' | 'crash';

export interface DownPeriod {
  node: string;
  cause: DownCause;
  fromMs: number;
  toMs: number;
}

const DOWN_FAULTS = new Set(['kill', 'stop', 'pause']);

/** The runtime's events that say a node's process came up or went away. */
export const LIFE_EVENTS: ReadonlySet<string> = new Set(['up', 'exit', 'crash']);

interface Change {
  ms: number;
  node: string;
  down: boolean;
  cause?: DownCause;
}

/** The nodes a recorded fault acted on, leaving out those it skipped (not running, no leader yet). */
export function faultNodes(detail: unknown): string[] {
  const d = (detail ?? {}) as { nodes?: unknown; skipped?: unknown };
  const nodes = Array.isArray(d.nodes) ? d.nodes.filter((n): n is string => typeof n === 'string') : [];
  const skipped = Array.isArray(d.skipped) ? d.skipped : [];
  return nodes.filter((n) => !skipped.includes(n));
}

export function downPeriods(faults: readonly FaultPoint[], events: readonly NodeEventPoint[], untilMs: number): DownPeriod[] {
  const changes: Change[] = [];
  for (const [ms, kind, detail] of faults) {
    for (const node of faultNodes(detail)) {
      if (DOWN_FAULTS.has(kind)) changes.push({ ms, node, down: true, cause: kind as DownCause });
      else if (kind === 'resume') changes.push({ ms, node, down: false });
    }
  }
  for (const [ms, node, kind] of events) {
    if (kind === 'exit' || kind === 'crash') changes.push({ ms, node, down: true, cause: kind });
    else if (kind === 'up') changes.push({ ms, node, down: false });
  }
  changes.sort((a, b) => a.ms - b.ms);

  const open = new Map<string, DownPeriod>();
  const periods: DownPeriod[] = [];
  for (const c of changes) {
    const current = open.get(c.node);
    if (c.down && !current) open.set(c.node, { node: c.node, cause: c.cause!, fromMs: c.ms, toMs: untilMs });
    else if (!c.down && current) {
      current.toMs = c.ms;
      periods.push(current);
      open.delete(c.node);
    }
  }
  for (const period of open.values()) periods.push({ ...period, toMs: Math.max(period.fromMs, untilMs) });
  return periods.sort((a, b) => a.fromMs - b.fromMs);
}

/** Was `node` down at `ms` (from inclusive, to exclusive)? */
export function isDownAt(periods: readonly DownPeriod[], node: string, ms: number): boolean {
  return periods.some((p) => p.node === node && p.fromMs <= ms && ms < p.toMs);
}

/** Intervals in which a partition or cut was in force (until the next heal, or `untilMs`). */
export function partitionPeriods(faults: readonly FaultPoint[], untilMs: number): Array<{ fromMs: number; toMs: number }> {
  const periods: Array<{ fromMs: number; toMs: number }> = [];
  let since: number | null = null;
  for (const [ms, kind] of [...faults].sort((a, b) => a[0] - b[0])) {
    if ((kind === 'partition' || kind === 'partition-pattern' || kind === 'cut') && since === null) since = ms;
    else if (kind === 'heal' && since !== null) {
      periods.push({ fromMs: since, toMs: ms });
      since = null;
    }
  }
  if (since !== null) periods.push({ fromMs: since, toMs: Math.max(since, untilMs) });
  return periods;
}
