// One-way latency samples for a link. Pure: the only state is the rng.

import type { LatencyModel } from '../experiment/types.js';
import type { Rng } from './prng.js';

/** A negative normal sample is redrawn; after this many tries (probability ≤ 2^-64) the mean is used. */
const MAX_NORMAL_TRIES = 64;

/**
 * A latency in ms, never negative. A negative mean or jitter counts as 0.
 * - constant: the mean.
 * - uniform: mean ± jitter, uniformly; values below 0 are clamped to 0.
 * - normal: mean + jitter·N(0,1), truncated at 0 by resampling. Resampling keeps the bell
 *   shape (no spike of zero-delay messages, which clamping would create and which would
 *   look like reordering); the cost is that the mean rises slightly when jitter is a
 *   sizeable fraction of the mean (mean 0 gives a half-normal).
 * - exponential: the mean; jitter is ignored.
 * - pareto: exactly the configured mean and standard deviation (= jitter); jitter 0 is constant.
 */
export function sampleLatencyMs(model: LatencyModel, rng: Rng): number {
  const mean = model.meanMs > 0 ? model.meanMs : 0;
  const jitter = model.jitterMs > 0 ? model.jitterMs : 0;
  switch (model.distribution) {
    case 'constant':
      return mean;
    case 'uniform': {
      const x = mean + jitter * (2 * rng.next() - 1);
      return x > 0 ? x : 0;
    }
    case 'normal':
      return sampleTruncatedNormal(mean, jitter, rng);
    case 'exponential':
      return rng.exponential(mean);
    case 'pareto':
      return samplePareto(mean, jitter, rng);
    default:
      return unknownDistribution(model.distribution);
  }
}

function sampleTruncatedNormal(mean: number, sd: number, rng: Rng): number {
  if (sd === 0) return mean;
  // With mean ≥ 0 each try is accepted with probability ≥ 1/2.
  for (let i = 0; i < MAX_NORMAL_TRIES; i++) {
    const x = mean + sd * rng.normal();
    if (x >= 0) return x;
  }
  return mean;
}

/**
 * Pareto(xm, α) has mean α·xm/(α−1) and variance mean²/(α(α−2)); solving for
 * variance = sd² gives α = 1 + sqrt(1 + mean²/sd²) (always > 2, so the variance is
 * finite) and xm = mean(α−1)/α. Inverse transform: xm / U^(1/α), U in (0, 1].
 */
function samplePareto(mean: number, sd: number, rng: Rng): number {
  if (sd === 0 || mean === 0) return mean;
  const ratio = mean / sd;
  const alpha = 1 + Math.sqrt(1 + ratio * ratio);
  const xm = (mean * (alpha - 1)) / alpha;
  const u = 1 - rng.next();
  return xm / Math.pow(u, 1 / alpha);
}

function unknownDistribution(distribution: never): never {
  throw new RangeError(`unknown latency distribution: ${String(distribution)}`);
}
