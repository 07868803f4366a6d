import { describe, expect, it } from 'vitest';
import { deriveThrottle } from '../../renderer/src/components/charts/derive/throttle.js';
import { bucketAt, fillFraction, isBucketReport, levelText } from '../../renderer/src/components/inspector/node-bucket.js';
import { chartRelevance } from '../../renderer/src/components/run/chart-relevance.js';
import type { MetricPoint, OperationPoint } from '../../core/api/contract.js';

describe('throttle chart series', () => {
  it('differences each node\'s counters per second and sums the nodes; attempts come from the record; a partial second waits', () => {
    const metrics: MetricPoint[] = [
      [0, 'n1', 'throttle.limit', 10],
      [0, 'n2', 'throttle.limit', 10],
      [500, 'n1', 'throttle.accepted', 8],
      [900, 'n1', 'throttle.rejected', 3],
      [900, 'n2', 'throttle.accepted', 7],
      [1500, 'n1', 'throttle.accepted', 18],
      [1600, 'n2', 'throttle.accepted', 2], // n2 restarted: counts from 0 again
      [1700, 'n1', 'throttle.tokens', 0.5],
      [2100, 'n1', 'throttle.accepted', 30],
    ];
    const ops: OperationPoint[] = [[100, 5, 'ok', 'n1'], [200, 1, 'fail', 'n1', 'rate limited (code 11)'], [1200, 5, 'ok', 'n2'], [2100, 5, 'ok', 'n1']];
    const s = deriveThrottle(metrics, ops, 2500);
    expect(s.accepted).toEqual([[0, 15], [1, 12]]);
    expect(s.rejected).toEqual([[0, 3], [1, 0]]);
    expect(s.attempts).toEqual([[0, 2], [1, 1]]);
    expect(s.limit).toBe(20);
    expect(s.levelKind).toBe('tokens');
    expect(s.levels.get('n1')).toEqual([[1.7, 0.5]]);
  });

  it('per-client limits have no single limit line', () => {
    expect(deriveThrottle([[100, 'n1', 'throttle.queue', 2]], [], 1000)).toMatchObject({ limit: null, levelKind: 'queue' });
  });

  it('the chart is shown once a run has a throttle metric, and only then', () => {
    expect(chartRelevance({ operations: [], events: [], metrics: [[0, 'n1', 'applied_index', 1]] }, null).throttle).toBe(false);
    expect(chartRelevance({ operations: [], events: [], metrics: [[0, 'n1', 'throttle.tokens', 5]] }, null).throttle).toBe(true);
  });

  it("the inspector and the topology read each node's latest bucket at a moment", () => {
    const bucket = (level: number) => ({ key: 'bucket', value: { limiter: 'token-bucket', scope: 'global', rate: 10, capacity: 5, level, accepted: 3, rejected: 1 } });
    const events: Array<[number, string, string, unknown]> = [
      [100, 'n1', 'state', bucket(5)],
      [150, 'n1', 'recv', {}],
      [200, 'n2', 'state', bucket(1)],
      [300, 'n1', 'state', bucket(0.5)],
    ];
    const reports = events.filter(isBucketReport);
    expect(reports).toHaveLength(3);
    expect(bucketAt('n1', reports, 250)).toMatchObject({ atMs: 100, bucket: { level: 5 } });
    const latest = bucketAt('n1', reports, Infinity)!.bucket;
    expect(levelText(latest)).toBe('0.5 of 5 tokens');
    expect(fillFraction(latest)).toBe(0.1);
    expect(bucketAt('n3', reports, Infinity)).toBeNull();
    const perClient = { limiter: 'leaky-bucket' as const, scope: 'per-client' as const, rate: 1, capacity: 4, levels: { c1: 1, c2: 3 }, accepted: 0, rejected: 0 };
    expect(levelText(perClient)).toBe('3 of 4 waiting (c2, of 2 clients)');
  });
});
