// Sleeps on a futex until just before the requested instant, spins the last stretch,
// then wakes the engine thread. Futex timeouts come back ~0.1 ms late, and setTimeout
// is worse; spinning here keeps the engine thread free for the traffic.
import { parentPort, workerData } from 'node:worker_threads';

const control = new Int32Array(workerData.control as SharedArrayBuffer);
const target = new Float64Array(workerData.target as SharedArrayBuffer);
const SPIN_MARGIN_MS = 0.1;

function monotonicMs(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1000 + nanos / 1e6;
}

for (;;) {
  const generation = Atomics.load(control, 0);
  const due = target[0];
  if (due < 0) break;
  if (!Number.isFinite(due)) {
    Atomics.wait(control, 0, generation);
    continue;
  }
  const sleepMs = due - SPIN_MARGIN_MS - monotonicMs();
  if (sleepMs > 0 && Atomics.wait(control, 0, generation, sleepMs) !== 'timed-out') continue;
  let changed = false;
  while (monotonicMs() < due) {
    if (Atomics.load(control, 0) !== generation) {
      changed = true;
      break;
    }
  }
  if (changed) continue;
  // Only fire for the target we waited on; a newer request is handled next turn.
  if (Atomics.compareExchange(control, 0, generation, generation + 1) === generation) {
    target[0] = Infinity;
    parentPort!.postMessage(generation);
  }
}
