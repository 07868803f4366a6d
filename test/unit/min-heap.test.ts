import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../core/engine/min-heap.js';
import { createRng } from '../../core/engine/prng.js';

interface Item { due: number; order: number }
const before = (a: Item, b: Item) => a.due < b.due || (a.due === b.due && a.order < b.order);
const byDueThenOrder = (a: Item, b: Item) => a.due - b.due || a.order - b.order;

describe('MinHeap', () => {
  it('pops in (due, order) order through interleaved pushes and pops, ties in the order pushed', () => {
    const rng = createRng(7, 'heap');
    const heap = new MinHeap<Item>(before);
    const model: Item[] = [];
    let order = 0;
    for (let step = 0; step < 5000; step++) {
      if (model.length === 0 || rng.next() < 0.55) {
        const item = { due: rng.int(50), order: order++ };
        heap.push(item);
        model.push(item);
      } else {
        model.sort(byDueThenOrder);
        expect(heap.peek()).toBe(model[0]);
        expect(heap.pop()).toBe(model.shift());
      }
      expect(heap.size).toBe(model.length);
    }
    expect(heap.sorted((item) => item.due % 2 === 0)).toEqual(model.filter((item) => item.due % 2 === 0).sort(byDueThenOrder));
    expect(heap.size).toBe(model.length);
    expect(heap.drain()).toEqual(model.sort(byDueThenOrder));
    expect(heap.size).toBe(0);
    expect(heap.pop()).toBeUndefined();
  });
});
