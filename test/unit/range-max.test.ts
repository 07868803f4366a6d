import { describe, expect, it } from 'vitest';
import { lowerBound, RangeMax } from '../../core/checks/range-max.js';
import { createRng } from '../../core/engine/prng.js';

describe('RangeMax', () => {
  it('agrees with a linear scan on every range of random arrays', () => {
    const rng = createRng(7, 'range-max');
    for (let n = 0; n <= 40; n++) {
      const values = Array.from({ length: n }, () => Math.floor(rng.next() * 100) - 20);
      const ranges = new RangeMax(values);
      for (let lo = 0; lo < n; lo++) {
        for (let hi = lo; hi < n; hi++) expect(ranges.max(lo, hi)).toBe(Math.max(...values.slice(lo, hi + 1)));
      }
      expect(ranges.max(3, 2)).toBe(-Infinity);
    }
  });

  it('lowerBound finds the first key at or above the target', () => {
    const keys = [1, 3, 3, 5, 9];
    const at = (target: number) => lowerBound(keys.length, (i) => keys[i], target);
    expect([at(0), at(1), at(2), at(3), at(4), at(9), at(10), at(Infinity)]).toEqual([0, 0, 1, 1, 3, 4, 5, 5]);
  });
});
