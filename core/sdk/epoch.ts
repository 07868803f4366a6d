/** Wall-clock time in ms with sub-ms precision; comparable across processes on one machine. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}
