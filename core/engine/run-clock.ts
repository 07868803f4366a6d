// The run's time base: microseconds since the run started, on the monotonic clock that
// every thread of this process shares.
export function monotonicMs(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1000 + nanos / 1e6;
}

export class RunClock {
  private readonly originMs = monotonicMs();
  /** Wall-clock (epoch ms) reading taken at the origin, to place nodes' timestamps. */
  readonly epochOriginMs = performance.timeOrigin + performance.now();

  nowUs(): number {
    return Math.round((monotonicMs() - this.originMs) * 1000);
  }

  /** The monotonic instant (ms) of a run time. */
  monotonicMsAt(us: number): number {
    return this.originMs + us / 1000;
  }

  /** Converts a wall-clock instant (epoch ms, as nodes report it) to run time. */
  fromEpochMs(epochMs: number): number {
    return Math.round((epochMs - this.epochOriginMs) * 1000);
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
