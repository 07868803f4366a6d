// Loads the messages of the window being viewed from the recording (`runs.messages`), for
// recorded runs and for a paused live view: the run's model holds only a sample. It asks
// for a span three windows wide, so small scrolls need no new request, waits until
// scrolling settles before asking, and keeps only the answer to the latest question.
import type { MessagePoint } from '../../../../../core/api/contract.js';

export type FetchMessages = (runId: number, fromMs: number, toMs: number, limit: number) => Promise<MessagePoint[]>;

export interface LoadedWindow {
  runId: number;
  fromMs: number;
  toMs: number;
  messages: MessagePoint[];
  /** 1 when every message of the span is here; n when the lab sent one in n. */
  stride: number;
}

/** The most the lab sends at once (its limit for runs.messages). */
export const MESSAGES_LIMIT = 10_000;
const SETTLE_MS = 120;
/** A span reaching this close to the live edge is asked again after this long. */
const LIVE_REFRESH_MS = 1000;
/** After a failed request, wait this long before asking again. */
const RETRY_MS = 3000;

export class WindowLoader {
  private loaded: (LoadedWindow & { at: number; openEnded: boolean }) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The span asked for (waiting to settle, or on its way). */
  private wanted: { runId: number; fromMs: number; toMs: number } | null = null;
  private asked = 0;
  private failedAt = -Infinity;
  error: string | null = null;
  loading = false;

  /** `margin`: how many windows' width to load each side of the one viewed (so that small moves need no request). */
  constructor(
    private readonly fetch: FetchMessages,
    private readonly changed: () => void,
    private readonly margin = 1,
  ) {}

  /**
   * The loaded messages if they cover [fromMs, toMs]; otherwise what is loaded (or null),
   * with a request for the right span on its way. `runMs` is how far the run has got.
   */
  view(runId: number, fromMs: number, toMs: number, runMs: number, live: boolean): LoadedWindow | null {
    const have = this.loaded && this.loaded.runId === runId ? this.loaded : null;
    const covers = have !== null && have.fromMs <= fromMs && toMs <= have.toMs;
    const fresh = have !== null && !(live && have.openEnded && performance.now() - have.at > LIVE_REFRESH_MS);
    const w = this.wanted;
    const asked = w !== null && w.runId === runId && w.fromMs <= fromMs && toMs <= w.toMs;
    const resting = performance.now() - this.failedAt < RETRY_MS;
    if ((!covers || !fresh) && !asked && !resting) this.request(runId, fromMs, toMs, runMs);
    return have;
  }

  /**
   * What is loaded, asking for nothing: while a replay cursor is dragged, each window would be
   * stale before it arrived, and its answer (thousands of messages) would stall the drag. A
   * question not yet sent is dropped; the next view() asks again.
   */
  held(runId: number): LoadedWindow | null {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.wanted = null;
    }
    return this.loaded && this.loaded.runId === runId ? this.loaded : null;
  }

  private request(runId: number, fromMs: number, toMs: number, runMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    const extra = (toMs - fromMs) * this.margin;
    const from = Math.max(0, fromMs - extra);
    const to = toMs + extra;
    this.wanted = { runId, fromMs: from, toMs: to };
    this.timer = setTimeout(() => {
      this.timer = null;
      const ticket = ++this.asked;
      this.loading = true;
      this.fetch(runId, from, to, MESSAGES_LIMIT).then(
        (messages) => {
          if (ticket !== this.asked) return;
          this.wanted = null;
          this.loading = false;
          this.error = null;
          const stride = messages.length > 1 ? Math.max(1, messages[1][0] - messages[0][0]) : 1;
          this.loaded = { runId, fromMs: from, toMs: to, messages, stride, at: performance.now(), openEnded: to >= runMs - LIVE_REFRESH_MS };
          this.changed();
        },
        (error: Error) => {
          if (ticket !== this.asked) return;
          this.wanted = null;
          this.loading = false;
          this.failedAt = performance.now();
          this.error = error.message;
          this.changed();
        },
      );
    }, SETTLE_MS);
  }

  forget(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wanted = null;
    this.asked++;
    this.loaded = null;
    this.failedAt = -Infinity;
    this.error = null;
    this.loading = false;
  }
}
