// What every time chart shares: the run's time on the x axis in seconds, the theme's
// colours, and the fault timeline drawn as labelled bands so cause and effect line up.
import { onBeforeUnmount, shallowRef, type Ref } from 'vue';
import type { FaultPoint } from '../../../../core/api/contract.js';
import { use, type EChartsType } from 'echarts/core';
import { AriaComponent } from 'echarts/components';
import { networkBands, nodeMarks, placeLabels } from './fault-marks.js';

// Every time chart describes itself in the DOM (see `aria` below).
use([AriaComponent]);

/**
 * A theme colour. Reading computed style forces a style recalculation, which at 20 redraws a
 * second adds up, so values are kept until the theme changes (while a chart watches it).
 */
const cssCache = new Map<string, string>();
export function cssVar(name: string): string {
  const known = cssCache.get(name);
  if (known !== undefined) return known;
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  if (themeObserver) cssCache.set(name, value);
  return value;
}

/** Distinct, readable series colours for nodes n1…, the same on every chart. */
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];
export function nodeColor(node: string): string {
  const n = Number(node.replace(/\D/g, '')) || 0;
  return PALETTE[(n - 1 + PALETTE.length) % PALETTE.length];
}

/**
 * The run time every time chart shows, set by the run view before the charts redraw: the
 * x axis ends at the run's duration on all of them (so they line up and zoom together),
 * and `window` is the span in view (the newest seconds while following a live run, or
 * where the person scrolled). Null fields leave ECharts' defaults.
 */
export interface TimeFrame {
  maxS: number | null;
  window: { startS: number; endS: number } | null;
}
export const timeFrame: TimeFrame = { maxS: null, window: null };

export function setTimeFrame(frame: Partial<TimeFrame>): void {
  Object.assign(timeFrame, frame);
}

/** The ECharts group the run view connects its time charts in (shared cursor and zoom). */
export const TIME_GROUP = 'distlab-run-time';

/** Bumped when the light/dark theme changes, so charts re-read the CSS variables. */
const themeVersion = shallowRef(0);
let themeObserver: MutationObserver | null = null;
let themeUsers = 0;
export function useThemeVersion(): Ref<number> {
  if (themeUsers++ === 0) {
    themeObserver = new MutationObserver(() => {
      cssCache.clear();
      themeVersion.value++;
    });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
  }
  onBeforeUnmount(() => {
    if (--themeUsers === 0) {
      themeObserver?.disconnect();
      themeObserver = null;
      cssCache.clear();
    }
  });
  return themeVersion;
}

/**
 * A grid placed by its margins alone. ECharts 6 otherwise lays every axis out twice on every
 * update (a first pass to estimate whether its labels overflow the chart, `outerBoundsMode:
 * 'auto'`): in a profile of the live view at 10,000 msgs/s that was a third of ECharts' update
 * time, about 5 % of the page's main thread. The margins below leave room for the labels.
 */
export const FIXED_GRID = { outerBoundsMode: 'none' } as const;

/** Base options for a chart with run time (s) on x: no animation, tooltips, zoom. */
/** Room kept right of a title for the card's save corner (⤓), px. */
const SAVE_CORNER_PX = 36;

