// What the sweep chart draws: for a chosen parameter on x and a measurement, one series per
// combination of the other parameters' values, each point the median over the repeats with
// its min and max. Pure, so it is checked without a browser.
import type { ResultOf } from '../../../../core/api/contract.js';

export type SweepDetail = ResultOf<'sweeps.get'>;
export type SweepCombination = SweepDetail['combinations'][number];

export interface SweepPoint {
  /** The parameter's value: its position on a category axis, or the number itself. */
  x: number;
  label: string;
  median: number;
  min: number;
  max: number;
  /** Index into the sweep's combinations: the runs behind the point. */
  combination: number;
  runs: number;
}

export interface SweepSeries {
  /** "" when the sweep has one parameter; else the other parameters' values, e.g. "nodes.count=5". */
  name: string;
  points: SweepPoint[];
}

export interface SweepAxisView {
  numeric: boolean;
  /** Labels in the sweep's order, for a category axis. */
  categories: string[];
}

export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Numbers go on a value axis; anything else (strings, objects, booleans) on categories. */
export function axisView(detail: SweepDetail, path: string): SweepAxisView {
  const values = detail.axes.find((a) => a.path === path)?.values ?? [];
  return { numeric: values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v)), categories: values.map(formatValue) };
}

export function sweepSeries(detail: SweepDetail, path: string, measure: string): SweepSeries[] {
  const view = axisView(detail, path);
  const others = detail.axes.filter((a) => a.path !== path);
  const groups = new Map<string, SweepPoint[]>();
  detail.combinations.forEach((c, index) => {
    const spread = c.measurements[measure];
    if (!spread || !(path in c.values)) return;
    const value = c.values[path];
    const label = formatValue(value);
    const x = view.numeric ? (value as number) : view.categories.indexOf(label);
    const name = others.map((a) => `${a.path}=${formatValue(c.values[a.path])}`).join(' ');
    const points = groups.get(name) ?? [];
    points.push({ x, label, median: spread.median, min: spread.min, max: spread.max, combination: index, runs: c.runs.length });
    groups.set(name, points);
  });
  return [...groups].map(([name, points]) => ({ name, points: points.sort((a, b) => a.x - b.x) }));
}

/** The classic pairs first (detection time against false suspicions, availability against stale reads), else the first measurement alone. */
export function defaultMeasures(detail: SweepDetail): { left: string; right: string | null } {
  const keys = detail.measures.map((m) => m.key);
  if (keys.includes('detectionFirstP50Ms') && keys.includes('falseSuspicions')) return { left: 'detectionFirstP50Ms', right: 'falseSuspicions' };
  // Key-value stores: availability against stale reads, the trade R and W make.
  if (keys.includes('availability') && keys.includes('staleReads')) return { left: 'availability', right: 'staleReads' };
  if (keys.includes('latencyP99Ms') && keys.includes('opsOk')) return { left: 'latencyP99Ms', right: 'opsOk' };
  return { left: keys[0] ?? '', right: null };
}
