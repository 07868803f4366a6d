// What the replay bar marks and jumps to: faults, elections (a node becoming leader),
// suspicions (a detector's first word against a peer), and check violations (the instants
// a failed check names); and the instants a step stops at (every fault and state change).
import type { FaultPoint, NodeEventPoint } from '../../../../core/api/contract.js';
import type { ReplayTrack } from './replay-fold.js';
import { describeFault } from '../faults/describe-fault.js';

export type MarkKind = 'fault' | 'election' | 'suspicion' | 'violation';

export interface Mark {
  ms: number;
  kind: MarkKind;
  label: string;
}

export function marksOf(events: readonly NodeEventPoint[], faults: readonly FaultPoint[], checks: Record<string, unknown> | null | undefined): Mark[] {
  const marks: Mark[] = [];
  for (const fault of faults) marks.push({ ms: fault[0], kind: 'fault', label: describeFault(fault) });
  const suspected = new Set<string>();
  for (const [ms, node, kind, detail] of events) {
    const d = (detail ?? {}) as { role?: unknown; term?: unknown; peer?: unknown };
    if (kind === 'role' && d.role === 'leader') marks.push({ ms, kind: 'election', label: `${node} leader${typeof d.term === 'number' ? ` of term ${d.term}` : ''}` });
    else if ((kind === 'suspect' || kind === 'dead') && typeof d.peer === 'string') {
      const key = `${node}>${d.peer}`;
      if (!suspected.has(key)) marks.push({ ms, kind: 'suspicion', label: `${node} suspects ${d.peer}` });
      suspected.add(key);
    } else if (kind === 'alive' && typeof d.peer === 'string') suspected.delete(`${node}>${d.peer}`);
    else if (kind === 'start' || kind === 'exit' || kind === 'crash') for (const key of [...suspected]) if (key.startsWith(`${node}>`)) suspected.delete(key);
  }
  for (const [name, result] of Object.entries(checks ?? {})) {
    if (!result || typeof result !== 'object' || (result as { valid?: unknown }).valid !== false) continue;
    for (const tUs of instantsIn(result, 0)) marks.push({ ms: tUs / 1000, kind: 'violation', label: `check ${name} failed` });
  }
  return marks.sort((a, b) => a.ms - b.ms);
}

/** The `tUs` fields anywhere in a check's result (its examples of violations), a few levels deep. */
function instantsIn(value: unknown, depth: number): number[] {
  if (depth > 4 || !value || typeof value !== 'object') return [];
  const out: number[] = [];
  if (Array.isArray(value)) for (const v of value.slice(0, 50)) out.push(...instantsIn(v, depth + 1));
  else
    for (const [key, v] of Object.entries(value)) {
      if (key === 'tUs' && typeof v === 'number' && Number.isFinite(v)) out.push(v);
      else out.push(...instantsIn(v, depth + 1));
    }
  return out;
}

/** Instants at which the fold's state can change: every fault and folded event, sorted, distinct. */
export function stateChangeTimes(track: ReplayTrack): number[] {
  const times = [...track.events.map((e) => e.tUs / 1000), ...track.faults.map((f) => f.tUs / 1000)].sort((a, b) => a - b);
  return times.filter((t, i) => i === 0 || t !== times[i - 1]);
}

/** The first time in the sorted list after ms (dir 1) or before it (dir -1). */
export function nextTime(sorted: readonly number[], ms: number, dir: 1 | -1): number | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dir === 1 ? sorted[mid] <= ms : sorted[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  if (dir === 1) return lo < sorted.length ? sorted[lo] : null;
  return lo > 0 ? sorted[lo - 1] : null;
}
