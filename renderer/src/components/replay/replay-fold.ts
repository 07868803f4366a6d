// The run at the replay cursor, computed in the page from the events and faults it already
// holds, by the same fold as `distlab replay` (core/analysis/state-fold.ts): the topology
// follows a dragged cursor without a round trip. Clocks, metrics and the in-flight count
// come from the lab (runs.stateAt), which runs the same fold on the record.
import { foldNetwork, foldNodes, foldedNodes, type EventStep, type FaultStep, type FoldedNetwork, type FoldedNode } from '../../../../core/analysis/state-fold.js';
import type { FaultPoint, NodeEventPoint } from '../../../../core/api/contract.js';
import { lookOf, type NodeView } from '../run/node-states.js';

export interface ReplayTrack {
  declared: string[];
  events: EventStep[];
  faults: FaultStep[];
}

export interface LocalState {
  tMs: number;
  nodes: Record<string, FoldedNode>;
  network: FoldedNetwork;
}

/** Event kinds the fold reads; any other event matters only for a `term` it carries. */
const FOLDED_KINDS = new Set(['start', 'up', 'crash', 'spawn-failed', 'exit', 'role', 'leader', 'suspect', 'dead', 'alive']);

const toUs = (ms: number) => Math.round(ms * 1000);

/** The fold's input from the run's events and faults (in time order, as the record keeps them). */
export function trackOf(events: readonly NodeEventPoint[], faults: readonly FaultPoint[], declared: string[]): ReplayTrack {
  const steps: EventStep[] = [];
  for (const [ms, node, kind, detail] of events) {
    // Receives are not in the fold's input on the lab's side either; the rest that cannot
    // change anything is left out, so that a cursor move folds less.
    if (kind === 'recv') continue;
    if (!FOLDED_KINDS.has(kind) && typeof (detail as { term?: unknown } | null)?.term !== 'number') continue;
    steps.push({ tUs: toUs(ms), node, kind, detail });
  }
  const faultSteps = faults.map(([ms, kind, detail]) => ({ tUs: toUs(ms), kind, detail }));
  // Live increments may bring an event a little out of order: a stable sort puts it back.
  const byTime = (a: { tUs: number }, b: { tUs: number }) => a.tUs - b.tUs;
  return { declared, events: steps.sort(byTime), faults: faultSteps.sort(byTime) };
}

export function localStateAt(track: ReplayTrack, tMs: number): LocalState {
  const tUs = toUs(tMs);
  return { tMs, nodes: foldedNodes(foldNodes(track.declared, track.events, track.faults, tUs)), network: foldNetwork(track.faults, tUs) };
}

const PROCESS: Record<FoldedNode['state'], NodeView['process']> = {
  'not-started': 'starting',
  starting: 'starting',
  up: 'up',
  paused: 'paused',
  crashed: 'failed',
  stopped: 'exited',
};

/** The topology's and the inspector's picture of each node at the cursor. */
export function nodeViewsAt(ids: readonly string[], state: LocalState, recent: (id: string) => NodeEventPoint[]): NodeView[] {
  const suspectedBy = new Map<string, string[]>();
  for (const [observer, n] of Object.entries(state.nodes)) {
    if (n.state !== 'up') continue;
    for (const peer of n.suspects ?? []) suspectedBy.set(peer, [...(suspectedBy.get(peer) ?? []), observer]);
  }
  return ids.map((id) => {
    const n = state.nodes[id] ?? { state: 'not-started' as const };
    const by = suspectedBy.get(id) ?? [];
    const process = PROCESS[n.state];
    return {
      id,
      process,
      look: lookOf(process, by.length > 0, n.role === 'leader'),
      role: n.role ?? null,
      term: n.term ?? null,
      leaderBelief: n.leader ?? null,
      lamport: null,
      suspectedBy: by,
      suspects: n.suspects ?? [],
      recentEvents: recent(id),
      state: n.state,
    };
  });
}

/** The node's last events at or before atMs, oldest first (for the inspector). */
export function recentEventsAt(events: readonly NodeEventPoint[], node: string, atMs: number, count = 30): NodeEventPoint[] {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid][0] <= atMs) lo = mid + 1;
    else hi = mid;
  }
  const out: NodeEventPoint[] = [];
  for (let i = lo - 1, looked = 0; i >= 0 && out.length < count && looked < 20_000; i--, looked++) if (events[i][1] === node) out.push(events[i]);
  return out.reverse();
}
