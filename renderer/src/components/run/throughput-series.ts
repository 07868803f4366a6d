// Messages per second from the run's 100 ms traffic buckets: at each step, the count of
// the trailing second, so the lines are smooth yet react within a second.
import type { TrafficBucket } from '../../../../core/api/contract.js';

export const TRAFFIC_BUCKET_MS = 100;
const WINDOW_MS = 1000;
const STEPS_PER_WINDOW = WINDOW_MS / TRAFFIC_BUCKET_MS;

export interface ThroughputSeries {
  /** [step end (s), messages per second over the trailing second]. */
  sent: Array<[number, number]>;
  delivered: Array<[number, number]>;
  lost: Array<[number, number]>;
  totals: { sent: number; delivered: number; lost: number };
  peakSentPerSec: number;
}

/**
 * Steps with no bucket count as idle (zero), not missing. Buckets that may still be
 * filling (ending after `untilMs`) are left out of the rates, so the right edge of a live
 * chart does not dip; they still count in the totals.
 */
export function throughputSeries(traffic: TrafficBucket[], untilMs: number): ThroughputSeries {
  const out: ThroughputSeries = { sent: [], delivered: [], lost: [], totals: { sent: 0, delivered: 0, lost: 0 }, peakSentPerSec: 0 };
  const byStep = new Map<number, TrafficBucket>();
  let lastStep = -1;
  for (const bucket of traffic) {
    out.totals.sent += bucket[1];
    out.totals.delivered += bucket[2];
    out.totals.lost += bucket[3];
    const step = Math.round(bucket[0] / TRAFFIC_BUCKET_MS);
    byStep.set(step, bucket);
    if ((step + 1) * TRAFFIC_BUCKET_MS <= untilMs) lastStep = Math.max(lastStep, step);
  }
  const window = [0, 0, 0];
  for (let step = 0; step <= lastStep; step++) {
    const entering = byStep.get(step);
    const leaving = byStep.get(step - STEPS_PER_WINDOW);
    for (let k = 0; k < 3; k++) window[k] += (entering?.[k + 1] ?? 0) - (leaving?.[k + 1] ?? 0);
    const endMs = (step + 1) * TRAFFIC_BUCKET_MS;
    // The first second of the run has less than a second behind it.
    const spanS = Math.min(WINDOW_MS, endMs) / 1000;
    const x = endMs / 1000;
    out.sent.push([x, window[0] / spanS]);
    out.delivered.push([x, window[1] / spanS]);
    out.lost.push([x, window[2] / spanS]);
    out.peakSentPerSec = Math.max(out.peakSentPerSec, window[0] / spanS);
  }
  return out;
}
