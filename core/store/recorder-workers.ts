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

/** Takes back a worker whose recording closed cleanly (its database closed, no listeners left). */
export function returnRecorderWorker(worker: Worker): void {
  if (idle.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.unref();
  // A worker that ends while idle (its lifetime over, or a crash) leaves the pool.
  const forget = () => {
    const at = idle.findIndex((entry) => entry.worker === worker);
    if (at >= 0) clearTimeout(idle.splice(at, 1)[0].expiry);
  };
  worker.once('exit', forget);
  const expiry = setTimeout(() => void worker.terminate(), IDLE_LIFETIME_MS);
  expiry.unref();
  idle.push({ worker, expiry, forget });
}
