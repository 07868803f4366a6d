// The compare view's chart data: each run's series shifted by its alignment offset and put
// in seconds, ready for OverlayChart. Pure functions, so they are tested without a browser.
import type { CompareData } from '../../../../core/api/compare-data.js';
import type { Point, RunSeries } from '../../../../core/analysis/compare-series.js';
import { scaleForProgram } from '../charts/derive/suspicion.js';
import { SIDE_BUCKET_MS } from '../../../../core/analysis/partition-sides.js';
import type { OverlaySeries } from './OverlayChart.vue';
import { runColor } from './run-colors.js';

/**
 * A run in a chart's legend: its id and what sets it apart ("#12 heartbeatInterval 20"); its
 * name when nothing but the program does, and the program only when the programs differ.
 */
export function runName(data: CompareData, i: number): string {
  const programs = new Set(data.runs.map((r) => String(r.label.program)));
  const parts = Object.entries(data.runs[i].label)
    .filter(([key]) => key !== 'program' || programs.size > 1)
    .map(([key, value]) => (key === 'program' ? String(value) : `${key.replace(/^params\./, '')} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`));
  return `#${data.info[i].runId} ${parts.length ? parts.join(', ') : data.info[i].name}`;
}

const shift = (points: Point[], offsetMs: number): Array<[number, number]> => points.map(([ms, v]) => [(ms - offsetMs) / 1000, v]);

function perRun(data: CompareData, pick: (s: RunSeries) => Point[] | null | undefined, offsets: number[], extra: Partial<OverlaySeries> = {}): OverlaySeries[] {
  return data.series.flatMap((s, i) => {
    const points = pick(s);
    return points && points.length ? [{ name: runName(data, i), color: runColor(i), data: shift(points, offsets[i]), ...extra }] : [];
  });
}

export function latencySeries(data: CompareData, offsets: number[]): OverlaySeries[] {
  return [...perRun(data, (s) => s.latency?.p99, offsets), ...perRun(data, (s) => s.latency?.p50, offsets, { dashed: true })];
}

export function cdfSeries(data: CompareData): OverlaySeries[] {
  return data.series.flatMap((s, i) => (s.latency ? [{ name: runName(data, i), color: runColor(i), data: s.latency.cdf.map(([ms, q]) => [ms, q] as [number, number]) }] : []));
}

export type ThroughputKind = 'ops' | 'messages';
export function throughputSeries(data: CompareData, offsets: number[], kind: ThroughputKind): OverlaySeries[] {
  return perRun(data, (s) => s.throughput[kind], offsets);
}

/** Every monitored pair any run has, `observer>peer`, in node order. */
export function suspicionPairs(data: CompareData): string[] {
  const collator = new Intl.Collator('en', { numeric: true });
  return [...new Set(data.series.flatMap((s) => Object.keys(s.suspicion)))].sort(collator.compare);
}

export function suspicionSeries(data: CompareData, offsets: number[], pair: string): OverlaySeries[] {
  return perRun(data, (s) => s.suspicion[pair], offsets);
}

/** The detector's threshold per run (phi's parameter, a timeout's 1, …); one line when they agree. */
export function suspicionLevels(data: CompareData, sharedColor: string): { levels: Array<{ y: number; label: string; color: string }>; unit: string; yMax: number | undefined } {
  const scales = data.info.map((info) => scaleForProgram(info.program, typeof info.params.threshold === 'number' ? info.params.threshold : undefined));
  const known = scales.flatMap((s, i) => (s ? [{ s, i }] : []));
  if (!known.length) return { levels: [], unit: 'suspicion', yMax: undefined };
  const same = known.every(({ s }) => s.threshold === known[0].s.threshold);
  const levels = same
    ? [{ y: known[0].s.threshold, label: known[0].s.thresholdLabel, color: sharedColor }]
    : known.map(({ s, i }) => ({ y: s.threshold, label: `#${data.info[i].runId} ${s.thresholdLabel}`, color: runColor(i) }));
  return { levels, unit: known[0].s.unit, yMax: Math.max(...known.map(({ s }) => s.ceiling)) };
}

export function lagSeries(data: CompareData, offsets: number[], unit: 'entries' | 'ms'): OverlaySeries[] {
  return perRun(data, (s) => s.lag?.[unit], offsets);
}

/** The term as a step line per run, and each new leader as a labelled point on it. */
export function leadershipSeries(data: CompareData, offsets: number[]): OverlaySeries[] {
  return data.series.flatMap((s, i) => {
    if (!s.leadership || !s.leadership.terms.length) return [];
    const end = s.durationMs;
    const terms = shift([...s.leadership.terms, [end, s.leadership.terms[s.leadership.terms.length - 1][1]]], offsets[i]);
    const points = s.leadership.leaders.map(([ms, leader, term]) => [(ms - offsets[i]) / 1000, term, leader] as [number, number, string]);
    return [{ name: runName(data, i), color: runColor(i), data: terms, step: true, points }];
  });
}

/**
 * The share of operations that succeed per second: solid for the whole cluster and, while it
 * is partitioned, its majority side; dashed for the minority side.
 */
export function sideSeries(data: CompareData, offsets: number[]): OverlaySeries[] {
  const majority = perRun(data, (s) => (s.sides ? closed(s.sides.notMinority) : null), offsets, { step: true });
  const minority = perRun(data, (s) => (s.sides ? closed(s.sides.minority) : null), offsets, { dashed: true, step: true });
  return [...majority, ...minority];
}

/** Each point holds for its second; a closing point at the end of the last one draws it whole. */
function closed(points: Point[]): Point[] {
  if (!points.length) return points;
  const [t, value] = points[points.length - 1];
  return [...points, [t + SIDE_BUCKET_MS, value]];
}
