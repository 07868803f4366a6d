// Picking the messages that cross a time window, by binary search over send times.
import type { MessagePoint } from '../../../../../core/api/contract.js';
import { lowerBound, upperBound } from './search.js';

const sendMs = (m: MessagePoint): number => m[4];

/** The messages in send-time order: the same array when it already is (the usual case). */
export function sortedBySend(messages: readonly MessagePoint[]): readonly MessagePoint[] {
  for (let i = 1; i < messages.length; i++) {
    if (messages[i][4] < messages[i - 1][4]) return [...messages].sort((a, b) => a[4] - b[4] || a[0] - b[0]);
  }
  return messages;
}

/** The longest time any message took to arrive: how far before a window an arrow into it may start. */
export function longestFlightMs(messages: readonly MessagePoint[]): number {
  let longest = 0;
  for (const m of messages) if (m[5] !== null && m[5] - m[4] > longest) longest = m[5] - m[4];
  return longest;
}

/**
 * Messages whose arrow crosses [fromMs, toMs]: sent by toMs, and delivered (or, if never
 * delivered, sent) at or after fromMs. `sorted` must be in send-time order.
 */
export function messagesInWindow(sorted: readonly MessagePoint[], fromMs: number, toMs: number, longestFlight: number): MessagePoint[] {
  const lo = lowerBound(sorted, fromMs - longestFlight, sendMs);
  const hi = upperBound(sorted, toMs, sendMs);
  const out: MessagePoint[] = [];
  for (let i = lo; i < hi; i++) {
    const m = sorted[i];
    if ((m[5] ?? m[4]) >= fromMs) out.push(m);
  }
  return out;
}

/** The median time messages took to arrive, for drawing where lost ones would have got to. */
export function medianFlightMs(messages: readonly MessagePoint[], fallback: number): number {
  // An even spread of at most ~500 messages gives the median as well as all of them, without sorting thousands per frame.
  const step = Math.max(1, Math.floor(messages.length / 500));
  const flights: number[] = [];
  for (let i = 0; i < messages.length; i += step) {
    const m = messages[i];
    if (m[5] !== null) flights.push(m[5] - m[4]);
  }
  if (flights.length === 0) return fallback;
  flights.sort((a, b) => a - b);
  return flights[flights.length >> 1];
}

export interface FateCounts {
  /** Messages sent in the window, extra copies included. */
  sent: number;
  /** Of those, the originals (not the network's extra copies). */
  originals: number;
  lost: number;
  partitioned: number;
  /** Overflowed a full queue, or had nowhere to go. */
  dropped: number;
  duplicated: number;
  corrupted: number;
}

/** What became of the messages sent in [fromMs, toMs]. */
export function countFates(messages: readonly MessagePoint[], fromMs: number, toMs: number): FateCounts {
  const c: FateCounts = { sent: 0, originals: 0, lost: 0, partitioned: 0, dropped: 0, duplicated: 0, corrupted: 0 };
  for (const m of messages) {
    if (m[4] < fromMs || m[4] > toMs) continue;
    c.sent++;
    const fate = m[6];
    if (m[8] != null) c.duplicated++;
    else c.originals++;
    if (fate === 'lost') c.lost++;
    else if (fate === 'partitioned') c.partitioned++;
    else if (fate === 'overflow' || fate === 'undeliverable' || fate === 'in-flight-at-end') c.dropped++;
    else if (fate === 'corrupted') c.corrupted++;
  }
  return c;
}

/**
 * At most about `cap` of the messages (in send order) for drawing: every message that was not
 * simply delivered, since those are what a person looks for, then an even spread of the rest.
 * `indices` gives each kept message's place in `messages` (null when all are kept).
 */
export function thinForDrawing(messages: readonly MessagePoint[], cap: number): { messages: readonly MessagePoint[]; indices: Int32Array | null } {
  if (messages.length <= cap) return { messages, indices: null };
  let unusual = 0;
  for (const m of messages) if (m[6] !== 'delivered') unusual++;
  const room = Math.max(cap - unusual, Math.floor(cap / 4));
  const step = (messages.length - unusual) / room;
  const kept: MessagePoint[] = [];
  const indices: number[] = [];
  let next = 0;
  let seen = 0;
  messages.forEach((m, i) => {
    if (m[6] !== 'delivered' || seen++ >= next) {
      kept.push(m);
      indices.push(i);
      if (m[6] === 'delivered') next += step;
    }
  });
  return { messages: kept, indices: Int32Array.from(indices) };
}
