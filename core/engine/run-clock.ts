// The run's time base: microseconds since the run started.
export class RunClock {
  private readonly originMs = performance.now();

  nowUs(): number {
    return Math.round((performance.now() - this.originMs) * 1000);
  }

  /** Converts a wall-clock instant (epoch ms, as nodes report it) to run time. */
  fromEpochMs(epochMs: number): number {
    return Math.round((epochMs - performance.timeOrigin - this.originMs) * 1000);
  }

  /** Epoch ms of time zero. */
  get epochOriginMs(): number {
    return performance.timeOrigin + this.originMs;
  }
}
