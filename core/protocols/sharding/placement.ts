// Which nodes hold a key: its R holders, the first of them its owner (the primary).
// `ring`: consistent hashing. Each node has V points on the ring; a key belongs to the first
// point clockwise from its position, and its replicas to the next distinct nodes after it.
// A join or leave moves only the keys on the arcs that change hands, about K/N of them.
// `modulo`: the key's hash modulo N picks the owner among the sorted members. A change of N
// changes the answer for almost every key, so nearly all of them move.
import { compareNodeIds } from '../election/node-order.js';
import { keyPosition, vnodePosition } from './hash.js';

export type PlacementKind = 'ring' | 'modulo';
export const PLACEMENT_KINDS: readonly PlacementKind[] = ['ring', 'modulo'];

export interface RingPoint {
  position: number;
  node: string;
}

export interface Placement {
  kind: PlacementKind;
  /** The members, sorted by id (n2 before n10). */
  members: readonly string[];
  /** Every virtual node, sorted by position; empty for modulo. */
  points: readonly RingPoint[];
  replicas: number;
}

export function placementOf(kind: PlacementKind, members: readonly string[], vnodes: number, replicas: number): Placement {
  const sorted = [...new Set(members)].sort(compareNodeIds);
  const points = kind === 'ring' ? ringPoints(sorted, vnodes) : [];
  return { kind, members: sorted, points, replicas };
}

function ringPoints(members: readonly string[], vnodes: number): RingPoint[] {
  const points: RingPoint[] = [];
  for (const node of members) for (let i = 0; i < vnodes; i++) points.push({ position: vnodePosition(node, i), node });
  // Equal positions (a 32-bit collision) are ordered by node, so every node agrees.
  return points.sort((a, b) => a.position - b.position || compareNodeIds(a.node, b.node));
}

/** The key's holders, owner first: up to R distinct nodes (fewer when there are fewer members). */
export function holdersOf(placement: Placement, key: unknown): string[] {
  return holdersAt(placement, keyPosition(key));
}

export function holdersAt(placement: Placement, position: number): string[] {
  const { members, points, replicas } = placement;
  const wanted = Math.min(replicas, members.length);
  const holders: string[] = [];
  if (wanted === 0) return holders;
  if (placement.kind === 'modulo') {
    for (let i = 0; i < wanted; i++) holders.push(members[(position + i) % members.length]);
    return holders;
  }
  for (let i = firstPointAtOrAfter(points, position), seen = 0; holders.length < wanted && seen < points.length; i++, seen++) {
    const node = points[i % points.length].node;
    if (!holders.includes(node)) holders.push(node);
  }
  return holders;
}

export const ownerOf = (placement: Placement, key: unknown): string | undefined => holdersOf(placement, key)[0];

/** The index of the first point at or clockwise after `position` (wrapping to 0). */
function firstPointAtOrAfter(points: readonly RingPoint[], position: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].position < position) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

/** The positions of one node's virtual nodes, sorted: the ends of the arcs it owns. */
export const pointsOf = (placement: Placement, node: string): number[] => placement.points.filter((p) => p.node === node).map((p) => p.position);
