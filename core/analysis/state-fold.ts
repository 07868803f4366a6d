// The fold behind `stateAt`: a run's node events and faults, in time order, folded into each
// node's process state, role, term, leader and suspicions, and the partition and cuts in
// force. Pure (no database), so that the CLI (through state-at.ts, from SQL rows) and the
// lab's replay cursor (from the events and faults it already holds) run the same code.

export type ProcessState = 'not-started' | 'starting' | 'up' | 'paused' | 'crashed' | 'stopped';

/** A node event as recorded (receives need not be given: they change nothing here). */
export interface EventStep {
  tUs: number;
  node: string;
  kind: string;
  detail: unknown;
}

/** A fault as recorded. */
export interface FaultStep {
  tUs: number;
  kind: string;
  detail: unknown;
}

export interface Facts {
  state: ProcessState;
  /** A kill or stop fault sent to the process it runs now. */
  ending?: 'kill' | 'stop';
  role?: string;
  term?: number;
  leader?: string | null;
  verdicts: Map<string, string>;
}

/** What the fold gives for one node (the clocks are added from the record by state-at.ts). */
export interface FoldedNode {
  state: ProcessState;
  role?: string;
  term?: number;
  leader?: string | null;
  suspects?: string[];
}

export interface FoldedNetwork {
  /** The partition in force, as its groups of nodes (at most one: a partition replaces the last). */
  partitions: string[][][];
  /** Directed links cut one way. */
  cutLinks: Array<[string, string]>;
  /** Every directed link blocked, by the partition or a cut, when the run recorded it. */
  blocked?: Array<[string, string]>;
}

const VERDICTS = new Set(['suspect', 'dead', 'alive']);
const NODE_FAULTS = new Set(['pause', 'resume', 'kill', 'stop']);
/** The fault kinds that change the network's state. */
export const NETWORK_FAULTS: ReadonlySet<string> = new Set(['heal', 'partition', 'partition-pattern', 'cut']);

/**
 * Folds the node events and node faults up to tUs, in time order (at one instant, the events
 * before the faults, each in the order given), calling `changed` after each step.
 * `events` and `faults` must each be sorted by time.
 */
export function foldNodes(
  declared: readonly string[],
  events: readonly EventStep[],
  faults: readonly FaultStep[],
  tUs: number,
  changed: (node: string, facts: Facts, tUs: number) => void = () => {},
): Map<string, Facts> {
  const facts = new Map<string, Facts>();
  for (const id of declared) facts.set(id, { state: 'not-started', verdicts: new Map() });
  const factsOf = (node: string) => {
    let f = facts.get(node);
    if (!f) facts.set(node, (f = { state: 'not-started', verdicts: new Map() }));
    return f;
  };
  // A merge of the two sorted lists: the same order as a stable sort of events then faults.
  let i = 0;
  let j = 0;
  for (;;) {
    const e = i < events.length && events[i].tUs <= tUs ? events[i] : null;
    const f = j < faults.length && faults[j].tUs <= tUs ? faults[j] : null;
    if (!e && !f) break;
    if (e && (!f || e.tUs <= f.tUs)) {
      i++;
      // Engine and client entries (c0, c1…) are not nodes.
      if (!facts.has(e.node) && !/^n\d+$/.test(e.node)) continue;
      const facts1 = factsOf(e.node);
      onEvent(facts1, e.kind, e.detail);
      changed(e.node, facts1, e.tUs);
    } else if (f) {
      j++;
      if (NODE_FAULTS.has(f.kind)) onNodeFault(f.kind, f.detail, factsOf, (node, nf) => changed(node, nf, f.tUs));
    }
  }
  return facts;
}

