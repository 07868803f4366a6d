// Who judges a hunt's seeds: this thread (one at a time), or K worker threads, each with its
// own scratch database. Either way each seed's verdict depends on the seed alone.
import { Worker } from 'node:worker_threads';
import type { Experiment } from '../../experiment/types.js';
import type { Program } from '../../sdk/protocol.js';
import { compiledModulePath } from '../../engine/compiled-path.js';
import { ScratchStore } from '../simulate-seed.js';
import { judgeSeed, type SeedVerdict } from './seed-verdict.js';

export interface JudgeRequest {
  id: number;
  experiment: Experiment;
  seed: number;
}

export type JudgeReply = { id: number; verdict: SeedVerdict } | { id: number; error: string };

export interface Judges {
  /** How many seeds can be judged at once. */
  readonly size: number;
  judge(experiment: Experiment, seed: number): Promise<SeedVerdict>;
  /** Ends the workers; a seed still being judged is rejected. */
  close(): Promise<void>;
}

/** Judges in this thread; a test may give its own programs. */
export class InlineJudges implements Judges {
  readonly size = 1;
  private readonly scratch = new ScratchStore();

  constructor(private readonly load?: (name: string) => Promise<Program> | undefined) {}

  judge(experiment: Experiment, seed: number): Promise<SeedVerdict> {
    return judgeSeed(experiment, seed, this.scratch, this.load);
  }

  async close(): Promise<void> {
    this.scratch.close();
  }
}

interface Waiting {
  resolve(verdict: SeedVerdict): void;
  reject(error: Error): void;
}

/** K worker threads; a seed goes to the first idle one. */
export class WorkerJudges implements Judges {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Array<() => void> = [];
  private readonly waiting = new Map<number, Waiting>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.startWorker());
  }

  judge(experiment: Experiment, seed: number): Promise<SeedVerdict> {
    if (this.closed) return Promise.reject(new Error('the hunt has ended'));
    return new Promise((resolve, reject) => {
      const send = () => {
        const worker = this.idle.pop()!;
        const id = this.nextId++;
        this.waiting.set(id, { resolve, reject });
        this.busy.set(worker, id);
        worker.postMessage({ id, experiment, seed } satisfies JudgeRequest);
      };
      if (this.idle.length > 0) send();
      else this.queue.push(send);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const ending = this.all.map((worker) => worker.terminate());
    for (const waiting of this.waiting.values()) waiting.reject(new Error('the hunt has ended'));
    this.waiting.clear();
    await Promise.all(ending);
  }

  private startWorker(): Worker {
    const worker = new Worker(compiledModulePath(import.meta.url, './hunt-worker.js'));
    this.all.push(worker);
    worker.on('message', (reply: JudgeReply) => {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      this.busy.delete(worker);
      this.idle.push(worker);
      this.queue.shift()?.();
      if (!waiting) return;
      if ('verdict' in reply) waiting.resolve(reply.verdict);
      else waiting.reject(new Error(reply.error));
    });
    // A worker that dies fails the seed it held; the hunt reports it and stops.
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(worker, new Error(`a hunt worker exited with code ${code}`));
    });
    return worker;
  }

  /** A worker that dies leaves the pool short: fail everything, and the hunt reports it. */
  private fail(worker: Worker, error: Error): void {
    if (this.closed) return;
    this.busy.delete(worker);
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
    void this.close();
  }
}

/** One thread for one seed at a time; workers for more (or when the caller's thread must stay free). */
export function createJudges(parallel: number, options: { inThread?: boolean; load?: (name: string) => Promise<Program> | undefined } = {}): Judges {
  if (options.load || (parallel === 1 && options.inThread)) return new InlineJudges(options.load);
  return new WorkerJudges(parallel);
}
