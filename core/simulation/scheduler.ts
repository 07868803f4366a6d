// The simulation's one event queue on virtual time. Events run in (time, sequence) order:
// two events at the same µs run in the order they were scheduled, so a run's order of
// events follows from the seed alone. Nothing here reads a real clock. Each event says
// what it is (a message, a node's timer, something else), so that stepping can list the
// pending events and run a chosen one out of order.
import type { Cancelable, TimerPort } from '../workloads/timer-port.js';
import { MinHeap } from '../engine/min-heap.js';

/** What an event is: stepping lists events by this and picks them by it. */
export type EventTag =
  | { readonly kind: 'message'; readonly id: number }
  | { readonly kind: 'timer'; readonly node: string; readonly name: string }
  | { readonly kind: 'other'; readonly label: string };

/** A scheduled event as its owner and stepping see it. */
export interface PendingEvent extends Cancelable {
  readonly atUs: number;
  readonly seq: number;
  readonly tag: EventTag;
  readonly canceled: boolean;
}

const UNLABELLED: EventTag = { kind: 'other', label: 'event' };

/** One event; it is its own cancel handle, so scheduling allocates one object. */
class Scheduled implements PendingEvent {
  canceled = false;
  constructor(
    readonly atUs: number,
    readonly seq: number,
    readonly fn: () => void,
    readonly tag: EventTag,
  ) {}

  cancel(): void {
    this.canceled = true;
  }
}

export class Scheduler implements TimerPort {
  private time = 0;
  private nextSeq = 0;
  private readonly heap = new MinHeap<Scheduled>(before);
  /** Events run so far, for the bench's events per second. */
  eventsRun = 0;

  /** Virtual µs since the run started. */
  get nowUs(): number {
    return this.time;
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Schedules fn at atUs (never before now). */
  at(atUs: number, fn: () => void, tag: EventTag = UNLABELLED): PendingEvent {
    const item = new Scheduled(Math.max(atUs, this.time), this.nextSeq++, fn, tag);
    this.heap.push(item);
    return item;
  }

  after(ms: number, fn: () => void, tag: EventTag = UNLABELLED): PendingEvent {
    return this.at(this.time + Math.max(0, ms) * 1000, fn, tag);
  }

  every(ms: number, fn: () => void, tag: EventTag = UNLABELLED): Cancelable {
    const periodUs = Math.max(1, ms * 1000);
    let current: Cancelable | null = null;
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      current = this.at(this.time + periodUs, tick, tag);
      fn();
    };
    current = this.at(this.time + periodUs, tick, tag);
    return {
      cancel: () => {
        stopped = true;
        current?.cancel();
      },
    };
  }

  soon(fn: () => void, tag: EventTag = UNLABELLED): void {
    this.at(this.time, fn, tag);
  }

  /** The same scheduler for a party that does not label its events (a workload): they are `other` with this label. */
  labelled(label: string): TimerPort {
    const tag: EventTag = { kind: 'other', label };
    return {
      after: (ms, fn) => this.after(ms, fn, tag),
      every: (ms, fn) => this.every(ms, fn, tag),
      soon: (fn) => this.soon(fn, tag),
    };
  }

  /** Events still to run, in the order they would run. */
  pendingEvents(): PendingEvent[] {
    return this.heap.sorted((item) => !item.canceled);
  }

  /** The event that would run next, or null when none is left. */
  peek(): PendingEvent | null {
    while (this.heap.peek()?.canceled) this.heap.pop();
    return this.heap.peek() ?? null;
  }

  /** Runs the next event in order; null when none was left. */
  runNext(): PendingEvent | null {
    const next = this.peek();
    if (next) this.runEvent(next);
    return next;
  }

  /**
   * Runs one pending event now, out of order. Time never goes backwards: an event due later
   * moves the clock to its due time, one due earlier runs at the current time.
   */
  runEvent(event: PendingEvent): void {
    if (!(event instanceof Scheduled) || event.canceled) throw new Error('that event is no longer pending');
    // Taken out of the queue as a cancel does: the heap drops it when it reaches the top.
    event.canceled = true;
    if (event.atUs > this.time) this.time = event.atUs;
    this.eventsRun++;
    event.fn();
  }

  /**
   * Runs events due by untilUs, at most maxEvents of them, and leaves the clock at untilUs
   * once nothing earlier is left. Returns true when it stopped early (maxEvents, or `stop()`).
   * An exception from an event propagates: the run stops at that event.
   */
  runUntil(untilUs: number, maxEvents = Infinity, stop: () => boolean = () => false): boolean {
    let ran = 0;
    const heap = this.heap;
    for (let next = heap.peek(); next !== undefined && next.atUs <= untilUs; next = heap.peek()) {
      if (ran >= maxEvents || stop()) return true;
      const item = heap.pop()!;
      if (item.canceled) continue;
      this.time = item.atUs;
      ran++;
      this.eventsRun++;
      item.fn();
    }
    if (stop()) return true;
    if (untilUs > this.time) this.time = untilUs;
    return false;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.atUs < b.atUs || (a.atUs === b.atUs && a.seq < b.seq);
}
