// The sharded store at one moment, from the nodes' `ring` and `keys` states: the placement
// the newest view describes (its members, each node's points and so its arcs), and every key
// a node reported owning, at its position on the ring. During a hand-over a key may be
// reported by its old owner, its new one, or briefly neither: that is what the view animates.
import type { NodeEventPoint } from '../../../../../core/api/contract.js';
import { keyPosition, RING_SIZE } from '../../../../../core/protocols/sharding/hash.js';
import { placementOf, type Placement, type PlacementKind } from '../../../../../core/protocols/sharding/placement.js';

export interface RingArc {
  node: string;
  /** From this position (exclusive) clockwise to `to` (inclusive); `from` > `to` wraps past 0. */
  from: number;
  to: number;
}

export interface RingKey {
  key: unknown;
  position: number;
  owner: string;
}

export interface ShardRing {
  placement: Placement;
  arcs: RingArc[];
  keys: RingKey[];
  /** Keys each member reports owning (0 for a member that reported none). */
  keysPerNode: Record<string, number>;
  /** Keys reported in all / members: the ideal K/N. */
  ideal: number;
}

interface RingState {
  placement?: string;
  vnodes?: number;
  replicas?: number;
  members?: string[];
}

/** True for the events this view reads (the caller can keep just these). */
export const isShardState = (e: NodeEventPoint): boolean => e[2] === 'state' && (stateKey(e) === 'ring' || stateKey(e) === 'keys');

const stateKey = (e: NodeEventPoint): unknown => (e[3] as { key?: unknown } | null)?.key;

/** The ring at `atMs` (null: the newest), from shard states in time order; null before any view. */
export function shardRingAt(states: readonly NodeEventPoint[], atMs: number | null): ShardRing | null {
  let view: RingState | null = null;
  const owned = new Map<string, unknown[]>();
  for (const e of states) {
    if (atMs !== null && e[0] > atMs) break;
    const value = (e[3] as { value?: unknown }).value;
    if (stateKey(e) === 'ring') view = value as RingState;
    else if (stateKey(e) === 'keys') owned.set(e[1], Array.isArray((value as { owned?: unknown })?.owned) ? (value as { owned: unknown[] }).owned : []);
  }
  if (!view?.members) return null;
  const kind: PlacementKind = view.placement === 'modulo' ? 'modulo' : 'ring';
  const placement = placementOf(kind, view.members, view.vnodes ?? 1, view.replicas ?? 1);
  const keys: RingKey[] = [];
  for (const [owner, list] of owned) for (const key of list) keys.push({ key, position: keyPosition(key), owner });
  const keysPerNode = Object.fromEntries(placement.members.map((m) => [m, owned.get(m)?.length ?? 0]));
  const total = Object.values(keysPerNode).reduce((a, b) => a + b, 0);
  return { placement, arcs: arcsOf(placement), keys, keysPerNode, ideal: placement.members.length ? total / placement.members.length : 0 };
}

/** Each point owns the arc from the point before it; the first point's arc wraps past 0. */
function arcsOf(placement: Placement): RingArc[] {
  const points = placement.points;
  return points.map((p, i) => ({ node: p.node, from: points[(i - 1 + points.length) % points.length].position, to: p.position }));
}

/** A ring position as an angle in radians, clockwise from the top. */
export const angleOf = (position: number): number => (position / RING_SIZE) * 2 * Math.PI;
