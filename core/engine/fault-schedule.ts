// Plays a run's fault schedule on the run clock: each fault at its time, and faults due at
// the same time in the order the file lists them. One timer at a time, for the next due.
import { atRunTime, type RunClock } from './run-clock.js';

export interface Scheduled {
  atMs: number;
  fire(): void;
}

export function playSchedule(clock: RunClock, items: readonly Scheduled[]): { cancel(): void } {
  // Array.prototype.sort is stable: equal times keep the file's order.
  const queue = [...items].sort((a, b) => a.atMs - b.atMs);
  let next = 0;
  let pending: { cancel(): void } | null = null;
  const armNext = () => {
    pending = next < queue.length ? atRunTime(clock, queue[next].atMs, fireDue) : null;
  };
  const fireDue = () => {
    const nowMs = clock.nowUs() / 1000;
    // Everything due by now goes in order, so a late wake-up cannot reorder faults.
    while (next < queue.length && queue[next].atMs <= nowMs) queue[next++].fire();
    armNext();
  };
  armNext();
  return {
    cancel() {
      pending?.cancel();
      next = queue.length;
    },
  };
}
