// The token bucket's arithmetic: tokens refill continuously at `rate` per second up to
// `burst`, and each admitted request takes one. Pure, so its boundaries are unit-tested.

export interface TokenBucket {
  /** Tokens in the bucket, fractional between refills. */
  tokens: number;
  /** The node's clock (ms) when `tokens` was last brought up to date. */
  at: number;
}

export interface TokenBucketLimits {
  /** Tokens added per second. */
  rate: number;
  /** The most tokens the bucket holds: the longest burst it admits at once. */
  burst: number;
}

/** Refill sums fractions of a token; this much rounding error still counts as a whole one. */
const EPSILON = 1e-9;

/** A bucket starts full, so a quiet service admits a burst at once. */
export function fullTokenBucket(limits: TokenBucketLimits, now: number): TokenBucket {
  return { tokens: limits.burst, at: now };
}

/** Adds the tokens earned since the last refill, capped at the burst. */
export function refill(bucket: TokenBucket, limits: TokenBucketLimits, now: number): void {
  if (now <= bucket.at) return;
  bucket.tokens = Math.min(limits.burst, bucket.tokens + (limits.rate * (now - bucket.at)) / 1000);
  bucket.at = now;
}

/** Takes one token if there is a whole one: true when the request is admitted. */
export function takeToken(bucket: TokenBucket, limits: TokenBucketLimits, now: number): boolean {
  refill(bucket, limits, now);
  if (bucket.tokens < 1 - EPSILON) return false;
  bucket.tokens = Math.max(0, bucket.tokens - 1);
  return true;
}
