// Which node leads right now, as the nodes' own `role` events tell it: the leader of the
// highest term, until it steps down. Faults aimed at `leader` resolve through this.
export class LeaderTracker {
  private node: string | null = null;
  private term = -Infinity;

  get current(): string | null {
    return this.node;
  }

  observe(node: string, kind: string, data: unknown): void {
    if (kind !== 'role' || !data || typeof data !== 'object') return;
    const { role, term } = data as { role?: unknown; term?: unknown };
    const t = typeof term === 'number' ? term : 0;
    if (role === 'leader' && t >= this.term) {
      this.node = node;
      this.term = t;
    } else if (role !== 'leader' && node === this.node && t >= this.term) {
      this.node = null;
    }
  }
}
