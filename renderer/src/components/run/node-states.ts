// What each node is right now, derived from the run's events as they arrive: its process
// state, role and term, the leader it believes in, its latest Lamport clock, and which
// peers suspect it. Incremental, so a long live run costs only its new events.
import type { FaultPoint, MessagePoint, MetricPoint, NodeEventPoint, NodeState } from '../../../../core/api/contract.js';
import { TailReader } from './tail-reader.js';

/** The one state a node is drawn in; a legend explains each. */
export type NodeLook = 'starting' | 'up' | 'paused' | 'crashed' | 'suspected' | 'leader' | 'left';

export interface NodeView {
  id: string;
  process: NodeState | 'unknown';
  look: NodeLook;
  role: string | null;
  term: number | null;
  /** The leader this node believes in, from its `leader` events. */
  leaderBelief: string | null;
  lamport: number | null;
  /** Live peers whose latest word about this node is suspect or dead. */
  suspectedBy: string[];
  /** Peers this node currently suspects. */
  suspects: string[];
  recentEvents: NodeEventPoint[];
  /** At the replay cursor: the process state as `distlab replay` names it (crashed, stopped, …). */
  state?: 'not-started' | 'starting' | 'up' | 'paused' | 'crashed' | 'stopped';
}

interface NodeFacts {
  role: string | null;
  term: number | null;
  leaderBelief: string | null;
  lamport: number | null;
  /** Peer → latest verdict: suspect, dead or alive. */
  verdicts: Map<string, string>;
  recent: NodeEventPoint[];
  /** Seen exiting or crashing, and not up again since. */
  down: boolean;
  /** The latest exit or crash, cleared when the node starts again. */
  lastExit: { ms: number; kind: string } | null;
  /** Left the membership (a `node-left` event): stopped on purpose, not crashed. */
  left: boolean;
}

const RECENT_EVENTS = 30;
const VERDICTS = new Set(['suspect', 'dead', 'alive']);

export class NodeStateTracker {
  private readonly events = new TailReader<NodeEventPoint>();
  private readonly messages = new TailReader<MessagePoint>();
  private readonly metrics = new TailReader<MetricPoint>();
  private facts = new Map<string, NodeFacts>();

  /**
   * Takes in what arrived since the last update: events, and the Lamport clocks that sent
   * messages and `lamport` metrics carry.
   */
  update(events: NodeEventPoint[], messages: MessagePoint[] = [], metrics: MetricPoint[] = []): void {
    if (this.events.isNew(events)) this.facts = new Map();
    this.events.read(events, (e) => this.onEvent(e));
    this.messages.read(messages, (m) => {
      if (m[7] !== null) this.raiseLamport(this.factsOf(m[1]), m[7]);
    });
    this.metrics.read(metrics, (m) => {
      if (m[2] === 'lamport') this.raiseLamport(this.factsOf(m[1]), m[3]);
    });
  }

  private factsOf(node: string): NodeFacts {
    let f = this.facts.get(node);
    if (!f) {
      f = { role: null, term: null, leaderBelief: null, lamport: null, verdicts: new Map(), recent: [], down: false, lastExit: null, left: false };
      this.facts.set(node, f);
    }
    return f;
  }

