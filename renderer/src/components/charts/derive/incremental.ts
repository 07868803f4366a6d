// Following the run model's arrays without rescanning them: they only grow at the end, and
// once capped they also drop items from the front. A FilteredTail keeps the items a chart
// needs (a small share, usually) and looks only at what was appended since the last look.
import { cancelRedraw, requestRedraw } from '../frame-budget.js';

export class FilteredTail<T> {
  /** The kept items, in the order they were appended. */
  readonly items: T[] = [];
  private source: readonly T[] | null = null;
  private first: T | undefined;
  private last: T | undefined;
  private seen = 0;
  private consumed = 0;

  constructor(private readonly keep: (item: T) => boolean) {}

  /** Brings `items` up to date with `source`; true when it had to start over. */
  sync(source: readonly T[]): boolean {
    let from = this.resumeAt(source);
    const restart = from < 0;
    if (restart) {
      this.items.length = 0;
      this.consumed = 0;
      from = 0;
    }
    for (let i = from; i < source.length; i++) if (this.keep(source[i])) this.items.push(source[i]);
    this.consumed += source.length - from;
    this.source = source;
    this.seen = source.length;
    this.first = source[0];
    this.last = source[source.length - 1];
    return restart;
  }

  /** Where the new items start, or -1 to start over. */
  private resumeAt(source: readonly T[]): number {
    if (source !== this.source || source.length === 0 || this.seen === 0) return -1;
    if (source[0] === this.first) return source.length >= this.seen ? this.seen : -1;
    // Trimmed at the front: find the last item seen, near the end. Items that fell off
    // stay kept until so many more have passed that starting over is cheap by comparison.
    if (this.consumed > 2 * source.length) return -1;
    for (let i = source.length - 1; i >= 0; i--) if (source[i] === this.last) return i + 1;
    return -1;
  }
}

/**
 * Keeps an expensive redraw to a share of the time: after a redraw that took `cost` ms the
 * next one waits until cost / share ms have passed (cheap redraws never wait).
 */
export class RedrawBudget {
  private nextAt = 0;

  constructor(private readonly share = 0.2) {}

  /** Ms to wait before redrawing again; 0 to redraw now. */
  waitMs(now: number): number {
    return Math.max(0, this.nextAt - now);
  }

  spent(now: number, cost: number): void {
    this.nextAt = now + cost / this.share - cost;
  }
}

/**
 * A redraw that keeps to its budget: `redraw()` draws in the next frame with room (frame-budget.ts), or, after an expensive draw,
 * once the budget allows (one trailing draw, however many calls came in between).
 */
export function budgetedRedraw(draw: () => void, share = 0.2): { redraw: () => void; dispose: () => void } {
  const budget = new RedrawBudget(share);
  let pending: ReturnType<typeof setTimeout> | null = null;
  const redraw = () => {
    if (pending) return;
    const wait = budget.waitMs(performance.now());
    if (wait > 0) {
      pending = setTimeout(() => {
        pending = null;
        redraw();
      }, wait);
      return;
    }
    requestRedraw(measured);
  };
  const measured = () => {
    const started = performance.now();
    draw();
    const now = performance.now();
    budget.spent(now, now - started);
  };
  return {
    redraw,
    dispose: () => {
      if (pending) clearTimeout(pending);
      pending = null;
      cancelRedraw(measured);
    },
  };
}