/** `widthPx`, the card's width: the title then ends in an ellipsis short of the save corner rather than running past it. */
export function timeChartBase(title: string, yName: string, widthPx?: number) {
  const text = cssVar('--text');
  const dim = cssVar('--text-dim');
  const grid = cssVar('--border');
  const view = timeFrame.window;
  return {
    animation: false,
    // ECharts then describes the chart (title, series, data) in the DOM, for screen readers and tests.
    aria: { enabled: true, decal: { show: false } },
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 600, color: text, ...(widthPx && { width: widthPx - SAVE_CORNER_PX, overflow: 'truncate' as const }) } },
    grid: { left: 56, right: 16, top: 36, bottom: 44, ...FIXED_GRID },
    tooltip: { trigger: 'axis', confine: true },
    legend: { top: 4, right: 8, textStyle: { color: dim, fontSize: 11 }, itemWidth: 14, itemHeight: 8 },
    xAxis: {
      type: 'value',
      name: 'run time (s)',
      nameLocation: 'middle',
      nameGap: 26,
      min: 0,
      ...(timeFrame.maxS !== null && { max: timeFrame.maxS }),
      // The ends of the axis may fall between ticks (22.84 s): only round values are labelled,
      // and the run's end only when it is a multiple of 5 s, else "15 16" would crowd together.
      axisLabel: { color: dim, hideOverlap: true, formatter: (s: number) => (isRoundTime(s) && (s !== timeFrame.maxS || s % 5 === 0) ? String(Math.round(s * 10) / 10) : '') },
      nameTextStyle: { color: dim },
      splitLine: { lineStyle: { color: grid } },
    },
    yAxis: { type: 'value', name: yName, nameTextStyle: { color: dim, align: 'left' }, axisLabel: { color: dim }, splitLine: { lineStyle: { color: grid } } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, ...(view && { startValue: view.startS, endValue: view.endS }) }],
  };
}

/**
 * An ECharts markArea (put it on any one series) for the faults (fault-marks.ts): network
 * faults shade a band, node faults draw a thin marker; labels at their times, never on top
 * of each other. `plotWidthPx` is roughly how wide the plot is, to know what overlaps.
 */
export function faultMarkArea(faults: FaultPoint[], untilMs: number, plotWidthPx = 560, withLabels = true) {
  const partition = cssVar('--fault-band-partition');
  const node = cssVar('--fault-band');
  const marker = cssVar('--crashed');
  const dim = cssVar('--text-dim');
  const bands = networkBands(faults, untilMs);
  const marks = nodeMarks(faults);
  const view = timeFrame.window;
  const spanS = view ? view.endS - view.startS : (timeFrame.maxS ?? untilMs / 1000);
  const labels = placeLabels([...bands.map((b) => ({ s: b.fromS, text: b.label })), ...marks.map((m) => ({ s: m.s, text: m.label }))], plotWidthPx / Math.max(0.001, spanS));
  const labelAt = (s: number, text: string) => {
    const placed = labels.find((l) => l.s === s && l.text.startsWith(text));
    return placed && withLabels ? { show: true, formatter: placed.text, position: 'insideTopLeft', offset: [2, placed.row * 11] } : { show: false };
  };
  // A marker is an area a hair wide whose border is the line: its label then reads horizontally.
  const hair = Math.max(0.002, spanS / 2000);
  return {
    silent: true,
    label: { color: dim, fontSize: 10 },
    data: [
      ...bands.map((b) => [
        { xAxis: b.fromS, name: b.label, itemStyle: { color: b.label.startsWith('partition') || b.label.startsWith('cut') ? partition : node }, label: labelAt(b.fromS, b.label) },
        { xAxis: Math.max(b.toS, b.fromS + 0.01) },
      ]),
      ...marks.map((m) => [
        { xAxis: m.s, name: m.label, itemStyle: { color: 'transparent', borderColor: m.down ? marker : dim, borderWidth: 1, borderType: m.down ? 'solid' : 'dashed' }, label: labelAt(m.s, m.label) },
        { xAxis: m.s + hair },
      ]),
    ],
  };
}

/** The faults in force at `s` (bands) or within half a pixel-ish of it (markers), for tooltips. */
export function faultsAtText(faults: FaultPoint[], untilMs: number, s: number): string {
  const near = Math.max(0.05, ((timeFrame.maxS ?? untilMs / 1000) / 560) * 4);
  const lines = [
    ...networkBands(faults, untilMs).filter((b) => b.fromS <= s && s < b.toS).map((b) => `${b.label} (${b.source}, from ${b.fromS.toFixed(2)} s)`),
    ...nodeMarks(faults).filter((m) => Math.abs(m.s - s) <= near).map((m) => `${m.label} (${m.source}, at ${m.s.toFixed(2)} s)`),
  ];
  return lines.length ? `<div style="margin-top:4px;color:${cssVar('--text-dim')}">${lines.map(escapeText).join('<br>')}</div>` : '';
}

