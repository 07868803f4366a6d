// Clock values written beside the send dots, once the view is zoomed in far enough that
// every label fits: half the labels would read as if the other dots had none.
import type { MessagePoint } from '../../../../../core/api/contract.js';
import { compareNodeIds } from '../derive/node-order.js';

export type ClockLabelMode = 'none' | 'lamport' | 'vector';

export interface ClockLabel {
  x: number;
  y: number;
  text: string;
}

/** What a send dot is labelled with: the sender's Lamport value, or its vector clock as [n1:4 n2:1]; null when the message has none. */
export function clockText(m: MessagePoint, mode: ClockLabelMode): string | null {
  if (mode === 'lamport') return m[7] === null ? null : String(m[7]);
  if (mode === 'vector' && m[9]) {
    const clock = m[9];
    return `[${Object.keys(clock)
      .sort(compareNodeIds)
      .map((n) => `${n}:${clock[n]}`)
      .join(' ')}]`;
  }
  return null;
}

/** A row of labels, px. */
export const ROW_PX = 11;
const GAP_PX = 3;

/**
 * The labels above their dots, if all of them fit: on each lane a label takes the lowest
 * row (of those the half lane above the dot holds) where it overlaps no other, so the
 * sends of one instant stack; within `bounds` (the plot's sides). Null when some label finds no row (zoom in further).
 */
export function placeClockLabels(labels: readonly ClockLabel[], widthOf: (text: string) => number, laneGapPx: number, bounds = { left: -Infinity, right: Infinity }): ClockLabel[] | null {
  if (labels.length === 0) return [];
  const rows = Math.floor((laneGapPx / 2 - 4) / ROW_PX);
  if (rows < 1) return null;
  const byLane = new Map<number, ClockLabel[]>();
  for (const label of labels) byLane.set(label.y, [...(byLane.get(label.y) ?? []), label]);
  const placed: ClockLabel[] = [];
  for (const [y, lane] of byLane) {
    const rowEnds: number[] = new Array<number>(rows).fill(-Infinity);
    for (const label of [...lane].sort((a, b) => a.x - b.x)) {
      const w = widthOf(label.text);
      // A label near an edge of the plot shifts inward rather than being cut.
      const x = Math.max(bounds.left + w / 2, Math.min(bounds.right - w / 2, label.x));
      const row = rowEnds.findIndex((end) => end + GAP_PX <= x - w / 2);
      if (row < 0) return null;
      rowEnds[row] = x + w / 2;
      placed.push({ x, y: y - row * ROW_PX, text: label.text });
    }
  }
  return placed;
}
