// Leaders and terms over time, from the election telemetry: `role {role, term}`,
// `leader {leader, term}`, `term {term}` and `election {term}`.
import type { FaultPoint, NodeEventPoint } from '../../../../../core/api/contract.js';
import { downPeriods, type DownPeriod } from './down-periods.js';
import { sortNodeIds } from './node-order.js';

export const ELECTION_EVENTS: ReadonlySet<string> = new Set(['role', 'leader', 'term', 'election']);

/** The highest term any node knew of, from `ms` on. */
export interface TermStep {
  ms: number;
  term: number;
}

/** A stretch of time in which `node` acted as leader of `term`. */
export interface LeaderSegment {
  node: string;
  term: number;
  fromMs: number;
  toMs: number;
}

export interface ElectionMark {
  ms: number;
  node: string;
  term: number;
}

/** A node taking office: `role leader`, or naming itself in a `leader` event. */
export interface LeaderChange {
  ms: number;
  leader: string;
  term: number;
}

export type Belief = 'follower' | 'candidate' | 'leader';

/** A stretch of time in which `node` believed it was a follower, candidate or leader of `term`. */
export interface RoleSegment {
  node: string;
  role: Belief;
  term: number | null;
  fromMs: number;
  toMs: number;
}

export interface Leadership {
  nodes: string[];
  terms: TermStep[];
  segments: LeaderSegment[];
  /** Every node's beliefs from its first election telemetry on, back to back while its process runs. */
  roles: RoleSegment[];
  elections: ElectionMark[];
  changes: LeaderChange[];
  /** The first leader of each term (absent for a term nobody won). */
  leaderOfTerm: Map<number, string>;
}

interface Data {
  role?: unknown;
  term?: unknown;
  leader?: unknown;
}

function termOf(data: unknown): number | null {
  const term = (data as Data | null)?.term;
  return typeof term === 'number' && Number.isFinite(term) ? term : null;
}

/** Null when the run has no election telemetry. */
export function deriveLeadership(events: readonly NodeEventPoint[], faults: readonly FaultPoint[], untilMs: number): Leadership | null {
  const electionEvents = events.filter((e) => ELECTION_EVENTS.has(e[2])).sort((a, b) => a[0] - b[0]);
  if (electionEvents.length === 0) return null;
  // Programs that report roles say who leads; otherwise a node naming itself leader does.
  const byRole = electionEvents.some((e) => e[2] === 'role');

  const terms: TermStep[] = [];
  const elections: ElectionMark[] = [];
  const changes: LeaderChange[] = [];
  const leaderOfTerm = new Map<number, string>();
  const nodes = new Set<string>();
  const starts: Array<{ ms: number; node: string; term: number | null; leads: boolean }> = [];
  let highest = -Infinity;

  for (const [ms, node, kind, data] of electionEvents) {
    nodes.add(node);
    const term = termOf(data);
    if (term !== null && term > highest) {
      highest = term;
      terms.push({ ms, term });
    }
    if (kind === 'election') elections.push({ ms, node, term: term ?? highest });
    const d = data as Data | null;
    if (byRole && kind === 'role') starts.push({ ms, node, term, leads: d?.role === 'leader' });
    if (!byRole && kind === 'leader') starts.push({ ms, node, term, leads: d?.leader === node });
  }

  const down = downPeriods(faults, events, untilMs);
  const segments: LeaderSegment[] = [];
  const leading = new Map<string, { fromMs: number; term: number }>();
  const close = (node: string, ms: number) => {
    const open = leading.get(node);
    if (!open) return;
    segments.push(...minusDown({ node, term: open.term, fromMs: open.fromMs, toMs: ms }, down));
    leading.delete(node);
  };
  // A process that ended forgets its role; a paused one keeps it (its segment skips the pause).
  const resets = down.filter((p) => p.cause !== 'pause').map((p) => ({ ms: p.fromMs, node: p.node }));
  const timeline = [...starts.map((s) => ({ ...s, reset: false })), ...resets.map((r) => ({ ...r, term: null, leads: false, reset: true }))].sort((a, b) => a.ms - b.ms);
  for (const step of timeline) {
    const open = leading.get(step.node);
    if (step.reset) {
      close(step.node, step.ms);
      continue;
    }
    if (step.leads) {
      const term = step.term ?? highestTermAt(terms, step.ms);
      if (open && open.term === term) continue;
      close(step.node, step.ms);
      leading.set(step.node, { fromMs: step.ms, term });
      changes.push({ ms: step.ms, leader: step.node, term });
      if (!leaderOfTerm.has(term)) leaderOfTerm.set(term, step.node);
    } else close(step.node, step.ms);
  }
  for (const node of [...leading.keys()]) close(node, untilMs);

  return {
    nodes: sortNodeIds(nodes),
    terms,
    segments: segments.filter((s) => s.toMs > s.fromMs).sort((a, b) => a.fromMs - b.fromMs),
    roles: deriveRoles(electionEvents, byRole, down, untilMs),
    elections,
    changes,
    leaderOfTerm,
  };
}

