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
  const flights: number[] = [];
  for (const m of messages) if (m[5] !== null) flights.push(m[5] - m[4]);
  if (flights.length === 0) return fallback;
  flights.sort((a, b) => a - b);
  return flights[flights.length >> 1];
}
