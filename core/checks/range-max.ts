// The largest of values[lo..hi] in constant time after an n·log n build (a sparse table):
// the replication checks ask it once per applied entry over a node's many commit reports.
export class RangeMax {
  /** levels[k][i] is the maximum of values[i .. i + 2^k - 1]. */
  private readonly levels: Float64Array[];

  constructor(values: ArrayLike<number>) {
    const first = Float64Array.from(values);
    this.levels = [first];
    for (let width = 2; width <= first.length; width *= 2) {
      const previous = this.levels[this.levels.length - 1];
      const half = width / 2;
      const level = new Float64Array(first.length - width + 1);
      for (let i = 0; i < level.length; i++) level[i] = Math.max(previous[i], previous[i + half]);
      this.levels.push(level);
    }
  }

  /** The maximum over the inclusive range [lo, hi]; -Infinity when it is empty. */
  max(lo: number, hi: number): number {
    if (hi < lo) return -Infinity;
    const k = 31 - Math.clz32(hi - lo + 1);
    const level = this.levels[k];
    return Math.max(level[lo], level[hi - (1 << k) + 1]);
  }
}

/** The first index i in [0, n] with key(i) >= target, for keys ascending in i. */
export function lowerBound(n: number, key: (i: number) => number, target: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
