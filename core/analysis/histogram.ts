// A fixed-bucket histogram of non-negative integers (µs): O(1) to record, no allocation,
// exact below `limit` and clamped above it (the maximum is still kept exactly).
export class Histogram {
  private readonly buckets: Uint32Array;
  count = 0;
  max = 0;

  constructor(private readonly limit = 100_000) {
    this.buckets = new Uint32Array(limit + 1);
  }

  record(value: number): void {
    const v = value < 0 ? 0 : Math.round(value);
    this.buckets[v > this.limit ? this.limit : v]++;
    this.count++;
    if (v > this.max) this.max = v;
  }

  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let v = 0; v <= this.limit; v++) {
      seen += this.buckets[v];
      if (seen >= rank) return v;
    }
    return this.max;
  }

  summary(): { count: number; p50: number; p99: number; max: number } | null {
    if (this.count === 0) return null;
    return { count: this.count, p50: this.quantile(0.5), p99: this.quantile(0.99), max: this.max };
  }
}
