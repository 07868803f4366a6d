// Latency histogram bins: a round bin width over the bulk of the values, with the rare
// slow tail folded into one last bin so it does not squash the rest.

export interface HistogramBin {
  fromMs: number;
  /** Infinity for the tail bin. */
  toMs: number;
  count: number;
}

const TARGET_BINS = 30;
/** Values above this quantile go to the tail bin. */
const TAIL_QUANTILE = 0.995;

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** `sorted`: the latencies in ascending order. */
export function histogramBins(sorted: ArrayLike<number>): HistogramBin[] {
  if (sorted.length === 0) return [];
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const cutoff = sorted[Math.min(sorted.length - 1, Math.floor(TAIL_QUANTILE * sorted.length))];
  const step = niceStep((cutoff - min) / TARGET_BINS || Math.max(cutoff, 1) / TARGET_BINS);
  const start = Math.floor(min / step) * step;
  const regular = Math.max(1, Math.floor((cutoff - start) / step) + 1);
  const bins: HistogramBin[] = Array.from({ length: regular }, (_, i) => ({ fromMs: round(start + i * step), toMs: round(start + (i + 1) * step), count: 0 }));
  const end = start + regular * step;
  let tail = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    if (v >= end) tail++;
    else bins[Math.min(regular - 1, Math.floor((v - start) / step))].count++;
  }
  if (tail > 0) bins.push({ fromMs: round(end), toMs: max >= end ? Infinity : round(end + step), count: tail });
  return bins;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
