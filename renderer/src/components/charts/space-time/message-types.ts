// Message types on the space-time diagram: a colour for each (kept while the diagram lives), the types in view with their counts for the legend, and a default
// window wide enough for the run's pace to put a legible number of arrows in view.
import type { MessagePoint, TrafficBucket } from '../../../../../core/api/contract.js';

/** Distinct from the fates' colours (red lost, purple partitioned): blues, greens, browns, greys. */
const TYPE_PALETTE = ['#2563eb', '#0d9488', '#65a30d', '#b45309', '#6366f1', '#0891b2', '#a16207', '#475569', '#15803d', '#7c3aed'];

/**
 * Colours given in the order types are first seen, so that the first ten types of a run never
 * share one; a type keeps its colour for as long as the palette lives (one diagram).
 */
export class TypePalette {
  private readonly colors = new Map<string, string>();

  color(type: string): string {
    let color = this.colors.get(type);
    if (color === undefined) this.colors.set(type, (color = TYPE_PALETTE[this.colors.size % TYPE_PALETTE.length]));
    return color;
  }
}

export interface TypeCount {
  type: string;
  count: number;
  color: string;
}

/** The types among `messages`, most frequent first. */
export function typesInView(messages: readonly MessagePoint[], palette: TypePalette): TypeCount[] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m[3], (counts.get(m[3]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([type, count]) => ({ type, count, color: palette.color(type) }));
}

/** About this many arrows in view can be followed one by one. */
export const LEGIBLE_ARROWS = 150;

/**
 * The window (from `choices`, ms) that holds about LEGIBLE_ARROWS messages at the run's
 * average pace; null until the run has sent anything.
 */
export function legibleWindowMs(traffic: readonly TrafficBucket[], choices: readonly number[]): number | null {
  let sent = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const [ms, count] of traffic) {
    if (count <= 0) continue;
    sent += count;
    first = Math.min(first, ms);
    last = Math.max(last, ms + 100);
  }
  if (sent === 0) return null;
  const perMs = sent / Math.max(100, last - first);
  const ideal = LEGIBLE_ARROWS / perMs;
  let best = choices[0];
  for (const w of choices) if (Math.abs(Math.log(w / ideal)) < Math.abs(Math.log(best / ideal))) best = w;
  return best;
}
