// Keeps the run's time charts on one clock: it finds the ECharts instances in the charts
// grid, connects them (a cursor on one shows on all, zooming one zooms all), reports the
// span a person scrolled or zoomed to, and moves every chart to a span it is given.
import { connect, getInstanceByDom, type EChartsType } from 'echarts/core';
import { TIME_GROUP, placeTimeCursor, showTipAt } from '../charts/chart-kit.js';
import { spanFromZoom, type Span, type ZoomEvent } from './time-window.js';

export class TimeSync {
  private charts = new Set<EChartsType>();
  private applied: Span | null = null;
  private hosts = new Map<EChartsType, HTMLElement>();
  /** The replay cursor, s, or null when there is none. */
  private cursorS: number | null = null;

  constructor(
    private readonly maxS: () => number,
    private readonly onUserSpan: (span: Span) => void,
  ) {
    connect(TIME_GROUP);
  }

  /** Joins the time charts under `root` (cells marked data-time-chart); cheap to call often. */
  scan(root: HTMLElement): void {
    for (const chart of this.charts) if (chart.isDisposed()) this.charts.delete(chart), this.hosts.delete(chart);
    for (const host of root.querySelectorAll<HTMLElement>('[data-time-chart] .echarts-host')) {
      const chart = getInstanceByDom(host) as EChartsType | undefined;
      if (!chart || this.charts.has(chart)) continue;
      chart.group = TIME_GROUP;
      chart.on('datazoom', (event) => {
        const span = spanFromZoom(event as ZoomEvent, this.maxS());
        if (!span || (this.applied && near(span, this.applied))) return;
        this.applied = span;
        this.onUserSpan(span);
      });
      // A redraw or a zoom moves the plot: the cursor line follows.
      chart.on('finished', () => placeTimeCursor(chart, host, this.cursorS));
      this.charts.add(chart);
      this.hosts.set(chart, host);
      if (this.applied) this.dispatch(chart, this.applied);
      placeTimeCursor(chart, host, this.cursorS);
    }
  }

  /** Shows `span` on every chart, silently (no zoom events, so no loops). */
  show(span: Span): void {
    if (this.applied && near(span, this.applied)) return;
    this.applied = span;
    for (const chart of this.charts) if (!chart.isDisposed()) this.dispatch(chart, span);
  }

  private dispatch(chart: EChartsType, span: Span): void {
    chart.dispatchAction({ type: 'dataZoom', startValue: span.startS, endValue: span.endS }, { silent: true });
  }

  /** Draws the replay cursor on every time chart at run time `s` (null removes it). */
  cursor(s: number | null): void {
    this.cursorS = s;
    for (const chart of this.charts) {
      const host = this.hosts.get(chart);
      if (host && !chart.isDisposed()) placeTimeCursor(chart, host, s);
    }
  }

  /**
   * Shows the values at the cursor in a chart's tooltip. One chart: the charts share one
   * pointer as a group, and each chart's own tooltip shows as the pointer passes over it.
   */
  tipAtCursor(): void {
    if (this.cursorS === null) return;
    const chart = [...this.charts].find((c) => !c.isDisposed());
    if (chart) showTipAt(chart, this.cursorS);
  }

  dispose(): void {
    this.charts.clear();
    this.hosts.clear();
  }
}

function near(a: Span, b: Span): boolean {
  return Math.abs(a.startS - b.startS) < 1e-3 && Math.abs(a.endS - b.endS) < 1e-3;
}
