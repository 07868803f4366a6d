// Reads recorded metrics on a worker thread (see metrics-reader-worker.ts). One worker, started
// when first needed, answers requests in order; it never keeps the process alive by itself.
import { Worker } from 'node:worker_threads';
import { compiledModulePath } from '../engine/compiled-path.js';
import type { MetricPoint } from './contract.js';
import type { MetricsRequest } from './metrics-reader-worker.js';

type Answer = { id: number; metrics: MetricPoint[] } | { id: number; error: string };

export class MetricsReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (m: MetricPoint[]) => void; reject: (e: Error) => void }>();

  read(dbPath: string, runId: number): Promise<MetricPoint[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, dbPath, runId } satisfies MetricsRequest);
    });
  }

  /** Starts the worker now, so that the first read does not wait for it to load. */
  warm(): void {
    this.start();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(compiledModulePath(import.meta.url, './metrics-reader-worker.js'));
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const pending = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in answer) pending?.reject(new Error(answer.error));
      else pending?.resolve(answer.metrics);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const pending of this.waiting.values()) pending.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the metrics reader stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
