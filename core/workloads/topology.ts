// The neighbours Maelstrom's broadcast workload tells each node about (the `topology`
// message), as its --topology option builds them: a square grid, a line, a tree with a
// branching factor, every node (total), or a ring. Links go both ways.
import type { NodeId } from '../experiment/types.js';

export type TopologyKind = 'grid' | 'line' | 'tree' | 'total' | 'ring';
export type Topology = Record<NodeId, NodeId[]>;

export function makeTopology(kind: TopologyKind, nodes: readonly NodeId[], branching = 2): Topology {
  const links: Topology = Object.fromEntries(nodes.map((n) => [n, [] as NodeId[]]));
  const link = (a: number, b: number) => {
    if (a === b || a < 0 || b < 0 || a >= nodes.length || b >= nodes.length) return;
    if (!links[nodes[a]].includes(nodes[b])) links[nodes[a]].push(nodes[b]);
    if (!links[nodes[b]].includes(nodes[a])) links[nodes[b]].push(nodes[a]);
  };
  const n = nodes.length;
  switch (kind) {
    case 'total':
      for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) link(a, b);
      break;
    case 'line':
      for (let a = 0; a + 1 < n; a++) link(a, a + 1);
      break;
    case 'ring':
      for (let a = 0; a + 1 < n; a++) link(a, a + 1);
      if (n > 2) link(n - 1, 0);
      break;
    case 'tree':
      for (let a = 1; a < n; a++) link(a, Math.floor((a - 1) / branching));
      break;
    case 'grid': {
      // Row by row in a square as close to n as fits; each node links right and down.
      const side = Math.ceil(Math.sqrt(n));
      for (let a = 0; a < n; a++) {
        if ((a + 1) % side !== 0) link(a, a + 1);
        link(a, a + side);
      }
      break;
    }
  }
  for (const node of nodes) links[node].sort((a, b) => nodes.indexOf(a) - nodes.indexOf(b));
  return links;
}

/** The problem with an explicit map, or null: every key and neighbour must be a node of the run. */
export function topologyProblem(map: Record<string, string[]>, nodes: readonly NodeId[]): string | null {
  for (const [node, neighbours] of Object.entries(map)) {
    if (!nodes.includes(node)) return `"${node}" is not a node of this run (${nodes[0]}…${nodes[nodes.length - 1]})`;
    for (const peer of neighbours) if (!nodes.includes(peer)) return `"${peer}", a neighbour of ${node}, is not a node of this run`;
  }
  return null;
}
