import { describe, it, expect } from 'vitest';
import { realtimeEdges, type Timed } from '../../core/checks/elle/realtime.js';
import { createRng } from '../../core/engine/prng.js';

describe('realtimeEdges', () => {
  it('gives a path from a to b exactly when a completed before b was invoked, with few edges', () => {
    const rng = createRng(3, 'elle-realtime');
    for (let round = 0; round < 20; round++) {
      const items: Timed[] = Array.from({ length: 60 }, () => {
        const invokeUs = rng.int(1000);
        return { invokeUs, completeUs: rng.next() < 0.1 ? null : invokeUs + rng.int(100) };
      });
      const next = items.map(() => [] as number[]);
      let edges = 0;
      realtimeEdges(items, (a, b) => {
        next[a].push(b);
        edges++;
      });
      const reach = (from: number) => {
        const seen = new Set<number>();
        const todo = [...next[from]];
        while (todo.length) {
          const v = todo.pop() as number;
          if (seen.has(v)) continue;
          seen.add(v);
          todo.push(...next[v]);
        }
        return seen;
      };
      const wrong: string[] = [];
      items.forEach((a, i) => {
        const reached = reach(i);
        items.forEach((b, j) => {
          if (reached.has(j) !== (a.completeUs !== null && a.completeUs < b.invokeUs)) wrong.push(`${i} → ${j}`);
        });
      });
      expect(wrong).toEqual([]);
      expect(edges).toBeLessThan(items.length * 20);
    }
  });
});
