// A binary min-heap under a strict order. The switch's messages in flight and the
// simulation's events both come out in (time, sequence) order, equal times in the order
// they went in; each passes its own `before`.

export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The first item, left in place. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && this.before(items[right], items[left]) ? right : left;
      if (!this.before(items[child], last)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }

  /** Every item, first to last; the heap is left empty. */
  drain(): T[] {
    return this.items.splice(0).sort((a, b) => (this.before(a, b) ? -1 : 1));
  }

  /** Every item that passes `keep`, first to last; the heap is unchanged. */
  sorted(keep: (item: T) => boolean = () => true): T[] {
    return this.items.filter(keep).sort((a, b) => (this.before(a, b) ? -1 : 1));
  }
}
