// The messages in flight at the replay cursor, as RaftScope draws them: a dot on its link,
// as far along as its flight has gone; a message the network dropped ends as a ✕ where it
// was dropped (at the sender for a partition or an unknown destination, mid-way when lost).
import type { MessagePoint } from '../../../../core/api/contract.js';

export interface FlightDot {
  id: number;
  from: string;
  to: string;
  /** 0 at the sender, 1 at the receiver. */
  frac: number;
  dropped: boolean;
  title: string;
}

/** The most dots drawn at once: beyond it the picture says nothing more, and costs frames. */
export const MAX_DOTS = 300;
/** How long a dropped message's ✕ stays, in flights of a typical message. */
const DROPPED_SHOWN_FLIGHTS = 3;
const DELIVERED = new Set(['delivered', 'corrupted']);

/** The median flight of the delivered messages given, ms (5 ms when there are none). */
export function typicalFlightMs(messages: readonly MessagePoint[]): number {
  const flights: number[] = [];
  for (let i = 0; i < messages.length && flights.length < 2000; i++) {
    const m = messages[i];
    if (m[5] !== null) flights.push(m[5] - m[4]);
  }
  if (flights.length === 0) return 5;
  flights.sort((a, b) => a - b);
  return Math.max(0.05, flights[flights.length >> 1]);
}

/**
 * The dots at tMs. `messages` are in send order; `nodes` the lanes drawn (messages to or
 * from clients are left out).
 */
export function flightsAt(messages: readonly MessagePoint[], tMs: number, nodes: ReadonlySet<string>, flightMs: number): FlightDot[] {
  const out: FlightDot[] = [];
  const droppedFor = flightMs * DROPPED_SHOWN_FLIGHTS;
  for (let i = messages.length - 1; i >= 0 && out.length < MAX_DOTS; i--) {
    const [id, src, dest, type, send, deliver, fate] = messages[i];
    if (send > tMs) continue;
    if (!nodes.has(src) || !nodes.has(dest)) continue;
    const age = tMs - send;
    if (deliver !== null && DELIVERED.has(fate)) {
      if (deliver <= tMs) continue;
      out.push({ id, from: src, to: dest, frac: Math.min(1, age / Math.max(1e-6, deliver - send)), dropped: false, title: `${type} ${src} → ${dest}, sent at ${send.toFixed(3)} ms, arrives at ${deliver.toFixed(3)} ms` });
    } else if (fate === 'in-flight-at-end') {
      out.push({ id, from: src, to: dest, frac: Math.min(0.9, age / flightMs), dropped: false, title: `${type} ${src} → ${dest}, sent at ${send.toFixed(3)} ms, still in flight when the run ended` });
    } else {
      // Dropped: lost mid-way; partitioned, undeliverable or overflowing at the sender's side.
      const at = fate === 'lost' ? 0.5 : 0.12;
      const travel = at * flightMs;
      if (age > travel + droppedFor) continue;
      if (age < travel) out.push({ id, from: src, to: dest, frac: age / flightMs, dropped: false, title: `${type} ${src} → ${dest}, sent at ${send.toFixed(3)} ms (it will be ${fate})` });
      else out.push({ id, from: src, to: dest, frac: at, dropped: true, title: `${type} ${src} → ${dest}, sent at ${send.toFixed(3)} ms: ${fate}` });
    }
    // Messages sent long before the cursor cannot still be flying (bar the odd straggler).
    if (age > 50 * flightMs + 1000 && out.length > 0) break;
  }
  return out;
}
