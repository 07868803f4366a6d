// The switch's messages in flight, ordered by delivery time and then by arrival, so that
// messages due at the same microsecond keep their order.
import { MinHeap } from './min-heap.js';

export interface InFlight {
  dueUs: number;
  order: number;
  id: number;
  src: number;
  /** The sender's id, filled in when the message is handed to its destination. */
  srcId?: string;
  dest: number;
  frame: Buffer;
  type: string;
  body: string;
  bytes: number;
  tSendUs: number;
  dupOf: number | null;
  corrupted: boolean;
}

/** Messages in flight, first due first. */
export class DeliveryQueue {
  private readonly heap = new MinHeap<InFlight>(before);

  get size(): number {
    return this.heap.size;
  }

  peekDueUs(): number {
    return this.heap.peek()?.dueUs ?? Infinity;
  }

  push(item: InFlight): void {
    this.heap.push(item);
  }

  pop(): InFlight | undefined {
    return this.heap.pop();
  }

  drain(): InFlight[] {
    return this.heap.drain();
  }
}

function before(a: InFlight, b: InFlight): boolean {
  return a.dueUs < b.dueUs || (a.dueUs === b.dueUs && a.order < b.order);
}
