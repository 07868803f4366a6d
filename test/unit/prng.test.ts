import { describe, it, expect } from 'vitest';
import { createRng, type Rng } from '../../core/engine/prng.js';

// Tolerances: with n draws of variance σ², a sample mean has sd σ/√n; every bound below
// is about 5 of those sds, so a fixed seed passing here is not a lucky draw. Chi-square
// bounds are the p = 0.001 critical values for the stated degrees of freedom.

function draws(rng: Rng, n: number, draw: (rng: Rng) => number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = draw(rng);
  return out;
}

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

function minOf(xs: readonly number[]): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) if (x < m) m = x;
  return m;
}

function maxOf(xs: readonly number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function sd(xs: readonly number[]): number {
  const m = mean(xs);
  let sum = 0;
  for (const x of xs) sum += (x - m) * (x - m);
  return Math.sqrt(sum / (xs.length - 1));
}

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function chiSquare(counts: readonly number[], expectedEach: number): number {
  let chi = 0;
  for (const c of counts) chi += (c - expectedEach) ** 2 / expectedEach;
  return chi;
}

describe('createRng', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    const mixed = (rng: Rng) => [rng.next(), rng.int(1000), rng.normal(), rng.exponential(2)];
    const a = createRng(42, 'link:n1->n2');
    const b = createRng(42, 'link:n1->n2');
    for (let i = 0; i < 1000; i++) expect(mixed(a)).toEqual(mixed(b));
  });

  it('gives different sequences for different streams and seeds', () => {
    const first = (seed: number, stream: string) => draws(createRng(seed, stream), 20, (r) => r.next());
    const base = first(42, 'link:n1->n2');
    expect(first(42, 'link:n2->n1')).not.toEqual(base);
    expect(first(42, 'workload')).not.toEqual(base);
    expect(first(43, 'link:n1->n2')).not.toEqual(base);
    expect(first(42, '')).not.toEqual(first(42, '\0'));
    // Seeds beyond 2^32 are not folded onto small ones.
    expect(first(2 ** 32 + 5, 's')).not.toEqual(first(5, 's'));
    expect(first(0, 's')).toEqual(first(-0, 's'));
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN, 's')).toThrow(RangeError);
    expect(() => createRng(Number.POSITIVE_INFINITY, 's')).toThrow(RangeError);
  });

  it('draws next() uniformly in [0, 1)', () => {
    const n = 100_000;
    for (const stream of ['workload', 'link:n1->n2', 'link:n2->n1']) {
      const xs = draws(createRng(7, stream), n, (r) => r.next());
      expect(minOf(xs)).toBeGreaterThanOrEqual(0);
      expect(maxOf(xs)).toBeLessThan(1);
      // Uniform variance 1/12 → sd of the mean 0.2887/√1e5 ≈ 0.00091 → ±0.005.
      expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.005);
      const buckets = new Array<number>(100).fill(0);
      for (const x of xs) buckets[Math.floor(x * 100)]++;
      // 99 degrees of freedom: P(χ² > 148.2) = 0.001.
      expect(chiSquare(buckets, n / 100)).toBeLessThan(148.2);
    }
  });

  it('has no visible correlation between consecutive draws or between two streams', () => {
    const n = 100_000;
    const xs = draws(createRng(11, 'link:n1->n2'), n + 1, (r) => r.next());
    const ys = draws(createRng(11, 'link:n2->n1'), n, (r) => r.next());
    // A correlation estimate of independent series has sd 1/√n ≈ 0.0032 → ±0.016.
    expect(Math.abs(correlation(xs.slice(0, n), xs.slice(1)))).toBeLessThan(0.016);
    expect(Math.abs(correlation(xs.slice(0, n), ys))).toBeLessThan(0.016);
  });

  it('draws int() uniformly and without bias', () => {
    const rng = createRng(3, 'ints');
    const n = 70_000;
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(7)]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n); // every draw was an integer index in [0, 7)
    // 6 degrees of freedom: P(χ² > 22.46) = 0.001.
    expect(chiSquare(counts, n / 7)).toBeLessThan(22.46);
    expect(rng.int(1)).toBe(0);
    const big = rng.int(2 ** 32);
    expect(big).toBeGreaterThanOrEqual(0);
    expect(big).toBeLessThan(2 ** 32);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    expect(() => rng.int(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('draws normal() with mean 0 and sd 1', () => {
    const n = 100_000;
    const xs = draws(createRng(5, 'normal'), n, (r) => r.normal());
    // sd of the mean 1/√n ≈ 0.0032 → ±0.016; sd of the sample sd ≈ 1/√(2n) ≈ 0.0022 → ±0.011.
    expect(Math.abs(mean(xs))).toBeLessThan(0.016);
    expect(Math.abs(sd(xs) - 1)).toBeLessThan(0.011);
    // P(|Z| < 1) = 0.6827; binomial sd √(0.6827·0.3173/n) ≈ 0.0015 → ±0.0074.
    const within = xs.filter((x) => Math.abs(x) < 1).length / n;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.0074);
  });

  it('draws exponential() with the given mean, never negative', () => {
    const n = 100_000;
    const xs = draws(createRng(5, 'exp'), n, (r) => r.exponential(3));
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    // Exponential sd = mean = 3 → sd of the mean 3/√n ≈ 0.0095 → ±0.05.
    expect(Math.abs(mean(xs) - 3)).toBeLessThan(0.05);
    // P(X > mean) = e^-1 = 0.3679; binomial sd ≈ 0.0015 → ±0.0076.
    const above = xs.filter((x) => x > 3).length / n;
    expect(Math.abs(above - Math.exp(-1))).toBeLessThan(0.0076);
  });

  it('picks every element about equally often', () => {
    const rng = createRng(9, 'pick');
    const items = ['a', 'b', 'c', 'd'] as const;
    const counts = new Map<string, number>();
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const item = rng.pick(items);
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    // 3 degrees of freedom: P(χ² > 16.27) = 0.001.
    expect(chiSquare([...counts.values()], n / 4)).toBeLessThan(16.27);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('shuffles in place into a uniformly chosen permutation', () => {
    const rng = createRng(9, 'shuffle');
    const items = [1, 2, 3, 4, 5];
    expect(rng.shuffle(items)).toBe(items);
    expect([...items].sort()).toEqual([1, 2, 3, 4, 5]);

    const counts = new Map<string, number>();
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const key = rng.shuffle(['x', 'y', 'z']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // 5 degrees of freedom: P(χ² > 20.52) = 0.001.
    expect(chiSquare([...counts.values()], n / 6)).toBeLessThan(20.52);
  });
});
