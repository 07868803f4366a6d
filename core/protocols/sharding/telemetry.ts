// What a sharded-kv node reports, at most every REPORT_INTERVAL_MS: metrics keys-owned,
// keys-held and handover-refused; state `ring` (its view: members and its own points, the
// ends of the arcs it owns) and `keys` (the keys it owns, for the ring view's ticks).
// Batching keeps a busy node from recording its key list after every write.
import type { Output } from '../../sdk/index.js';
import { metric, setTimer, state } from '../../sdk/index.js';
import { holdersOf, pointsOf, type Placement } from './placement.js';
import type { ShardedKvState } from './sharded-kv.js';

export const REPORT_TIMER = 'report';
const REPORT_INTERVAL_MS = 100;

export interface Reported {
  owned: number;
  held: number;
  refused: number;
  /** The placement last reported as `ring`. */
  ringOf: Placement | null;
  keysDirty: boolean;
  timerArmed: boolean;
}

export function reportTelemetry(s: ShardedKvState, out: Output[]): void {
  const r = s.reported;
  r.timerArmed = false;
  if (r.ringOf !== s.placement) {
    r.ringOf = s.placement;
    const { kind, members, replicas } = s.placement;
    out.push(state('ring', { placement: kind, vnodes: s.vnodes, replicas, members, points: pointsOf(s.placement, s.self) }));
  }
  if (r.keysDirty) {
    r.keysDirty = false;
    const owned = [...s.store.values()].filter((entry) => holdersOf(s.placement, entry.key)[0] === s.self).map((entry) => entry.key);
    out.push(state('keys', { owned, held: s.store.size }));
    if (owned.length !== r.owned) out.push(metric('keys-owned', (r.owned = owned.length)));
    if (s.store.size !== r.held) out.push(metric('keys-held', (r.held = s.store.size)));
  }
  if (s.refused !== r.refused) out.push(metric('handover-refused', (r.refused = s.refused)));
}

/** Arms the report timer when something changed since the last report. */
export function scheduleReport(s: ShardedKvState, out: Output[]): void {
  const r = s.reported;
  if (r.timerArmed || !(r.keysDirty || r.ringOf !== s.placement || s.refused !== r.refused)) return;
  r.timerArmed = true;
  out.push(setTimer(REPORT_TIMER, REPORT_INTERVAL_MS));
}
