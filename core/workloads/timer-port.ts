// The timers a workload schedules its requests and timeouts with. Real runs use Node's
// timers; a simulation passes its virtual-time scheduler, so the same workload code runs there.
export interface Cancelable {
  cancel(): void;
}

export interface TimerPort {
  after(ms: number, fn: () => void): Cancelable;
  every(ms: number, fn: () => void): Cancelable;
  /** Runs fn after the current step, before anything later in time. */
  soon(fn: () => void): void;
}

export const realTimers: TimerPort = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    return { cancel: () => clearInterval(timer) };
  },
  soon: queueMicrotask,
};
