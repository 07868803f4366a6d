// Which span of run time the charts show: the newest seconds while following a live run,
// the whole run otherwise, or wherever the person scrolled.

export interface Span {
  startS: number;
  endS: number;
}

/** What ECharts reports when a chart was zoomed or scrolled. */
export interface ZoomEvent {
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
  batch?: ZoomEvent[];
}

/** A zoom event's span: values when it has them, else percentages of [0, maxS]. */
export function spanFromZoom(event: ZoomEvent, maxS: number): Span | null {
  const z = event.batch?.[0] ?? event;
  if (typeof z.startValue === 'number' && typeof z.endValue === 'number') return { startS: z.startValue, endS: z.endValue };
  if (typeof z.start === 'number' && typeof z.end === 'number') return { startS: (z.start / 100) * maxS, endS: (z.end / 100) * maxS };
  return null;
}

export const FOLLOW_SPAN_S = 30;

/** A run's record goes on for a moment after its duration while its nodes are stopped. */
const SHUTDOWN_SLACK_MS = 2000;

/**
 * The axis extent: the planned duration (the few seconds of shutdown after it are left
 * out), or longer if the run really went past it, rounded up to whole seconds (tenths for
 * short runs) so the last label is a round number.
 */
export function axisMaxS(durationMs: number, untilMs: number): number {
  const ms = untilMs <= durationMs + SHUTDOWN_SLACK_MS ? durationMs : untilMs;
  const s = Math.max(ms, 1000) / 1000;
  return s >= 10 ? Math.ceil(s - 1e-9) : Math.ceil(s * 10 - 1e-9) / 10;
}

/** Following: the newest `spanS` seconds, or the whole axis while the run is shorter. */
export function followSpan(untilMs: number, maxS: number, spanS = FOLLOW_SPAN_S): Span {
  if (maxS <= spanS) return { startS: 0, endS: maxS };
  const end = Math.max(untilMs / 1000, spanS);
  return { startS: end - spanS, endS: end };
}

/** Keeps a span inside [0, maxS], keeping its width when it can. */
export function clampSpan(span: Span, maxS: number): Span {
  const width = Math.min(Math.max(span.endS - span.startS, 0.1), maxS);
  const start = Math.min(Math.max(0, span.startS), maxS - width);
  return { startS: start, endS: start + width };
}
