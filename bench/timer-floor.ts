// The floor under the switch's delivery lateness: how late this machine wakes a thread that
// sleeps until an instant, with no switch at all. Two mechanisms, each over a stream of due
// times as dense as the delivery-timing run's (4 ping nodes: about 2,400 deliveries a second):
//  - the switch's own, core/engine/precise-waker.ts (a worker sleeping on a futex, spinning the
//    last 0.1 ms, then waking this thread with a message), here with nothing else to do;
//  - a plain setTimeout loop (millisecond timers, as a Node program would sleep).
// Both are also measured while the same 4 ping nodes run over direct loopback TCP, so that the
// floor sees the same processes competing for the cores as the switch did (niced as the
// engine nices its nodes).
import { PreciseWaker } from '../core/engine/precise-waker.js';
import { monotonicMs } from '../core/engine/run-clock.js';
import { createRng } from '../core/engine/prng.js';
import { runDirect } from './direct.js';
import { sortedQuantile } from './support.js';

export interface Lateness {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

function summarize(latenessUs: number[]): Lateness {
  const sorted = Float64Array.from(latenessUs).sort();
  return { count: sorted.length, p50: Math.round(sortedQuantile(sorted, 0.5)), p99: Math.round(sortedQuantile(sorted, 0.99)), max: Math.round(sorted[sorted.length - 1] ?? 0) };
}

/** Due times with exponential gaps (mean `meanGapMs`), each woken by the PreciseWaker; lateness of each, µs. */
export function wakerLateness(durationMs: number, meanGapMs = 0.42): Promise<Lateness> {
  const rng = createRng(5, 'timer-floor');
  const start = monotonicMs() + 20;
  const due: number[] = [];
  for (let t = start; t < start + durationMs; t += -Math.log(1 - rng.next()) * meanGapMs) due.push(t);
  const late: number[] = [];
  let next = 0;
  // The waker's worker does not keep the process alive (the engine's run does): this does.
  const keepAlive = setInterval(() => {}, 1000);
  return new Promise((resolve) => {
    const waker = new PreciseWaker(() => {
      const now = monotonicMs();
      while (next < due.length && due[next] <= now) late.push((now - due[next++]) * 1000);
      if (next < due.length) waker.wakeAt(due[next]);
      else {
        waker.close();
        clearInterval(keepAlive);
        resolve(summarize(late));
      }
    });
    waker.wakeAt(due[0]);
  });
}

/** setTimeout to each due time in turn (whole milliseconds, as Node's timers are); lateness of each, µs. */
export function setTimeoutLateness(durationMs: number, meanGapMs = 0.42): Promise<Lateness> {
  const rng = createRng(6, 'timer-floor');
  const late: number[] = [];
  const end = monotonicMs() + durationMs;
  return new Promise((resolve) => {
    const arm = () => {
      const delayMs = Math.max(1, Math.round(-Math.log(1 - rng.next()) * meanGapMs * 4));
      const dueMs = monotonicMs() + delayMs;
      setTimeout(() => {
        const now = monotonicMs();
        late.push((now - dueMs) * 1000);
        if (now < end) arm();
        else resolve(summarize(late));
      }, delayMs);
    };
    arm();
  });
}

export interface TimerFloor {
  idle: { waker: Lateness; setTimeout: Lateness };
  underLoad: { waker: Lateness; setTimeout: Lateness };
}

/** Each mechanism for `ms` on an idle engine, then again while 4 ping nodes (interval 10 ms) run over direct TCP. */
export async function timerFloor(ms = 3000): Promise<TimerFloor> {
  const idle = { waker: await wakerLateness(ms), setTimeout: await setTimeoutLateness(ms) };
  let underLoad: TimerFloor['underLoad'] | null = null;
  const measuring = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the nodes start and ping
    underLoad = { waker: await wakerLateness(ms), setTimeout: await setTimeoutLateness(ms) };
  })();
  // Niced by 5, as the engine's node-process.ts nices the nodes it starts.
  await runDirect('ping', 4, { interval: 10 }, () => underLoad !== null, 2 * ms + 20_000, 5);
  await measuring;
  return { idle, underLoad: underLoad! };
}
