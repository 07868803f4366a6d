// The words of the diagram's tooltip: what happened to a message, and the Lamport and vector
// clocks of a send or a receive. Lines are plain text with bold parts (no HTML: message types come
// from programs).
import type { MessagePoint } from '../../../../../core/api/contract.js';
import { formatDuration } from '../derive/chart-format.js';
import { isClientId } from '../derive/node-order.js';

export type TipLine = Array<{ text: string; bold?: boolean }>;

export function describeFate(m: MessagePoint): string {
  const flight = m[5] !== null ? formatDuration(m[5] - m[4]) : '';
  switch (m[6]) {
    case 'lost':
      return 'lost by the network';
    case 'partitioned':
      return 'dropped: a partition was in the way';
    case 'overflow':
      return 'dropped: the link’s queue was full';
    case 'undeliverable':
      return 'undeliverable: the destination was down or unknown';
    case 'in-flight-at-end':
      return 'still in flight when the run ended';
    case 'corrupted':
      return `${copy(m)}delivered with a corrupted body after ${flight}`;
    default:
      return `${copy(m)}delivered after ${flight}`;
  }
}

/** An extra copy made by the network says so before its fate. */
function copy(m: MessagePoint): string {
  return m[8] != null ? `an extra copy of message ${m[8]} made by the network, ` : '';
}

const bold = (text: string | number) => ({ text: String(text), bold: true });
const plain = (text: string) => ({ text });

/** `[n1:4 n2:1 n3:7]` in node order, the sender's own entry in bold; entries at 0 are left out by the runtime. */
export function vectorClockLine(clock: Record<string, number>, own: string): TipLine {
  const nodes = Object.keys(clock).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const parts: TipLine = [plain('[')];
  nodes.forEach((node, i) => {
    const entry = `${node}:${clock[node]}`;
    parts.push(node === own ? bold(entry) : plain(entry));
    if (i < nodes.length - 1) parts.push(plain(' '));
  });
  parts.push(plain(']'));
  return parts;
}

/** Clients carry no clocks; a node's message without one is worth saying so plainly. */
function noClock(m: MessagePoint): TipLine {
  return isClientId(m[1]) ? [plain('client message, no clock')] : [plain('no clock on this message')];
}

/**
 * The clocks travel with the message: the sender's Lamport value and vector clock at the send.
 * A receive's clock is above both (Lamport: at least one more; vector: the entry-wise maximum
 * with the receiver's own, plus one at the receiver).
 */
export function describeEvent(m: MessagePoint, kind: 'send' | 'receive'): TipLine[] {
  const lamport = m[7];
  const vector = m[9] ?? null;
  const clocks: TipLine[] = [];
  if (lamport === null && vector === null) clocks.push(noClock(m));
  if (kind === 'send') {
    if (lamport !== null) clocks.push([plain('Lamport clock of the send: '), bold(lamport)]);
    if (vector) clocks.push([plain('vector clock: '), ...vectorClockLine(vector, m[1])]);
    return [[bold(`${m[1]} → ${m[2]}`), plain(` ${m[3]}`)], [plain(`sent at ${(m[4] / 1000).toFixed(4)} s`)], ...clocks, [plain(describeFate(m))]];
  }
  const deliver = m[5] ?? m[4];
  if (lamport !== null) clocks.push([plain('sent at Lamport '), bold(lamport), plain(', so this receive is at least '), bold(lamport + 1)]);
  if (vector) clocks.push([plain('sender’s vector clock: '), ...vectorClockLine(vector, m[1]), plain(`; ${m[2]} takes the maximum, +1 at ${m[2]}`)]);
  return [
    [bold(`${m[2]} ← ${m[1]}`), plain(` ${m[3]}`)],
    [plain(`received at ${(deliver / 1000).toFixed(4)} s, ${formatDuration(deliver - m[4])} after the send`)],
    ...clocks,
    ...(m[8] != null || m[6] === 'corrupted' ? [[plain(describeFate(m))]] : []),
  ];
}
