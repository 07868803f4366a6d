// Tarjan's strongly connected components, iterative (histories are too deep for recursion),
// over the edges whose kind is in `mask`, among `scope`'s nodes when given.
import type { DependencyGraph } from './graph.js';

/** Components of more than one node: only they can hold a cycle (the graph has no self-loops). */
export function stronglyConnected(g: DependencyGraph, mask: number, scope?: { nodes: readonly number[]; contains: (node: number) => boolean }): number[][] {
  const within = scope?.contains;
  const n = g.size;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const edgeCursor = new Int32Array(n);
  const stack: number[] = [];
  const call: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const roots = scope?.nodes ?? Array.from({ length: n }, (_, i) => i);
  for (const root of roots) {
    if (index[root] >= 0) continue;
    call.push(root);
    index[root] = low[root] = counter++;
    edgeCursor[root] = g.offsets[root];
    stack.push(root);
    onStack[root] = 1;
    while (call.length) {
      const v = call[call.length - 1];
      let descended = false;
      while (edgeCursor[v] < g.offsets[v + 1]) {
        const e = g.edgeIds[edgeCursor[v]++];
        if ((g.kind[e] & mask) === 0) continue;
        const w = g.to[e];
        if (within && !within(w)) continue;
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          edgeCursor[w] = g.offsets[w];
          stack.push(w);
          onStack[w] = 1;
          call.push(w);
          descended = true;
          break;
        }
        if (onStack[w] && index[w] < low[v]) low[v] = index[w];
      }
      if (descended) continue;
      call.pop();
      if (call.length) {
        const parent = call[call.length - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] !== index[v]) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop() as number;
        onStack[w] = 0;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  }
  return components;
}
