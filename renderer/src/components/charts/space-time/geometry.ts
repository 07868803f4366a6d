// Where things go on the space-time canvas: one horizontal lane per node, run time to the
// right, a time axis and an overview strip of the whole run underneath.

export interface Layout {
  width: number;
  height: number;
  /** The plot area, in CSS pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  fromMs: number;
  toMs: number;
  lanes: string[];
  laneY: Map<string, number>;
  /** The overview strip of the whole run, under the time axis. */
  overview: { top: number; height: number };
}

export const GUTTER = 52;
const AXIS_H = 22;
const OVERVIEW_H = 14;

export function makeLayout(width: number, height: number, lanes: string[], fromMs: number, toMs: number): Layout {
  const top = 10;
  const overviewTop = height - OVERVIEW_H - 4;
  const bottom = overviewTop - AXIS_H;
  const laneY = new Map<string, number>();
  const gap = lanes.length > 0 ? (bottom - top) / lanes.length : 0;
  lanes.forEach((lane, i) => laneY.set(lane, top + gap * (i + 0.5)));
  return { width, height, left: GUTTER, right: width - 12, top, bottom, fromMs, toMs, lanes, laneY, overview: { top: overviewTop, height: OVERVIEW_H } };
}

export function xOf(layout: Layout, ms: number): number {
  return layout.left + ((ms - layout.fromMs) / (layout.toMs - layout.fromMs)) * (layout.right - layout.left);
}

export function msOf(layout: Layout, x: number): number {
  return layout.fromMs + ((x - layout.left) / (layout.right - layout.left)) * (layout.toMs - layout.fromMs);
}

/** Ms per CSS pixel of the plot. */
export function msPerPx(layout: Layout): number {
  return (layout.toMs - layout.fromMs) / Math.max(1, layout.right - layout.left);
}

/** Tick positions at a step of 1, 2 or 5 × 10^k ms giving about `target` ticks. */
export function timeTicks(fromMs: number, toMs: number, target: number): { step: number; ticks: number[] } {
  const span = Math.max(toMs - fromMs, 1e-6);
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs + 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return { step, ticks };
}

/** A tick label in seconds with as many decimals as the step needs: "4.25 s". */
export function formatTick(ms: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step / 1000) - 1e-9)));
  return `${(ms / 1000).toFixed(decimals)} s`;
}