function highestTermAt(terms: readonly TermStep[], ms: number): number {
  let term = 0;
  for (const step of terms) if (step.ms <= ms) term = step.term;
  return term;
}

/** The parts of a segment in which its node was not down. */
function minusDown(segment: LeaderSegment, down: readonly DownPeriod[]): LeaderSegment[] {
  let parts = [segment];
  for (const p of down) {
    if (p.node !== segment.node) continue;
    parts = parts.flatMap((s) => {
      if (p.toMs <= s.fromMs || p.fromMs >= s.toMs) return [s];
      const kept: LeaderSegment[] = [];
      if (p.fromMs > s.fromMs) kept.push({ ...s, toMs: p.fromMs });
      if (p.toMs < s.toMs) kept.push({ ...s, fromMs: p.toMs });
      return kept;
    });
  }
  return parts;
}

/**
 * What each node believed, interval by interval. With role telemetry the roles say it; without,
 * a node that names itself leader leads, one that starts an election is a candidate, and any
 * other is a follower. A term event moves the node's belief to the new term. A process that
 * ended forgets its role until it reports again; a pause is cut out and the role kept.
 */
function deriveRoles(events: readonly NodeEventPoint[], byRole: boolean, down: readonly DownPeriod[], untilMs: number): RoleSegment[] {
  type Now = { role: Belief; term: number | null; fromMs: number };
  const current = new Map<string, Now>();
  const out: RoleSegment[] = [];
  const close = (node: string, ms: number) => {
    const now = current.get(node);
    if (!now) return;
    if (ms > now.fromMs) out.push({ node, role: now.role, term: now.term, fromMs: now.fromMs, toMs: ms });
    current.delete(node);
  };
  const become = (node: string, ms: number, role: Belief, term: number | null) => {
    const now = current.get(node);
    if (now && now.role === role && now.term === term) return;
    close(node, ms);
    current.set(node, { role, term, fromMs: ms });
  };
  const resets = down.filter((p) => p.cause !== 'pause');
  const timeline: Array<{ ms: number; node: string; kind: string; data: unknown }> = [
    ...events.map(([ms, node, kind, data]) => ({ ms, node, kind, data })),
    ...resets.map((p) => ({ ms: p.fromMs, node: p.node, kind: 'down', data: null })),
  ]
    .filter((step) => step.ms <= untilMs)
    .sort((a, b) => a.ms - b.ms);
  for (const { ms, node, kind, data } of timeline) {
    if (kind === 'down') {
      close(node, ms);
      continue;
    }
    const now = current.get(node);
    const term = termOf(data) ?? now?.term ?? null;
    const d = data as Data | null;
    if (kind === 'role' && (d?.role === 'leader' || d?.role === 'candidate' || d?.role === 'follower')) become(node, ms, d.role, term);
    else if (!byRole && kind === 'leader') become(node, ms, d?.leader === node ? 'leader' : 'follower', term);
    else if (!byRole && kind === 'election') become(node, ms, 'candidate', term);
    else become(node, ms, now?.role ?? 'follower', term);
  }
  for (const node of [...current.keys()]) close(node, untilMs);
  return out.flatMap((segment) => minusDownRole(segment, down)).sort((a, b) => a.fromMs - b.fromMs || a.node.localeCompare(b.node));
}

function minusDownRole(segment: RoleSegment, down: readonly DownPeriod[]): RoleSegment[] {
  return minusDown({ node: segment.node, term: segment.term ?? 0, fromMs: segment.fromMs, toMs: segment.toMs }, down).map((part) => ({ ...segment, fromMs: part.fromMs, toMs: part.toMs }));
}
