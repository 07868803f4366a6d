// Rate limit for lines a node should not print: the first few are let through one by one,
// then the rest are only counted, and reported once a second, so that a node flooding its
// output with junk costs a few rows a second instead of one per line.
export const LINES_LET_THROUGH = 10;
const REPORT_EVERY_MS = 1000;

export class LineLimiter {
  private admitted = 0;
  private suppressed = 0;
  private timer: NodeJS.Timeout | null = null;
  private windowStartMs = 0;

  constructor(
    private readonly report: (count: number, seconds: number) => void,
    private readonly letThrough = LINES_LET_THROUGH,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this line should be recorded in full. */
  admit(): boolean {
    if (this.admitted < this.letThrough) {
      this.admitted++;
      return true;
    }
    if (this.suppressed++ === 0 && !this.timer) {
      this.windowStartMs = this.now();
      this.timer = setInterval(() => this.flush(), REPORT_EVERY_MS);
      this.timer.unref();
    }
    return false;
  }

  /** Reports what was counted and stops the timer; call when the run ends. */
  close(): void {
    this.flush();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private flush(): void {
    if (this.suppressed === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const seconds = Math.max(1, Math.round((this.now() - this.windowStartMs) / 1000));
    this.report(this.suppressed, seconds);
    this.suppressed = 0;
    this.windowStartMs = this.now();
  }
}
