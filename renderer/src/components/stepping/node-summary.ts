// What a node's protocol state says about its role and term, when it says it: Raft and the
// elections keep `role` and `term` at the top of S. Other protocols show no label.

export function roleOf(state: unknown): { role?: string; term?: number } | null {
  if (!state || typeof state !== 'object') return null;
  const s = state as Record<string, unknown>;
  const role = typeof s.role === 'string' ? s.role : undefined;
  const term = typeof s.term === 'number' ? s.term : typeof s.currentTerm === 'number' ? s.currentTerm : undefined;
  return role === undefined && term === undefined ? null : { ...(role !== undefined && { role }), ...(term !== undefined && { term }) };
}
