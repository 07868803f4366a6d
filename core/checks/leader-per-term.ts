// Election safety (Raft §5.2): at most one node becomes leader in any term. Read from the
// `role {role: 'leader', term}` events that election protocols emit.

export interface RecordedEvent {
  node: string;
  tUs: number;
  kind: string;
  data: unknown;
}

export interface LeaderPerTermResult {
  valid: boolean;
  /** Terms in which some node became leader. */
  terms: number;
  /** Distinct (term, node) leaderships. */
  leaders: number;
  /** Terms with more than one leader. */
  violatingTerms: number;
  violations: Array<{ term: number; nodes: string[] }>;
}

const MAX_EXAMPLES = 10;

export function checkLeaderPerTerm(events: readonly RecordedEvent[]): LeaderPerTermResult {
  const leadersByTerm = new Map<number, Set<string>>();
  for (const e of events) {
    const term = leadershipTerm(e);
    if (term === undefined) continue;
    const nodes = leadersByTerm.get(term) ?? new Set<string>();
    nodes.add(e.node);
    leadersByTerm.set(term, nodes);
  }

  let leaders = 0;
  const violating: Array<{ term: number; nodes: string[] }> = [];
  for (const [term, nodes] of leadersByTerm) {
    leaders += nodes.size;
    if (nodes.size > 1) violating.push({ term, nodes: [...nodes].sort() });
  }
  violating.sort((a, b) => a.term - b.term);

  return {
    valid: violating.length === 0,
    terms: leadersByTerm.size,
    leaders,
    violatingTerms: violating.length,
    violations: violating.slice(0, MAX_EXAMPLES),
  };
}

function leadershipTerm(e: RecordedEvent): number | undefined {
  if (e.kind !== 'role' || typeof e.data !== 'object' || e.data === null) return undefined;
  const { role, term } = e.data as { role?: unknown; term?: unknown };
  return role === 'leader' && typeof term === 'number' ? term : undefined;
}
