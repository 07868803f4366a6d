import { describe, it, expect } from 'vitest';
import type { LatencyModel, LinkParams } from '../../core/experiment/types.js';
import { sampleLatencyMs } from '../../core/engine/latency.js';
import { LinkModel, corruptBody, type LinkDecision } from '../../core/engine/link-model.js';
import { createRng, type Rng } from '../../core/engine/prng.js';

// Tolerances: a rate estimated from n Bernoulli(p) trials has sd √(p(1−p)/n), a sample
// mean of n draws with sd σ has sd σ/√n; bounds are about 5 of those sds (stated at each
// test), so passing at a fixed seed is not luck and failing means a real bias.

function linkParams(patch: Partial<LinkParams> = {}): LinkParams {
  return {
    latency: { distribution: 'constant', meanMs: 0, jitterMs: 0 },
    loss: { kind: 'bernoulli', p: 0 },
    duplicate: 0,
    corrupt: 0,
    reorder: 0,
    bandwidthBytesPerSec: null,
    queueLimit: 1000,
    ...patch,
  };
}

function model(patch: Partial<LinkParams>, seed = 1, stream = 'link:n1->n2'): LinkModel {
  return new LinkModel(linkParams(patch), createRng(seed, stream));
}

function samples(latency: LatencyModel, n: number, seed = 1): number[] {
  const rng = createRng(seed, `latency:${latency.distribution}`);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = sampleLatencyMs(latency, rng);
  return out;
}

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

