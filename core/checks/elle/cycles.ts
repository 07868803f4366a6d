// Cycles in the dependency graph, classified as Elle (Adya) does: G0 (ww edges only), G1c
// (ww and wr, at least one wr), G-single (exactly one rw), G2-item (two or more rw); with
// real-time edges, the same names with -realtime for cycles that need a real-time edge.
// Components first (Tarjan), then a shortest cycle through one edge of the kind that defines
// each anomaly, so that each cycle found is one of the shortest of its kind.
import { DATA_EDGES, REALTIME, RW, WR, WW, kindName, type DependencyGraph, type EdgeKind } from './graph.js';
import { PathFinder } from './paths.js';
import type { TxnKey } from './txn.js';
import { stronglyConnected } from './scc.js';

export type CycleAnomaly = 'G0' | 'G1c' | 'G-single' | 'G2-item' | 'G0-realtime' | 'G1c-realtime' | 'G-single-realtime' | 'G2-item-realtime';

export interface CycleStep {
  from: number;
  to: number;
  kind: EdgeKind;
  key: TxnKey | null;
}

export interface FoundCycle {
  type: CycleAnomaly;
  steps: CycleStep[];
}

/** Searches per component for one anomaly, so that a huge tangled component cannot stall the check. */
const TRIES_PER_COMPONENT = 64;

export function findCycles(g: DependencyGraph, options: { realtime: boolean; perType: number }): FoundCycle[] {
  const finder = new PathFinder(g);
  const found: FoundCycle[] = [];
  const counts = new Map<CycleAnomaly, number>();
  const keep = (c: FoundCycle | null) => {
    if (!c || (counts.get(c.type) ?? 0) >= options.perType) return;
    counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
    found.push(c);
  };
  const membership = new Int32Array(g.size);
  const label = (components: number[][], scope: number[]) => {
    for (const v of scope) membership[v] = -1;
    components.forEach((nodes, id) => nodes.forEach((v) => (membership[v] = id)));
  };

  const data = stronglyConnected(g, DATA_EDGES);
  const dataComponent = new Int32Array(g.size).fill(-1);
  data.forEach((nodes, id) => nodes.forEach((v) => (dataComponent[v] = id)));
  for (let c = 0; c < data.length; c++) {
    const inside = { nodes: data[c], contains: (v: number) => dataComponent[v] === c };
    for (const [mask, through] of [[WW, WW], [WW | WR, WR]] as const) {
      const subs = stronglyConnected(g, mask, inside);
      label(subs, data[c]);
      subs.forEach((_, s) => keep(cycleThrough(g, finder, edgesInside(g, subs[s], membership, s, through), mask, membership, s)));
    }
    // G-single needs the rest of the cycle free of rw; G2-item is any cycle through rw with another rw.
    keep(cycleThrough(g, finder, edgesInside(g, data[c], dataComponent, c, RW), WW | WR, dataComponent, c));
    keep(cycleThrough(g, finder, edgesInside(g, data[c], dataComponent, c, RW), DATA_EDGES, dataComponent, c, (cycle) => cycle.type === 'G2-item'));
  }
  if (options.realtime) {
    const all = stronglyConnected(g, DATA_EDGES | REALTIME);
    membership.fill(-1);
    label(all, []);
    all.forEach((nodes, c) => keep(cycleThrough(g, finder, edgesInside(g, nodes, membership, c, REALTIME), DATA_EDGES | REALTIME, membership, c)));
  }
  return found;
}

function edgesInside(g: DependencyGraph, nodes: number[], component: Int32Array, id: number, kind: number): number[] {
  const edges: number[] = [];
  for (const v of nodes) {
    for (let c = g.offsets[v]; c < g.offsets[v + 1]; c++) {
      const e = g.edgeIds[c];
      if (g.kind[e] === kind && component[g.to[e]] === id) edges.push(e);
      if (edges.length >= TRIES_PER_COMPONENT) return edges;
    }
  }
  return edges;
}

/** The first cycle made of one of `edges` and a shortest path back over `mask`, that `accept` takes. */
function cycleThrough(g: DependencyGraph, finder: PathFinder, edges: number[], mask: number, component: Int32Array, id: number, accept: (c: FoundCycle) => boolean = () => true): FoundCycle | null {
  for (const e of edges) {
    const back = finder.shortest(g.to[e], g.from[e], mask, component, id);
    if (!back) continue;
    const cycle = classify(g, [e, ...back]);
    if (accept(cycle)) return cycle;
  }
  return null;
}

export function classify(g: DependencyGraph, edges: number[]): FoundCycle {
  let rw = 0;
  let wr = 0;
  let realtime = false;
  for (const e of edges) {
    if (g.kind[e] === RW) rw++;
    else if (g.kind[e] === WR) wr++;
    else if (g.kind[e] === REALTIME) realtime = true;
  }
  const base = rw >= 2 ? 'G2-item' : rw === 1 ? 'G-single' : wr > 0 ? 'G1c' : 'G0';
  return {
    type: (realtime ? `${base}-realtime` : base) as CycleAnomaly,
    steps: edges.map((e) => ({ from: g.from[e], to: g.to[e], kind: kindName(g.kind[e]), key: g.key(e) })),
  };
}
