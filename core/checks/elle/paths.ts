// Shortest paths by breadth-first search inside one component, over chosen edge kinds. The
// scratch arrays are reused across searches, so that many searches in a big graph stay cheap.
import type { DependencyGraph } from './graph.js';

export class PathFinder {
  private readonly seen: Int32Array;
  private readonly via: Int32Array;
  private stamp = 0;
  private readonly queue: Int32Array;

  constructor(private readonly g: DependencyGraph) {
    this.seen = new Int32Array(g.size);
    this.via = new Int32Array(g.size);
    this.queue = new Int32Array(g.size);
  }

  /** Edge ids of a shortest path (a shortest cycle when start is goal) from `start` to `goal` over edges of `mask` inside `component`, or null. */
  shortest(start: number, goal: number, mask: number, component: Int32Array, componentId: number): number[] | null {
    const { g } = this;
    const stamp = ++this.stamp;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = start;
    this.seen[start] = stamp;
    while (head < tail) {
      const v = this.queue[head++];
      for (let c = g.offsets[v]; c < g.offsets[v + 1]; c++) {
        const e = g.edgeIds[c];
        if ((g.kind[e] & mask) === 0) continue;
        const w = g.to[e];
        if (component[w] !== componentId) continue;
        if (w === goal) {
          this.via[w] = e;
          return this.trace(start, goal);
        }
        if (this.seen[w] === stamp) continue;
        this.seen[w] = stamp;
        this.via[w] = e;
        this.queue[tail++] = w;
      }
    }
    return null;
  }

  private trace(start: number, goal: number): number[] {
    const path: number[] = [];
    let v = goal;
    do {
      const e = this.via[v];
      path.push(e);
      v = this.g.from[e];
    } while (v !== start);
    return path.reverse();
  }
}
