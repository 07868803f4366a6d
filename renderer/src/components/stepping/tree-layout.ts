// Where each node of a stepping session's branch tree is drawn: its depth (steps from the
// root) to the right, its branch downwards. A node's first child continues its row; every
// other child starts a new row below what its elder siblings' subtrees took.
import type { StepTreeNode } from '../../../../core/api/stepping-contract.js';

export interface PlacedTreeNode {
  node: StepTreeNode;
  depth: number;
  row: number;
  /** On the path from the root to the current node. */
  onPath: boolean;
  /** A branch's tip: no step taken from it yet. */
  tip: boolean;
}

export interface TreeLayout {
  placed: PlacedTreeNode[];
  edges: Array<{ from: PlacedTreeNode; to: PlacedTreeNode }>;
  rows: number;
  maxDepth: number;
  /** The ends of the branches: one per leaf. */
  branches: number;
}

export function layoutTree(tree: readonly StepTreeNode[], current: number): TreeLayout {
  const byId = new Map(tree.map((n) => [n.id, n]));
  const path = new Set<number>();
  for (let at = byId.get(current); at; at = at.parent === null ? undefined : byId.get(at.parent)) path.add(at.id);

  const placed = new Map<number, PlacedTreeNode>();
  const edges: TreeLayout['edges'] = [];
  let rows = 0;
  let maxDepth = 0;
  const roots = tree.filter((n) => n.parent === null || !byId.has(n.parent));
  // Iterative: a run of 2000 steps is a chain 2000 deep.
  for (const root of roots) {
    const stack: Array<{ node: StepTreeNode; row: number }> = [{ node: root, row: rows++ }];
    while (stack.length) {
      const popped = stack.pop()!;
      const node = popped.node;
      // A later sibling takes a new row when it is reached, below its elder siblings' subtrees.
      const row = popped.row === -1 ? rows++ : popped.row;
      const children = node.children.map((id) => byId.get(id)).filter((c): c is StepTreeNode => c !== undefined);
      const here: PlacedTreeNode = { node, depth: node.depth, row, onPath: path.has(node.id), tip: children.length === 0 };
      placed.set(node.id, here);
      maxDepth = Math.max(maxDepth, node.depth);
      if (node.parent !== null && placed.has(node.parent)) edges.push({ from: placed.get(node.parent)!, to: here });
      // Pushed last-first so that the first child, which continues this row, is placed first.
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], row: i === 0 ? row : -1 });
    }
  }
  const list = tree.map((n) => placed.get(n.id)).filter((p): p is PlacedTreeNode => p !== undefined);
  return { placed: list, edges, rows, maxDepth, branches: list.filter((p) => p.tip).length };
}