interface AxisParam {
  marker?: string;
  seriesName?: string;
  value?: unknown;
  axisValue?: unknown;
}

/**
 * An axis tooltip as ECharts draws one (the time, then each series' value), followed by the
 * faults in force at that time, so that hovering a band or a marker names it and its source.
 */
export function axisTooltip(faults: () => FaultPoint[], untilMs: () => number, format: (v: number) => string = (v) => String(Math.round(v * 100) / 100)) {
  return (params: AxisParam[] | AxisParam) => {
    const list = Array.isArray(params) ? params : [params];
    const s = Number(list[0]?.axisValue ?? 0);
    const rows = list
      .map((p) => {
        const v = Array.isArray(p.value) ? p.value[1] : p.value;
        return typeof v === 'number' ? `${p.marker ?? ''} ${escapeText(p.seriesName ?? '')}: <b>${escapeText(format(v))}</b>` : null;
      })
      .filter((r): r is string => r !== null);
    return `at ${s.toFixed(2)} s${rows.length ? `<br>${rows.join('<br>')}` : ''}${faultsAtText(faults(), untilMs(), s)}`;
  };
}

function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** A tenth of a second exactly, as an axis tick is (22.84 s, an axis end, is not). */
function isRoundTime(s: number): boolean {
  return Math.abs(s * 10 - Math.round(s * 10)) < 1e-6;
}

/** The plot area of a chart's first grid, in its pixels (ECharts keeps it on the grid's coordinate system). */
function plotRect(chart: EChartsType): { x: number; y: number; width: number; height: number } | null {
  const model = (chart as unknown as { getModel?: () => { getComponent: (kind: string, i: number) => { coordinateSystem?: { getRect: () => { x: number; y: number; width: number; height: number } } } | undefined } }).getModel?.();
  return model?.getComponent('grid', 0)?.coordinateSystem?.getRect() ?? null;
}

const cursorLines = new WeakMap<HTMLElement, HTMLDivElement>();

/**
 * The replay cursor on a time chart: a line over its plot at run time `s` (hidden for null or
 * outside the span in view). Placed in pixels beside the canvas, so moving it costs no redraw.
 */
export function placeTimeCursor(chart: EChartsType, host: HTMLElement, s: number | null): void {
  let line = cursorLines.get(host);
  if (s === null) {
    if (line) line.style.display = 'none';
    return;
  }
  const rect = plotRect(chart);
  const x = rect ? (chart.convertToPixel({ xAxisIndex: 0 }, s) as number) : NaN;
  if (!rect || !Number.isFinite(x) || x < rect.x - 0.5 || x > rect.x + rect.width + 0.5) {
    if (line) line.style.display = 'none';
    return;
  }
  if (!line) {
    line = document.createElement('div');
    line.className = 'time-cursor';
    line.dataset.testid = 'time-cursor';
    line.setAttribute('aria-hidden', 'true');
    Object.assign(line.style, { position: 'absolute', width: '0', borderLeft: '2px solid var(--text)', opacity: '0.75', pointerEvents: 'none', zIndex: '2' });
    host.parentElement?.appendChild(line);
    cursorLines.set(host, line);
  }
  const offsetTop = host.offsetTop;
  const offsetLeft = host.offsetLeft;
  line.style.display = 'block';
  line.style.left = `${offsetLeft + x - 1}px`;
  line.style.top = `${offsetTop + rect.y}px`;
  line.style.height = `${rect.height}px`;
  line.dataset.s = String(s);
}

/** Shows the chart's tooltip (and, through the chart group, every time chart's) at run time `s`. */
export function showTipAt(chart: EChartsType, s: number): void {
  const rect = plotRect(chart);
  const x = chart.convertToPixel({ xAxisIndex: 0 }, s) as number;
  if (!rect || !Number.isFinite(x) || x < rect.x || x > rect.x + rect.width) return;
  chart.dispatchAction({ type: 'showTip', x, y: rect.y + rect.height / 2 });
}
