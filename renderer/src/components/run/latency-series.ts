// Client operation latency over time: p50 and p99 per time bucket (by invoke time), kept
// incrementally so a live run only sorts the buckets that changed.
import type { OperationPoint } from '../../../../core/api/contract.js';
import { TailReader } from './tail-reader.js';

export const LATENCY_BUCKET_MS = 500;

export interface LatencySeries {
  /** [bucket middle (s), latency (ms)] for buckets with at least one ok operation. */
  p50: Array<[number, number]>;
  p99: Array<[number, number]>;
  /** [bucket middle (s), timed-out or failed operations in it]. */
  failures: Array<[number, number]>;
  /** [bucket middle (s), definite failures (an error answer) per second]. */
  failedPerSec: Array<[number, number]>;
  /** [bucket middle (s), timeouts (no answer in time) per second]. */
  timeoutsPerSec: Array<[number, number]>;
  /** The most common error of each bucket with failures, by bucket middle (s). */
  reasons: Map<number, { text: string; count: number }>;
  totals: { ok: number; fail: number; timeout: number };
  /** Over the whole run (null without ok operations). */
  overall: { p50: number; p99: number; max: number } | null;
}

interface Bucket {
  latencies: number[];
  failures: number;
  failed: number;
  timeouts: number;
  reasons: Map<string, number>;
  dirty: boolean;
  p50: number;
  p99: number;
}

/** Nearest-rank quantile of an ascending array, as the engine's summary computes it. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export class LatencyTracker {
  private readonly reader = new TailReader<OperationPoint>();
  private buckets = new Map<number, Bucket>();
  private totals = { ok: 0, fail: 0, timeout: 0 };
  private all: number[] = [];
  private allSorted = true;

  constructor(private readonly bucketMs = LATENCY_BUCKET_MS) {}

  update(operations: OperationPoint[]): void {
    if (this.reader.isNew(operations)) {
      this.buckets = new Map();
      this.totals = { ok: 0, fail: 0, timeout: 0 };
      this.all = [];
      this.allSorted = true;
    }
    this.reader.read(operations, (op) => this.add(op));
  }

  /** Every ok latency seen (ms), for the histogram. */
  latencies(): number[] {
    return this.all;
  }

  private add([invokeMs, latency, outcome, , reason]: OperationPoint): void {
    const key = Math.floor(invokeMs / this.bucketMs);
    let b = this.buckets.get(key);
    if (!b) {
      b = { latencies: [], failures: 0, failed: 0, timeouts: 0, reasons: new Map(), dirty: true, p50: NaN, p99: NaN };
      this.buckets.set(key, b);
    }
    this.totals[outcome]++;
    if (outcome === 'ok' && latency !== null) {
      b.latencies.push(latency);
      b.dirty = true;
      if (this.all.length && latency < this.all[this.all.length - 1]) this.allSorted = false;
      this.all.push(latency);
    } else {
      b.failures++;
      if (outcome === 'timeout') b.timeouts++;
      else {
        b.failed++;
        const why = reason ?? 'error (no reason given)';
        b.reasons.set(why, (b.reasons.get(why) ?? 0) + 1);
      }
    }
  }

  series(): LatencySeries {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    const out: LatencySeries = { p50: [], p99: [], failures: [], failedPerSec: [], timeoutsPerSec: [], reasons: new Map(), totals: { ...this.totals }, overall: null };
    const perSec = 1000 / this.bucketMs;
    for (const key of keys) {
      const b = this.buckets.get(key)!;
      const mid = ((key + 0.5) * this.bucketMs) / 1000;
      if (b.dirty) {
        b.latencies.sort((x, y) => x - y);
        b.p50 = quantile(b.latencies, 0.5);
        b.p99 = quantile(b.latencies, 0.99);
        b.dirty = false;
      }
      if (b.latencies.length) {
        out.p50.push([mid, b.p50]);
        out.p99.push([mid, b.p99]);
      }
      if (b.failures) out.failures.push([mid, b.failures]);
      if (b.failed) out.failedPerSec.push([mid, b.failed * perSec]);
      if (b.timeouts) out.timeoutsPerSec.push([mid, b.timeouts * perSec]);
      let top: { text: string; count: number } | null = null;
      for (const [text, count] of b.reasons) if (!top || count > top.count) top = { text, count };
      if (top) out.reasons.set(mid, top);
    }
    if (this.all.length) {
      if (!this.allSorted) {
        this.all.sort((x, y) => x - y);
        this.allSorted = true;
      }
      out.overall = { p50: quantile(this.all, 0.5), p99: quantile(this.all, 0.99), max: this.all[this.all.length - 1] };
    }
    return out;
  }
}
