// The φ accrual suspicion level (Hayashibara et al., SRDS 2004) as Akka computes it:
// inter-arrival times in a sliding window are fitted with a normal distribution and
// φ(t) = −log10(1 − F(t)), F approximated by a logistic curve.

export interface ArrivalWindow {
  /** Inter-arrival times in ms, oldest first, at most the window size. */
  intervals: number[];
  mean: number;
  stdDev: number;
}

/**
 * Akka's bootstrap: two samples at interval ∓ interval/4, so the fit has mean = interval
 * and sd = interval/4 and φ is defined from the first heartbeat on.
 */
export function bootstrapWindow(expectedIntervalMs: number): ArrivalWindow {
  const spread = expectedIntervalMs / 4;
  return withStats([expectedIntervalMs - spread, expectedIntervalMs + spread]);
}

/** Adds a sample, dropping the oldest beyond `maxSamples`. */
export function addInterval(window: ArrivalWindow, intervalMs: number, maxSamples: number): ArrivalWindow {
  const intervals = [...window.intervals, intervalMs];
  while (intervals.length > Math.max(1, maxSamples)) intervals.shift();
  return withStats(intervals);
}

export interface PhiSettings {
  /** Added to the fitted mean: a pause this long is not yet suspicious. */
  acceptablePauseMs: number;
  /** Floor on the fitted sd, so very regular heartbeats do not make φ jump. */
  minStdDevMs: number;
}

export function phiOf(window: ArrivalWindow, elapsedMs: number, settings: PhiSettings): number {
  // A zero sd would turn y into ±∞; the tiny floor keeps φ a number.
  const stdDev = Math.max(window.stdDev, settings.minStdDevMs, 1e-9);
  return phi(elapsedMs, window.mean + settings.acceptablePauseMs, stdDev);
}

/**
 * Akka's form: two branches so that neither subtracts two nearly equal numbers.
 * 1 − F(t) = e/(1+e) with e = exp(−y(1.5976 + 0.070566y²)), y = (t − mean)/sd.
 * Returns +∞ once e underflows.
 */
export function phi(elapsedMs: number, mean: number, stdDev: number): number {
  const y = (elapsedMs - mean) / stdDev;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  if (elapsedMs > mean) return -Math.log10(e / (1 + e));
  return -Math.log10(1 - 1 / (1 + e));
}

function withStats(intervals: number[]): ArrivalWindow {
  let sum = 0;
  let squares = 0;
  for (const x of intervals) {
    sum += x;
    squares += x * x;
  }
  const mean = sum / intervals.length;
  // Population variance, as Akka's HeartbeatHistory; rounding can make it slightly negative.
  const variance = Math.max(0, squares / intervals.length - mean * mean);
  return { intervals, mean, stdDev: Math.sqrt(variance) };
}
