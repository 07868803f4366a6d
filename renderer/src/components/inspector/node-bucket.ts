// A rate limiter node's bucket as its program last reported it (the `bucket` state of
// rate-limited-service), at a moment of the run, in words for the inspector and the topology.
import type { NodeEventPoint } from '../../../../core/api/contract.js';
import { upperBound } from '../charts/derive/search.js';

export interface BucketState {
  limiter: 'token-bucket' | 'leaky-bucket';
  scope: 'global' | 'per-client';
  rate: number;
  capacity: number;
  /** Global scope: tokens left, or requests waiting. */
  level?: number;
  /** Per client: each client's level. */
  levels?: Record<string, number>;
  accepted: number;
  rejected: number;
  /** Distributed: the node's estimate of the cluster's admissions in the last second, and the peers it hears. */
  globalEstimate?: number;
  peersHeard?: number;
}

/** The events bucketAt reads: keep them with a FilteredTail, so a view never scans every event. */
export function isBucketReport(e: NodeEventPoint): boolean {
  return e[2] === 'state' && (e[3] as { key?: unknown } | null)?.key === 'bucket';
}

/** The node's latest bucket at `atMs`, from the bucket reports (isBucketReport) in time order. */
export function bucketAt(node: string, reports: readonly NodeEventPoint[], atMs: number): { bucket: BucketState; atMs: number } | null {
  const end = upperBound(reports, atMs, (e) => e[0]);
  for (let i = end - 1; i >= 0; i--) {
    const [ms, who, kind, data] = reports[i];
    const d = data as { key?: unknown; value?: unknown } | null;
    if (who === node && kind === 'state' && d?.key === 'bucket' && isBucket(d.value)) return { bucket: d.value, atMs: ms };
  }
  return null;
}

/** "3.2 of 5 tokens" or "2 of 5 waiting"; per client, the emptiest client's. */
export function levelText(b: BucketState): string {
  const unit = b.limiter === 'token-bucket' ? 'tokens' : 'waiting';
  if (b.level !== undefined) return `${b.level} of ${b.capacity} ${unit}`;
  const entries = Object.entries(b.levels ?? {});
  if (entries.length === 0) return `${b.limiter === 'token-bucket' ? b.capacity : 0} of ${b.capacity} ${unit}`;
  const [client, value] = entries.reduce((worst, e) => (b.limiter === 'token-bucket' ? e[1] < worst[1] : e[1] > worst[1]) ? e : worst);
  return `${value} of ${b.capacity} ${unit} (${client}, of ${entries.length} clients)`;
}

/** The bucket's fill, 0 to 1: tokens left of the burst, or places taken in the queue. */
export function fillFraction(b: BucketState): number | null {
  if (b.level === undefined || b.capacity <= 0) return null;
  return Math.max(0, Math.min(1, b.level / b.capacity));
}

function isBucket(value: unknown): value is BucketState {
  const v = value as Partial<BucketState> | null;
  return typeof v === 'object' && v !== null && typeof v.limiter === 'string' && typeof v.capacity === 'number' && typeof v.accepted === 'number';
}
