// The words of the diagram's tooltip: what happened to a message, and the Lamport clock of
// a send or a receive. Lines are plain text with bold parts (no HTML: message types come
// from programs).
import type { MessagePoint } from '../../../../../core/api/contract';
import { formatDuration } from '../derive/chart-format.js';

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

/** The sender's Lamport clock travels with the message; a receive's clock is above it. */
export function describeEvent(m: MessagePoint, kind: 'send' | 'receive'): TipLine[] {
  const lamport = m[7];
  if (kind === 'send') {
    return [
      [bold(`${m[1]} → ${m[2]}`), plain(` ${m[3]}`)],
      [plain(`sent at ${(m[4] / 1000).toFixed(4)} s`)],
      lamport === null ? [plain('no Lamport clock on this message')] : [plain('Lamport clock of the send: '), bold(lamport)],
      [plain(describeFate(m))],
    ];
  }
  const deliver = m[5] ?? m[4];
  return [
    [bold(`${m[2]} ← ${m[1]}`), plain(` ${m[3]}`)],
    [plain(`received at ${(deliver / 1000).toFixed(4)} s, ${formatDuration(deliver - m[4])} after the send`)],
    lamport === null ? [plain('no Lamport clock on this message')] : [plain('sent at Lamport '), bold(lamport), plain(', so this receive is at least '), bold(lamport + 1)],
    ...(m[8] != null || m[6] === 'corrupted' ? [[plain(describeFate(m))]] : []),
  ];
}
