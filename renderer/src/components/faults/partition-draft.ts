// A partition being drawn before it is applied: each node in group A, B or C, or in none
// (a node in no group still reaches everyone, as the engine treats unnamed nodes).

export const GROUP_NAMES = ['A', 'B', 'C'] as const;
export type PartitionDraft = Record<string, number>;

/** Clicking a node with a group picked puts it there; clicking it again takes it out. */
export function assignNode(draft: PartitionDraft, node: string, group: number): PartitionDraft {
  const next = { ...draft };
  if (next[node] === group) delete next[node];
  else next[node] = group;
  return next;
}

/** Dragging from one node to another puts them in different groups. */
export function separateNodes(draft: PartitionDraft, from: string, to: string): PartitionDraft {
  if (from === to) return draft;
  const next = { ...draft };
  const otherThan = (g: number) => (g === 0 ? 1 : 0);
  if (next[from] === undefined && next[to] === undefined) {
    next[from] = 0;
    next[to] = 1;
  } else if (next[to] === undefined) next[to] = otherThan(next[from]);
  else if (next[from] === undefined) next[from] = otherThan(next[to]);
  else if (next[from] === next[to]) next[to] = otherThan(next[from]);
  return next;
}

/** The groups in A, B, C order, nodes in the given order. */
export function draftGroups(draft: PartitionDraft, nodes: string[]): string[][] {
  return GROUP_NAMES.map((_, g) => nodes.filter((n) => draft[n] === g));
}

export interface PatternPreview {
  /** Group sizes, e.g. [3, 2]. */
  sizes: number[];
  text: string;
}

/**
 * What a Jepsen-style pattern will do to `n` nodes. The engine picks the members at
 * random (from the run's seed), so the preview gives the shape, not the names.
 */
export function previewPattern(pattern: string, n: number, leader: string | null): PatternPreview {
  if (n < 2) return { sizes: [n], text: 'needs at least two nodes' };
  const majority = Math.floor(n / 2) + 1;
  switch (pattern) {
    case 'one':
      return { sizes: [1, n - 1], text: `one random node alone | the other ${n - 1}` };
    case 'majority':
      return { sizes: [majority, n - majority], text: `${majority} nodes (a majority) | ${n - majority}` };
    case 'majorities-ring': {
      const reach = Math.max(1, Math.ceil((majority - 1) / 2));
      const sees = Math.min(n, 2 * reach + 1);
      return { sizes: [], text: `a shuffled ring: each node reaches its ${2 * reach} nearest (sees ${sees} of ${n}); no two see the same majority` };
    }
    case 'bridge': {
      const half = Math.floor(n / 2);
      if (n < 3) return { sizes: [half, n - half], text: 'needs at least three nodes for a bridge' };
      return { sizes: [half, 1, n - half - 1], text: `${half} | 1 bridge node | ${n - half - 1}: only the bridge reaches both sides` };
    }
    case 'leader':
      return leader
        ? { sizes: [1, n - 1], text: `the leader (${leader} now) alone | the other ${n - 1}` }
        : { sizes: [1, n - 1], text: 'the leader alone (no leader known yet: the engine will skip it)' };
    default:
      throw new Error(`unknown partition pattern "${pattern}"; expected one, majority, majorities-ring, bridge or leader`);
  }
}