/** Each node as the fold left it, in node order; suspicions only of a live process. */
export function foldedNodes(facts: Map<string, Facts>): Record<string, FoldedNode> {
  const nodes: Record<string, FoldedNode> = {};
  for (const [id, f] of [...facts].sort(([a], [b]) => compareIds(a, b))) {
    const live = f.state === 'up' || f.state === 'paused' || f.state === 'starting';
    const suspects = live ? [...f.verdicts].filter(([, v]) => v !== 'alive').map(([peer]) => peer).sort(compareIds) : [];
    nodes[id] = {
      state: f.state,
      ...(f.role !== undefined && { role: f.role }),
      ...(f.term !== undefined && { term: f.term }),
      ...(f.leader !== undefined && { leader: f.leader }),
      ...(f.verdicts.size > 0 && { suspects }),
    };
  }
  return nodes;
}

function onEvent(f: Facts, kind: string, raw: unknown): void {
  const data = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (typeof data.term === 'number') f.term = data.term;
  if (kind === 'start') {
    // A new incarnation knows nothing of the last one's role, leader or suspicions.
    f.state = 'starting';
    f.ending = undefined;
    f.role = undefined;
    f.leader = undefined;
    f.verdicts.clear();
  } else if (kind === 'up') f.state = 'up';
  else if (kind === 'crash' || kind === 'spawn-failed') f.state = 'crashed';
  else if (kind === 'exit') f.state = f.ending === 'kill' ? 'crashed' : 'stopped';
  else if (kind === 'role' && typeof data.role === 'string') f.role = data.role;
  else if (kind === 'leader') f.leader = typeof data.leader === 'string' ? data.leader : null;
  else if (VERDICTS.has(kind) && typeof data.peer === 'string') f.verdicts.set(data.peer, kind);
}

function onNodeFault(kind: string, detail: unknown, factsOf: (node: string) => Facts, changed: (node: string, facts: Facts) => void): void {
  const d = (detail ?? {}) as { nodes?: unknown; skipped?: unknown };
  const skipped = new Set(Array.isArray(d.skipped) ? d.skipped : []);
  for (const node of Array.isArray(d.nodes) ? d.nodes : []) {
    if (typeof node !== 'string' || skipped.has(node)) continue;
    const f = factsOf(node);
    if (kind === 'pause' && f.state === 'up') f.state = 'paused';
    else if (kind === 'resume' && f.state === 'paused') f.state = 'up';
    // The process exits a moment later; what ended it decides between crashed and stopped.
    else if (kind === 'kill' || kind === 'stop') f.ending = kind;
    changed(node, f);
  }
}

/** The partition and the cuts in force after the faults up to tUs (a heal clears both). */
export function foldNetwork(faults: readonly FaultStep[], tUs: number): FoldedNetwork {
  let groups: string[][] | null = null;
  let cuts: Array<[string, string]> = [];
  let blocked: Array<[string, string]> | undefined;
  for (const f of faults) {
    if (f.tUs > tUs) break;
    const d = (f.detail ?? {}) as { groups?: unknown; from?: unknown; to?: unknown; blocked?: unknown; pattern?: unknown };
    if (f.kind === 'heal') {
      groups = null;
      cuts = [];
    } else if ((f.kind === 'partition' || f.kind === 'partition-pattern') && isGroups(d.groups)) {
      // Bridge and majorities-ring are not partitions into groups: their blocked links say it.
      groups = d.pattern === 'bridge' || d.pattern === 'majorities-ring' ? null : d.groups;
    } else if (f.kind === 'cut' && Array.isArray(d.from) && Array.isArray(d.to)) {
      for (const a of d.from) for (const b of d.to) if (a !== b && !cuts.some(([x, y]) => x === a && y === b)) cuts.push([String(a), String(b)]);
    } else continue;
    blocked = Array.isArray(d.blocked) ? (d.blocked as Array<[string, string]>) : undefined;
  }
  return { partitions: groups ? [groups] : [], cutLinks: cuts, ...(blocked && { blocked }) };
}

function isGroups(value: unknown): value is string[][] {
  return Array.isArray(value) && value.every((g) => Array.isArray(g) && g.every((n) => typeof n === 'string'));
}

/** n2 before n10. */
export function compareIds(a: string, b: string): number {
  const na = /^n(\d+)$/.exec(a);
  const nb = /^n(\d+)$/.exec(b);
  return na && nb ? Number(na[1]) - Number(nb[1]) : a.localeCompare(b);
}
