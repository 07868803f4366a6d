// A min-heap of messages in flight, ordered by delivery time and then by arrival,
// so that messages due at the same microsecond keep their order.

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

export class DeliveryQueue {
  private readonly heap: InFlight[] = [];

  get size(): number {
    return this.heap.length;
  }

  peekDueUs(): number {
    return this.heap.length ? this.heap[0].dueUs : Infinity;
  }

  push(item: InFlight): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  pop(): InFlight | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }

  drain(): InFlight[] {
    const all = this.heap.splice(0);
    return all.sort((a, b) => a.dueUs - b.dueUs || a.order - b.order);
  }
}

function before(a: InFlight, b: InFlight): boolean {
  return a.dueUs < b.dueUs || (a.dueUs === b.dueUs && a.order < b.order);
}
