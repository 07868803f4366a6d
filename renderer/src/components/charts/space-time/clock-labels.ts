// Clock values written beside the send dots, once the view is zoomed in far enough that
// every label fits: half the labels would read as if the other dots had none.
import type { MessagePoint } from '../../../../../core/api/contract';
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

/** Room a label needs above its dot, px. */
export const LABEL_ROOM_PX = 24;
const GAP_PX = 3;

/**
 * The labels, centred above their dots, if all of them fit: none overlaps another on its
 * lane and the lanes leave room above the dots. Null when they do not (zoom in further).
 */
export function placeClockLabels(labels: readonly ClockLabel[], widthOf: (text: string) => number, laneGapPx: number): ClockLabel[] | null {
  if (labels.length === 0) return [];
  if (laneGapPx < LABEL_ROOM_PX) return null;
  const byLane = new Map<number, Array<{ label: ClockLabel; w: number }>>();
  for (const label of labels) {
    const lane = byLane.get(label.y) ?? [];
    lane.push({ label, w: widthOf(label.text) });
    byLane.set(label.y, lane);
  }
  for (const lane of byLane.values()) {
    lane.sort((a, b) => a.label.x - b.label.x);
    for (let i = 1; i < lane.length; i++) {
      const before = lane[i - 1];
      const here = lane[i];
      if (before.label.x + before.w / 2 + GAP_PX > here.label.x - here.w / 2) return null;
    }
  }
  return [...labels];
}
