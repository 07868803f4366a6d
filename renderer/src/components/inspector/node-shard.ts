// A sharded-kv node's share at a moment, from its own `ring` and `keys` states: what the
// inspector shows beside its clocks (the ring view draws all the nodes together).
import type { NodeEventPoint } from '../../../../core/api/contract.js';

export interface NodeShard {
  placement: string;
  /** Its points on the ring: the ends of the arcs it owns (0 under modulo). */
  points: number;
  /** The members in its view. */
  members: string[];
  owned: number;
  held: number;
}

/** The node's latest ring and keys states at or before `atMs`; null when it reported no ring. */
export function nodeShardAt(node: string, events: readonly NodeEventPoint[], atMs: number): NodeShard | null {
  let ring: { placement?: string; points?: unknown[]; members?: string[] } | null = null;
  let keys: { owned?: unknown[]; held?: number } | null = null;
  for (let i = events.length - 1; i >= 0 && !(ring && keys); i--) {
    const [ms, who, kind, data] = events[i];
    if (who !== node || kind !== 'state' || ms > atMs) continue;
    const d = data as { key?: unknown; value?: any } | null;
    if (d?.key === 'ring' && !ring) ring = d.value ?? {};
    else if (d?.key === 'keys' && !keys) keys = d.value ?? {};
  }
  if (!ring) return null;
  return {
    placement: String(ring.placement ?? 'ring'),
    points: ring.points?.length ?? 0,
    members: ring.members ?? [],
    owned: keys?.owned?.length ?? 0,
    held: keys?.held ?? 0,
  };
}
