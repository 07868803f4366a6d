// Recorder worker threads, kept warm between runs: a thread takes about 0.1 s to boot and load
// SQLite, and its insert loop is compiled afresh in each new thread. A recorder that closed
// cleanly hands its worker back here; the next recorder in this process takes it. An idle
// worker does not keep the process alive, and ends after a while unused.

import { Worker } from 'node:worker_threads';
import { compiledModulePath } from '../engine/compiled-path.js';

/** At most this many idle workers are kept: one run records at a time in most processes. */
const MAX_IDLE = 2;
const IDLE_LIFETIME_MS = 60_000;

const idle: Array<{ worker: Worker; expiry: NodeJS.Timeout; forget: () => void }> = [];

/** A worker for one recording: a warm idle one, or a new thread. */
export function takeRecorderWorker(): Worker {
  const kept = idle.pop();
  if (kept) {
    clearTimeout(kept.expiry);
    kept.worker.off('exit', kept.forget);
    kept.worker.ref();
    return kept.worker;
  }
  // Under vitest this module is the .ts source: the worker then comes from dist/ (npm test builds it).
  return new Worker(compiledModulePath(import.meta.url, './recorder-worker.js'));
}

/**
 * Takes back a worker whose recording closed cleanly (its run committed, no listeners left).
 * It still copies the run's WAL into the database file and then says 'idle'; until then it
 * keeps the process alive, so that exiting right after a run cannot cut that copy short.
 */
export function returnRecorderWorker(worker: Worker): void {
  const onceIdle = (then: () => void) => {
    const listener = (msg: { type?: string } | null) => {
      if (msg?.type !== 'idle') return;
      worker.off('message', listener);
      then();
    };
    worker.on('message', listener);
  };
  if (idle.length >= MAX_IDLE) {
    onceIdle(() => void worker.terminate());
    return;
  }
  // A worker that ends while idle (its lifetime over, or a crash) leaves the pool.
  const forget = () => {
    const at = idle.findIndex((entry) => entry.worker === worker);
    if (at >= 0) clearTimeout(idle.splice(at, 1)[0].expiry);
  };
  worker.once('exit', forget);
  const expiry = setTimeout(() => void worker.terminate(), IDLE_LIFETIME_MS);
  expiry.unref();
  const entry = { worker, expiry, forget };
  idle.push(entry);
  // Taken again before it was idle, it stays referenced for its new recording.
  onceIdle(() => {
    if (idle.includes(entry)) worker.unref();
  });
}
