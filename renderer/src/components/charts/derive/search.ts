// Binary searches over arrays sorted by a numeric key (time, usually).

/** The first index whose key is >= value (array.length when none is). */
export function lowerBound<T>(array: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(array[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose key is > value (array.length when none is). */
export function upperBound<T>(array: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(array[mid]) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