function sd(xs: readonly number[]): number {
  const m = mean(xs);
  let sum = 0;
  for (const x of xs) sum += (x - m) * (x - m);
  return Math.sqrt(sum / (xs.length - 1));
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

/** Fraction of n messages (1 ms apart, 100 bytes) for which `test` holds. */
function rate(link: LinkModel, n: number, test: (d: LinkDecision) => boolean): number {
  let hits = 0;
  for (let i = 0; i < n; i++) if (test(link.decide(i * 1000, 100))) hits++;
  return hits / n;
}

describe('sampleLatencyMs', () => {
  const n = 100_000;

  it('constant: exactly the mean', () => {
    const xs = samples({ distribution: 'constant', meanMs: 12.5, jitterMs: 3 }, 1000);
    expect(new Set(xs)).toEqual(new Set([12.5]));
  });

  it('uniform: inside mean ± jitter with the right mean and spread', () => {
    const xs = samples({ distribution: 'uniform', meanMs: 10, jitterMs: 4 }, n);
    expect(minOf(xs)).toBeGreaterThanOrEqual(6);
    expect(maxOf(xs)).toBeLessThanOrEqual(14);
    // σ = 8/√12 = 2.309 → sd of the mean 0.0073 → ±0.04.
    expect(Math.abs(mean(xs) - 10)).toBeLessThan(0.04);
    // sd of the sample variance √((μ4 − σ⁴)/n) = √((51.2 − 28.4)/1e5) = 0.015 → of the sd 0.0033 → ±0.02.
    expect(Math.abs(sd(xs) - 8 / Math.sqrt(12))).toBeLessThan(0.02);
  });

  it('normal: mean and sd = jitter', () => {
    const xs = samples({ distribution: 'normal', meanMs: 50, jitterMs: 10 }, n);
    // sd of the mean 10/√n = 0.032 → ±0.16; sd of the sample sd 10/√(2n) = 0.022 → ±0.11.
    expect(Math.abs(mean(xs) - 50)).toBeLessThan(0.16);
    expect(Math.abs(sd(xs) - 10)).toBeLessThan(0.11);
  });

  it('normal: truncated at 0 by resampling, not clamping', () => {
    const xs = samples({ distribution: 'normal', meanMs: 0, jitterMs: 10 }, n);
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expect(xs.filter((x) => x === 0).length).toBe(0);
    // Mean 0 resampled is a half-normal: mean 10·√(2/π) = 7.979, sd 10·√(1 − 2/π) = 6.03
    // → sd of the mean 0.019 → ±0.1. Clamping would give 3.99 and half the samples at 0.
    expect(Math.abs(mean(xs) - 10 * Math.sqrt(2 / Math.PI))).toBeLessThan(0.1);
  });

  it('exponential: the mean, jitter ignored', () => {
    const xs = samples({ distribution: 'exponential', meanMs: 20, jitterMs: 5 }, n);
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    // σ = mean = 20 → sd of the mean 0.063 → ±0.35; sd of the sample sd √(8·20⁴/n)/(2·20) = 0.089 → ±0.45.
    expect(Math.abs(mean(xs) - 20)).toBeLessThan(0.35);
    expect(Math.abs(sd(xs) - 20)).toBeLessThan(0.45);
  });

  it('pareto: the configured mean and sd, the analytic minimum and median', () => {
    const meanMs = 10;
    const jitterMs = 2;
    const big = 200_000;
    const xs = samples({ distribution: 'pareto', meanMs, jitterMs }, big);
    const alpha = 1 + Math.sqrt(1 + (meanMs / jitterMs) ** 2); // ≈ 6.10: finite 4th moment
    const xm = (meanMs * (alpha - 1)) / alpha;
    expect(minOf(xs)).toBeGreaterThanOrEqual(xm);
    // sd of the mean 2/√2e5 = 0.0045 → ±0.025.
    expect(Math.abs(mean(xs) - meanMs)).toBeLessThan(0.025);
    // Excess kurtosis at α ≈ 6.1 is ≈ 34, so the sample variance has sd ≈ σ²·√(36/n) = 0.054,
    // the sample sd ≈ 0.013; the heavy tail makes that estimate itself shaky, hence ±0.15 (~10 sds).
    expect(Math.abs(sd(xs) - jitterMs)).toBeLessThan(0.15);
    // Median xm·2^(1/α): the fraction below it has binomial sd √(0.25/n) = 0.0011 → ±0.006.
    const median = xm * 2 ** (1 / alpha);
    expect(Math.abs(xs.filter((x) => x < median).length / big - 0.5)).toBeLessThan(0.006);
  });

  it('pareto: jitter 0 is constant', () => {
    const xs = samples({ distribution: 'pareto', meanMs: 7, jitterMs: 0 }, 100);
    expect(new Set(xs)).toEqual(new Set([7]));
  });

  it('is never negative, even with jitter larger than the mean', () => {
    for (const distribution of ['constant', 'uniform', 'normal', 'exponential', 'pareto'] as const) {
      const xs = samples({ distribution, meanMs: 1, jitterMs: 5 }, 20_000);
      expect(minOf(xs)).toBeGreaterThanOrEqual(0);
      expect(xs.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('LinkModel', () => {
  it('delivers after the latency and reuses one decision object', () => {
    const link = model({ latency: { distribution: 'constant', meanMs: 5, jitterMs: 0 } });
    const first = link.decide(1000, 100);
    expect(first).toEqual({
      fate: 'deliver',
      deliverAtUs: 6000,
      corrupt: false,
      duplicate: false,
      duplicateAtUs: Number.NaN,
      duplicateCorrupt: false,
    });
    expect(link.decide(2000, 100)).toBe(first);
    expect(first.deliverAtUs).toBe(7000);
  });

  it('repeats the same decisions for the same seed and stream, and differs across streams', () => {
    const faulty: Partial<LinkParams> = {
      latency: { distribution: 'normal', meanMs: 5, jitterMs: 2 },
      loss: { kind: 'gilbert-elliott', p: 0.05, r: 0.3, lossGood: 0.01, lossBad: 0.5 },
      duplicate: 0.1,
      corrupt: 0.1,
      reorder: 0.1,
      bandwidthBytesPerSec: 1_000_000,
      queueLimit: 20,
    };
    const run = (stream: string) => {
      const link = model(faulty, 99, stream);
      const out: LinkDecision[] = [];
      for (let i = 0; i < 5000; i++) out.push({ ...link.decide(i * 300, 200 + (i % 7) * 100) });
      return out;
    };
    const a = run('link:n1->n2');
    expect(run('link:n1->n2')).toEqual(a);
    expect(run('link:n2->n1')).not.toEqual(a);
    const fates = new Set(a.map((d) => d.fate));
    expect(fates).toEqual(new Set(['deliver', 'lost', 'queue-full']));
  });

  it('loses messages at the Bernoulli rate', () => {
    const n = 10_000;
    // p = 0.2: sd √(0.16/1e4) = 0.004 → ±0.02.
    expect(Math.abs(rate(model({ loss: { kind: 'bernoulli', p: 0.2 } }), n, (d) => d.fate === 'lost') - 0.2)).toBeLessThan(
      0.02,
    );
    // p = 0.05: sd √(0.0475/1e4) = 0.0022 → ±0.011.
    expect(
      Math.abs(rate(model({ loss: { kind: 'bernoulli', p: 0.05 } }, 2), n, (d) => d.fate === 'lost') - 0.05),
    ).toBeLessThan(0.011);
    const lost = model({ loss: { kind: 'bernoulli', p: 1 } }).decide(0, 10);
    expect(lost.fate).toBe('lost');
    expect(lost.deliverAtUs).toBeNaN();
  });

  it('Gilbert–Elliott: loses in bursts of mean length 1/r at the stationary rate', () => {
    const p = 0.05;
    const r = 0.25;
    const link = model({ loss: { kind: 'gilbert-elliott', p, r, lossGood: 0, lossBad: 1 } }, 3);
    const n = 100_000;
    let lost = 0;
    let bursts = 0;
    let previousLost = false;
    for (let i = 0; i < n; i++) {
      const isLost = link.decide(i, 10).fate === 'lost';
      if (isLost) lost++;
      if (isLost && !previousLost) bursts++;
      previousLost = isLost;
    }
    // Stationary P(bad) = p/(p+r) = 1/6. The loss indicator is then the chain itself, with
    // lag-k correlation λ^k, λ = 1−p−r = 0.7: the mean has variance π(1−π)(1+λ)/(1−λ)/n
    // = 0.787/n → sd 0.0028 → ±0.014.
    expect(Math.abs(lost / n - p / (p + r))).toBeLessThan(0.014);
    // A burst is a stay in the bad state: geometric, mean 1/r = 4, sd √(1−r)/r = 3.46, over
    // ≈ n·r/6 ≈ 4170 bursts → sd of the mean 0.054 → ±0.27. Independent losses at the same
    // rate would give bursts of 1/(1 − 1/6) = 1.2.
    expect(Math.abs(lost / bursts - 1 / r)).toBeLessThan(0.27);
  });

  it('Gilbert–Elliott: average loss mixes the two states stationary-weighted', () => {
    const loss = { kind: 'gilbert-elliott', p: 0.02, r: 0.2, lossGood: 0.01, lossBad: 0.6 } as const;
    const n = 100_000;
    const observed = rate(model({ loss }, 4), n, (d) => d.fate === 'lost');
    const bad = loss.p / (loss.p + loss.r);
    const expected = bad * loss.lossBad + (1 - bad) * loss.lossGood; // 0.0636
    // Variance per message: Bernoulli noise Σπ·l(1−l) = 0.031 plus the chain term
    // (lossBad−lossGood)²·π(1−π)(1+λ)/(1−λ) with λ = 0.78 → 0.233; sd √(0.264/n) = 0.0016 → ±0.0085.
    expect(Math.abs(observed - expected)).toBeLessThan(0.0085);
  });

  it('duplicates and corrupts at the configured rates, each copy on its own', () => {
    const n = 10_000;
    const link = model({ latency: { distribution: 'normal', meanMs: 10, jitterMs: 3 }, duplicate: 0.1, corrupt: 0.3 }, 5);
    let duplicates = 0;
    let corrupt = 0;
    let duplicateCorrupt = 0;
    let sameTime = 0;
    for (let i = 0; i < n; i++) {
      const nowUs = i * 1000;
      const d = link.decide(nowUs, 100);
      if (d.corrupt) corrupt++;
      if (!d.duplicate) {
        expect(d.duplicateAtUs).toBeNaN();
        expect(d.duplicateCorrupt).toBe(false);
        continue;
      }
      duplicates++;
      if (d.duplicateCorrupt) duplicateCorrupt++;
      if (d.duplicateAtUs === d.deliverAtUs) sameTime++;
      expect(d.duplicateAtUs).toBeGreaterThanOrEqual(nowUs);
    }
    // Duplicate 0.1: sd 0.003 → ±0.015. Corrupt 0.3: sd 0.0046 → ±0.023.
    expect(Math.abs(duplicates / n - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(corrupt / n - 0.3)).toBeLessThan(0.023);
    // Among ≈1000 duplicates: sd √(0.21/1000) = 0.0145 → ±0.07.
    expect(Math.abs(duplicateCorrupt / duplicates - 0.3)).toBeLessThan(0.07);
    // Their own latency sample: a normal sample never repeats exactly.
    expect(sameTime).toBe(0);
  });

  it('reorder: the chosen messages skip the delay and overtake earlier ones', () => {
    const n = 10_000;
    const latency: LatencyModel = { distribution: 'constant', meanMs: 10, jitterMs: 0 };
    const countInversions = (reorder: number) => {
      const link = model({ latency, reorder }, 6);
      let skipped = 0;
      let inversions = 0;
      let latestDelivery = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const nowUs = i * 1000; // 1 ms apart, under a 10 ms delay
        const d = link.decide(nowUs, 100);
        if (d.deliverAtUs === nowUs) skipped++;
        else expect(d.deliverAtUs).toBe(nowUs + 10_000);
        if (d.deliverAtUs < latestDelivery) inversions++;
        latestDelivery = Math.max(latestDelivery, d.deliverAtUs);
      }
      return { skipped: skipped / n, inversions };
    };
    const reordered = countInversions(0.25);
    // sd √(0.1875/1e4) = 0.0043 → ±0.022.
    expect(Math.abs(reordered.skipped - 0.25)).toBeLessThan(0.022);
    // Nearly every skipped message overtakes the ≈7.5 delayed ones sent in the last 10 ms.
    expect(reordered.inversions).toBeGreaterThan(0.2 * n);
    expect(countInversions(0)).toEqual({ skipped: 0, inversions: 0 });
  });

  it('bandwidth: serializes a burst at bytes/bandwidth per message', () => {
    const link = model({
      latency: { distribution: 'constant', meanMs: 5, jitterMs: 0 },
      bandwidthBytesPerSec: 1_000_000,
      queueLimit: 1000,
    });
    const arrivals: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const d = link.decide(0, 1000);
      expect(d.fate).toBe('deliver');
      arrivals.push(d.deliverAtUs);
    }
    // 1000 B at 1e6 B/s = 1 ms on the wire: departures at 1, 2, … 1000 ms, arrivals 5 ms later.
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 1]).toBe(1000);
    expect(arrivals[0]).toBe(1000 + 5000);
    expect(arrivals[999]).toBe(1_000_000 + 5000);
    expect(link.decide(0, 1000).fate).toBe('queue-full');
    // Once everything has left, the link is idle again.
    expect(link.decide(2_000_000, 1000).deliverAtUs).toBe(2_000_000 + 1000 + 5000);
  });

  it('bandwidth: refuses beyond queueLimit until a message has departed', () => {
    const link = model({ bandwidthBytesPerSec: 1_000_000, queueLimit: 10 });
    for (let i = 0; i < 10; i++) expect(link.decide(0, 1000).fate).toBe('deliver');
    for (let i = 0; i < 5; i++) expect(link.decide(500, 1000).fate).toBe('queue-full');
    // At 1000 µs the first message has fully left: one place, and refused ones took no link time.
    const next = link.decide(1000, 1000);
    expect(next.fate).toBe('deliver');
    expect(next.deliverAtUs).toBe(11_000);
    expect(link.decide(1000, 1000).fate).toBe('queue-full');
    expect(model({ bandwidthBytesPerSec: 1000, queueLimit: 0 }).decide(0, 1).fate).toBe('queue-full');
  });

  it('bandwidth: matches a straightforward queue simulation under random load', () => {
    const bandwidth = 2_000_000;
    const queueLimit = 37; // beyond the initial ring capacity, and not a power of two
    const link = model({ bandwidthBytesPerSec: bandwidth, queueLimit }, 8);
    const load = createRng(8, 'test-load');
    let queue: number[] = [];
    let busyUntil = 0;
    let nowUs = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      nowUs += load.exponential(400); // ≈1.25× the link's capacity for 1000 B on average
      const bytes = 200 + load.int(1600);
      queue = queue.filter((departAt) => departAt > nowUs);
      const d = link.decide(nowUs, bytes);
      if (queue.length >= queueLimit) {
        expect(d.fate).toBe('queue-full');
        refused++;
        continue;
      }
      busyUntil = Math.max(nowUs, busyUntil) + (bytes * 1e6) / bandwidth;
      queue.push(busyUntil);
      expect(d.fate).toBe('deliver');
      expect(d.deliverAtUs).toBeCloseTo(busyUntil, 6);
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('setParams: new rates apply from the next message, keeping queue and rng sequence', () => {
    const n = 10_000;
    const link = model({ loss: { kind: 'bernoulli', p: 0.1 } }, 10);
    const before = rate(link, n, (d) => d.fate === 'lost');
    const next = linkParams({ loss: { kind: 'bernoulli', p: 0.6 } });
    link.setParams(next);
    next.loss = { kind: 'bernoulli', p: 0 }; // the model keeps its own copy
    expect(link.params.loss).toEqual({ kind: 'bernoulli', p: 0.6 });
    const after = rate(link, n, (d) => d.fate === 'lost');
    // sd √(0.09/1e4) = 0.003 → ±0.015; √(0.24/1e4) = 0.0049 → ±0.025.
    expect(Math.abs(before - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(after - 0.6)).toBeLessThan(0.025);

    // Re-applying the same parameters changes nothing in the sequence.
    const faulty = { latency: { distribution: 'normal', meanMs: 3, jitterMs: 1 }, duplicate: 0.2 } as const;
    const plain = model(faulty, 11);
    const touched = model(faulty, 11);
    for (let i = 0; i < 1000; i++) {
      if (i === 500) touched.setParams(linkParams(faulty));
      expect({ ...touched.decide(i, 10) }).toEqual({ ...plain.decide(i, 10) });
    }

    // The bandwidth queue survives a rate change: the new message waits for the old ones.
    const queued = model({ bandwidthBytesPerSec: 1_000_000, queueLimit: 5 });
    for (let i = 0; i < 5; i++) queued.decide(0, 1000);
    expect(queued.decide(0, 1000).fate).toBe('queue-full');
    queued.setParams(linkParams({ bandwidthBytesPerSec: 500_000, queueLimit: 6 }));
    expect(queued.decide(0, 1000).deliverAtUs).toBe(5000 + 2000);
  });

  it('rejects parameters out of range', () => {
    const rng = createRng(1, 'x');
    expect(() => new LinkModel(linkParams({ duplicate: 1.5 }), rng)).toThrow(RangeError);
    expect(() => new LinkModel(linkParams({ loss: { kind: 'bernoulli', p: -0.1 } }), rng)).toThrow(RangeError);
    expect(
      () =>
        new LinkModel(linkParams({ loss: { kind: 'gilbert-elliott', p: 0.1, r: 2, lossGood: 0, lossBad: 1 } }), rng),
    ).toThrow(RangeError);
    expect(() => new LinkModel(linkParams({ bandwidthBytesPerSec: 0 }), rng)).toThrow(RangeError);
    expect(() => new LinkModel(linkParams({ queueLimit: Number.NaN }), rng)).toThrow(RangeError);
    expect(
      () => new LinkModel(linkParams({ latency: { distribution: 'normal', meanMs: -1, jitterMs: 0 } }), rng),
    ).toThrow(RangeError);
  });
});

describe('corruptBody', () => {
  const ALPHABET = ['a', 'Z', 'q', '7', '0', ' ', '"', '\\', '\n', '\t', '\u0001', '/', 'é', '😀', ':', ',', '{', ']'];

  function randomString(rng: Rng): string {
    let s = '';
    const length = rng.int(8);
    for (let i = 0; i < length; i++) s += rng.pick(ALPHABET);
    return s;
  }

  function randomNumber(rng: Rng): number {
    switch (rng.int(5)) {
      case 0:
        return rng.int(1000) - 500;
      case 1:
        return 0;
      case 2:
        return (rng.next() - 0.5) * 1000;
      case 3:
        return rng.next() * 1e-9; // stringifies with e-
      default:
        return rng.next() * 1e25; // stringifies with e+
    }
  }

  function randomValue(rng: Rng, depth: number): unknown {
    const kind = rng.int(depth > 2 ? 4 : 6);
    switch (kind) {
      case 0:
        return randomNumber(rng);
      case 1:
        return randomString(rng);
      case 2:
        return rng.pick([true, false, null]);
      case 3:
        return rng.int(2) === 0 ? 0 : -7;
      case 4:
        return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
      default:
        return randomObject(rng, depth + 1);
    }
  }

  function randomObject(rng: Rng, depth: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const keys = rng.int(4);
    for (let i = 0; i < keys; i++) object[randomString(rng)] = randomValue(rng, depth);
    return object;
  }

  /** A message-like body with at least one eligible character (the "type" key). */
  function randomBody(rng: Rng): string {
    return JSON.stringify({ type: rng.pick(['echo', 'read', 'write']), ...randomObject(rng, 0) });
  }

  function corruptMany(seed: number): { bodies: string[]; outputs: string[] } {
    const bodiesRng = createRng(seed, 'bodies');
    const corruptRng = createRng(seed, 'corrupt');
    const bodies = Array.from({ length: 1000 }, () => randomBody(bodiesRng));
    return { bodies, outputs: bodies.map((body) => corruptBody(body, corruptRng)) };
  }

  it('changes exactly one letter or digit and keeps the JSON valid', () => {
    const { bodies, outputs } = corruptMany(12);
    let valueChanged = 0;
    for (let i = 0; i < bodies.length; i++) {
      const body = bodies[i];
      const out = outputs[i];
      expect(out).not.toBe(body);
      expect(out.length).toBe(body.length);
      // By UTF-16 index: the bodies hold surrogate pairs.
      const changed = Array.from({ length: body.length }, (_, k) => k).filter((k) => body[k] !== out[k]);
      expect(changed.length).toBe(1);
      const [before, after] = [body[changed[0]], out[changed[0]]];
      expect(/[0-9]/.test(before) ? /[0-9]/.test(after) : /[a-zA-Z]/.test(before) && /[a-zA-Z]/.test(after)).toBe(
        true,
      );
      expect(() => JSON.parse(out), `${body} → ${out}`).not.toThrow();
      if (JSON.stringify(JSON.parse(out)) !== JSON.stringify(JSON.parse(body))) valueChanged++;
    }
    // Only a change past a double's precision (…0004 → …0005) can leave the value equal.
    expect(valueChanged).toBeGreaterThan(990);
  });

  it('is deterministic given the rng', () => {
    expect(corruptMany(13)).toEqual(corruptMany(13));
    expect(corruptMany(13).outputs).not.toEqual(corruptMany(14).outputs);
  });

  it('leaves bodies with nothing safe to change as they are', () => {
    const rng = createRng(1, 'corrupt');
    for (const body of ['{}', '[]', '[true,false,null]', '"\\u00e9\\n"', '{"\\u0041":"\\uABCD"}', '["\\\\n"]', '""']) {
      expect(corruptBody(body, rng)).toBe(body);
    }
  });

  it('never gives a number a leading 0 nor touches exponents and literals', () => {
    const rng = createRng(2, 'corrupt');
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      for (const body of ['[5]', '[-7]', '[0.5]', '{"n":1e5}', '[true,30]']) {
        const out = corruptBody(body, rng);
        expect(() => JSON.parse(out), `${body} → ${out}`).not.toThrow();
        expect(out).not.toBe(body);
        seen.add(out);
      }
    }
    expect(seen.has('[0]')).toBe(false);
    expect(seen.has('[-0]')).toBe(false);
    // 8 other leading digits for 5 and 7; 9 for the 0 of 0.5 plus 9 for its 5.
    expect([...seen].filter((s) => /^\[\d\]$/.test(s)).length).toBe(8);
    expect([...seen].filter((s) => /^\[\d\.\d\]$/.test(s)).length).toBe(18);
    expect([...seen].every((s) => !s.startsWith('[true,0') && !s.includes(':0e'))).toBe(true);
    expect([...seen].filter((s) => s.startsWith('{"n":')).every((s) => /^\{"n":[1-9]e\d\}$/.test(s))).toBe(true);
  });
});
