// How evenly keys are spread over nodes: the busiest node against the mean (1 is perfect)
// and the standard deviation of the counts relative to the mean (the coefficient of
// variation). Shared by the sharding measurement and the unit tests of placement.
export interface LoadSpread {
  nodes: number;
  total: number;
  mean: number;
  max: number;
  min: number;
  /** max / mean. */
  maxOverMean: number;
  /** Standard deviation of the counts (population). */
  stdDev: number;
  /** stdDev / mean. */
  relativeStdDev: number;
}

export function loadSpread(counts: readonly number[]): LoadSpread | null {
  if (counts.length === 0) return null;
  const total = counts.reduce((sum, c) => sum + c, 0);
  const mean = total / counts.length;
  const variance = counts.reduce((sum, c) => sum + (c - mean) ** 2, 0) / counts.length;
  const max = Math.max(...counts);
  const stdDev = Math.sqrt(variance);
  return {
    nodes: counts.length,
    total,
    mean,
    max,
    min: Math.min(...counts),
    maxOverMean: mean > 0 ? max / mean : 0,
    stdDev,
    relativeStdDev: mean > 0 ? stdDev / mean : 0,
  };
}
