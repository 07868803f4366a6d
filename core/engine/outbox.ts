// A node's inbound queue: messages the switch has handed over but that are not yet written
// to the node's socket or stdin. A message counts as delivered only once the write of its
// batch completed, and the queue holds at most a byte limit, so a node that stops reading
// costs the engine a bounded amount of memory: past the limit, messages overflow.
import type { Writable } from 'node:stream';
import type { InFlight } from './delivery-queue.js';

export type SettleFate = 'written' | 'failed' | 'in-flight-at-end';
/** Reports the outcome of one message; `tUs` is filled in by the switch. */
export type Settle = (message: InFlight, outcome: SettleFate) => void;

interface Batch {
  messages: InFlight[];
  settle: Settle;
  bytes: number;
  /** Set once abandoned: a later write callback must not settle its messages again. */
  settled: boolean;
}

export class Outbox {
  private batch: Batch | null = null;
  /** Batches written to the stream whose write has not completed yet. */
  private readonly writing = new Set<Batch>();
  private writingMessages = 0;

  constructor(
    private readonly stream: Writable,
    private readonly limitBytes: number,
    private readonly encode: (message: InFlight) => Buffer | string,
  ) {}

  /** Messages and bytes held for the node: queued here or in the stream, not yet written. */
  get backlog(): { messages: number; bytes: number } {
    const queued = this.batch;
    return {
      messages: this.writingMessages + (queued?.messages.length ?? 0),
      bytes: this.stream.writableLength + (queued?.bytes ?? 0),
    };
  }

  /** Queues the message for writing; false when the node's queue is full (the message overflows). */
  push(message: InFlight, settle: Settle): boolean {
    const size = message.frame.length;
    const queuedBytes = this.stream.writableLength + (this.batch?.bytes ?? 0);
    // One message always fits in an empty queue, however large.
    if (queuedBytes > 0 && queuedBytes + size > this.limitBytes) return false;
    if (!this.batch) {
      this.batch = { messages: [], settle, bytes: 0, settled: false };
      // Messages handed over in one turn of the event loop leave in one write.
      process.nextTick(() => this.flush());
    }
    this.batch.messages.push(message);
    this.batch.bytes += size;
    return true;
  }

  /**
   * Settles every message not yet written: as in flight when the run's traffic ends, as
   * failed when the node is gone. Later write results for them are ignored.
   */
  settleAll(outcome: Exclude<SettleFate, 'written'>): void {
    const pending = this.batch ? [this.batch, ...this.writing] : [...this.writing];
    this.batch = null;
    this.writing.clear();
    this.writingMessages = 0;
    for (const batch of pending) this.settleBatch(batch, outcome);
  }

  private flush(): void {
    const batch = this.batch;
    if (!batch || batch.settled) return;
    this.batch = null;
    if (this.stream.destroyed || !this.stream.writable) {
      this.settleBatch(batch, 'failed');
      return;
    }
    this.writing.add(batch);
    this.writingMessages += batch.messages.length;
    const stream = this.stream;
    const last = batch.messages.length - 1;
    stream.cork();
    for (let i = 0; i < last; i++) stream.write(this.encode(batch.messages[i]));
    stream.write(this.encode(batch.messages[last]), (error) => this.written(batch, error));
    stream.uncork();
  }

  private written(batch: Batch, error: Error | null | undefined): void {
    if (batch.settled) return;
    this.writing.delete(batch);
    this.writingMessages -= batch.messages.length;
    this.settleBatch(batch, error ? 'failed' : 'written');
  }

  private settleBatch(batch: Batch, outcome: SettleFate): void {
    if (batch.settled) return;
    batch.settled = true;
    for (const message of batch.messages) batch.settle(message, outcome);
  }
}
