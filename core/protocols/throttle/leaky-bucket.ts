// The leaky bucket as a queue: requests pass on at a steady `rate` per second, one every
// 1000/rate ms; those that arrive sooner wait in a queue of `queue` places, and those that
// find it full are rejected. Pure, so its boundaries are unit-tested.

export interface LeakyBucket<T> {
  waiting: T[];
  /** The node's clock (ms) from which the next request may pass. */
  nextLeakAt: number;
}

export interface LeakyBucketLimits {
  /** Requests passed on per second. */
  rate: number;
  /** Places in the queue; 0 admits only a request that finds the bucket ready. */
  queue: number;
}

export type Offer = 'pass' | 'queued' | 'full';

export function emptyLeakyBucket<T>(now: number): LeakyBucket<T> {
  return { waiting: [], nextLeakAt: now };
}

const intervalMs = (limits: LeakyBucketLimits) => 1000 / limits.rate;

/** A request arrives: it passes at once when nothing waits and the bucket is ready, else queues if there is room. */
export function offer<T>(bucket: LeakyBucket<T>, limits: LeakyBucketLimits, item: T, now: number): Offer {
  if (bucket.waiting.length === 0 && now >= bucket.nextLeakAt) {
    bucket.nextLeakAt = now + intervalMs(limits);
    return 'pass';
  }
  if (bucket.waiting.length >= limits.queue) return 'full';
  bucket.waiting.push(item);
  return 'queued';
}

/** Passes on the oldest waiting request if its time has come (a late timer does not catch up: the rate is never exceeded). */
export function leak<T>(bucket: LeakyBucket<T>, limits: LeakyBucketLimits, now: number): T | undefined {
  if (bucket.waiting.length === 0 || now < bucket.nextLeakAt) return undefined;
  bucket.nextLeakAt = now + intervalMs(limits);
  return bucket.waiting.shift();
}

/** How long until the next waiting request may pass; null when none waits. */
export function msUntilLeak<T>(bucket: LeakyBucket<T>, now: number): number | null {
  return bucket.waiting.length === 0 ? null : Math.max(0, bucket.nextLeakAt - now);
}