  private raiseLamport(f: NodeFacts, value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value) && (f.lamport === null || value > f.lamport)) f.lamport = value;
  }

  private onEvent(event: NodeEventPoint): void {
    const [, node, kind, raw] = event;
    const data = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const f = this.factsOf(node);
    f.recent.push(event);
    if (f.recent.length > RECENT_EVENTS) f.recent.shift();
    this.raiseLamport(f, data.lamport);
    if (kind === 'deliver' || kind === 'recv' || kind === 'send') this.raiseLamport(f, data.clock);
    if (typeof data.term === 'number') f.term = data.term;
    if (kind === 'role' && typeof data.role === 'string') f.role = data.role;
    else if (kind === 'leader') f.leaderBelief = typeof data.leader === 'string' ? data.leader : null;
    else if (VERDICTS.has(kind) && typeof data.peer === 'string') f.verdicts.set(data.peer, kind);
    else if (kind === 'node-left') f.left = true;
    else if (kind === 'crash' || kind === 'exit') {
      // Whom a process that is gone suspected no longer counts; its last role and term
      // stay, for the inspector, until it starts again.
      f.down = true;
      f.lastExit = { ms: event[0], kind };
      f.verdicts.clear();
    } else if (kind === 'up' || kind === 'start') {
      f.down = false;
      f.lastExit = null;
      f.role = null;
      f.leaderBelief = null;
      f.verdicts.clear();
    }
  }

  /**
   * Every process exits when a run ends. For an ended run, the process states as they were
   * just before that: a clean exit from `shutdownFromMs` on that no kill or stop caused is
   * the run ending (the node was up, or paused if a pause was never undone).
   */
  processesBeforeShutdown(processes: Record<string, NodeState>, faults: FaultPoint[], shutdownFromMs: number): Record<string, NodeState> {
    const lastNodeFault = new Map<string, { ms: number; kind: string }>();
    for (const [ms, kind, detail] of faults) {
      const nodes = (detail as { nodes?: unknown } | null)?.nodes;
      if (Array.isArray(nodes)) for (const n of nodes) if (typeof n === 'string') lastNodeFault.set(n, { ms, kind });
    }
    const out = { ...processes };
    for (const [id, state] of Object.entries(processes)) {
      const exit = this.facts.get(id)?.lastExit;
      if (state !== 'exited' || !exit || exit.kind !== 'exit' || exit.ms < shutdownFromMs) continue;
      const fault = lastNodeFault.get(id);
      if (fault && (fault.kind === 'kill' || fault.kind === 'stop') && fault.ms >= shutdownFromMs - 1000) continue;
      out[id] = fault?.kind === 'pause' ? 'paused' : 'up';
    }
    return out;
  }

  /** The nodes as they should be drawn, in the order of `ids`. */
  views(ids: string[], processes: Record<string, NodeState>): NodeView[] {
    const live = (id: string) => {
      const p = processes[id];
      return p === undefined ? !this.facts.get(id)?.down : p === 'up';
    };
    const suspectedBy = new Map<string, string[]>();
    for (const observer of ids) {
      if (!live(observer)) continue;
      for (const [peer, verdict] of this.facts.get(observer)?.verdicts ?? []) {
        if (verdict === 'alive') continue;
        const list = suspectedBy.get(peer) ?? [];
        list.push(observer);
        suspectedBy.set(peer, list);
      }
    }
    return ids.map((id) => {
      const f = this.facts.get(id);
      const process: NodeView['process'] = processes[id] ?? (f ? (f.down ? 'exited' : 'up') : 'unknown');
      const by = suspectedBy.get(id) ?? [];
      const suspects = f ? [...f.verdicts].filter(([, v]) => v !== 'alive').map(([peer]) => peer) : [];
      return {
        id,
        process,
        look: f?.left && process !== 'up' ? 'left' : lookOf(process, by.length > 0, f?.role === 'leader'),
        role: f?.role ?? null,
        term: f?.term ?? null,
        leaderBelief: f?.leaderBelief ?? null,
        lamport: f?.lamport ?? null,
        suspectedBy: by,
        suspects: live(id) ? suspects : [],
        recentEvents: f ? [...f.recent] : [],
      };
    });
  }
}

/** Crashed and paused say most about the process; then what peers think; then the role. */
export function lookOf(process: NodeView['process'], suspected: boolean, leader: boolean): NodeLook {
  if (process === 'exited' || process === 'failed') return 'crashed';
  if (process === 'paused') return 'paused';
  if (process === 'starting') return 'starting';
  if (suspected) return 'suspected';
  if (leader) return 'leader';
  return process === 'unknown' ? 'starting' : 'up';
}

export const LOOK_LABELS: Record<NodeLook, string> = {
  starting: 'starting',
  up: 'up',
  paused: 'paused',
  crashed: 'crashed',
  suspected: 'suspected',
  leader: 'leader',
  left: 'left',
};

/** The theme variable that colours each look. */
export const LOOK_COLORS: Record<NodeLook, string> = {
  starting: 'var(--starting)',
  up: 'var(--up)',
  paused: 'var(--paused)',
  crashed: 'var(--crashed)',
  suspected: 'var(--suspected)',
  leader: 'var(--leader)',
  left: 'var(--text-dim)',
};
