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

/**
 * Calls fn once the run clock reaches atMs, never before: Node's timers run on a
 * millisecond clock cached per loop turn and can fire up to a millisecond early.
 */
export function atRunTime(clock: RunClock, atMs: number, fn: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const check = () => {
    timer = null;
    immediate = null;
    const remainingMs = atMs - clock.nowUs() / 1000;
    if (remainingMs <= 0) fn();
    else if (remainingMs > 2) timer = setTimeout(check, remainingMs - 1);
    else immediate = setImmediate(check);
  };
  check();
  return {
    cancel() {
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    },
  };
}
