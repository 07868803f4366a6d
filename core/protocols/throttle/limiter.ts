// One limiter per key ('*' for the global scope, else the client's id): a token bucket or a
// leaky bucket, behind one interface, so the service does not care which.
import { emptyLeakyBucket, leak, msUntilLeak, offer, type LeakyBucket } from './leaky-bucket.js';
import { fullTokenBucket, refill, takeToken, type TokenBucket } from './token-bucket.js';

export type LimiterKind = 'token-bucket' | 'leaky-bucket';

export interface LimiterConfig {
  kind: LimiterKind;
  rate: number;
  burst: number;
  queue: number;
}

export type Admission<T> = 'admitted' | 'queued' | 'rejected' | { released: T };

export type Limiter<T> = { kind: 'token-bucket'; bucket: TokenBucket } | { kind: 'leaky-bucket'; bucket: LeakyBucket<T> };

export function newLimiter<T>(config: LimiterConfig, now: number): Limiter<T> {
  return config.kind === 'token-bucket' ? { kind: 'token-bucket', bucket: fullTokenBucket(config, now) } : { kind: 'leaky-bucket', bucket: emptyLeakyBucket<T>(now) };
}

/** A request arrives: admitted now, queued (leaky bucket) or rejected. */
export function admit<T>(limiter: Limiter<T>, config: LimiterConfig, item: T, now: number): 'admitted' | 'queued' | 'rejected' {
  if (limiter.kind === 'token-bucket') return takeToken(limiter.bucket, config, now) ? 'admitted' : 'rejected';
  const result = offer(limiter.bucket, config, item, now);
  return result === 'pass' ? 'admitted' : result === 'queued' ? 'queued' : 'rejected';
}

/** Leaky bucket: the next queued request whose time has come. */
export function release<T>(limiter: Limiter<T>, config: LimiterConfig, now: number): T | undefined {
  return limiter.kind === 'leaky-bucket' ? leak(limiter.bucket, config, now) : undefined;
}

/** Leaky bucket: ms until the next queued request may pass; null when none waits (or a token bucket). */
export function nextReleaseIn<T>(limiter: Limiter<T>, now: number): number | null {
  return limiter.kind === 'leaky-bucket' ? msUntilLeak(limiter.bucket, now) : null;
}

/** Tokens in a token bucket (refilled to now), or requests waiting in a leaky bucket. */
export function level<T>(limiter: Limiter<T>, config: LimiterConfig, now: number): number {
  if (limiter.kind === 'leaky-bucket') return limiter.bucket.waiting.length;
  refill(limiter.bucket, config, now);
  return limiter.bucket.tokens;
}
