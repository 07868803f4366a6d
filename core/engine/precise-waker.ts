import { Worker } from 'node:worker_threads';
import { compiledModulePath } from './compiled-path.js';

/** Wakes the engine thread at an instant with sub-millisecond precision (a timer worker). */
export class PreciseWaker {
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly target = new Float64Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  private pendingMs = Infinity;

  constructor(private readonly onWake: () => void) {
    this.target[0] = Infinity;
    this.worker = new Worker(compiledModulePath(import.meta.url, './precise-waker-worker.js'), {
      workerData: { control: this.control.buffer, target: this.target.buffer },
    });
    this.worker.on('message', () => {
      this.pendingMs = Infinity;
      this.onWake();
    });
    this.worker.unref();
  }

  /** Asks for a wake-up at a monotonic instant (see monotonicMs); an earlier request is kept. */
  wakeAt(atMonotonicMs: number): void {
    if (atMonotonicMs >= this.pendingMs) return;
    this.pendingMs = atMonotonicMs;
    this.target[0] = atMonotonicMs;
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
  }

  close(): void {
    this.target[0] = -1;
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
    void this.worker.terminate();
  }
}
