// The run view's numbers: latency quantiles per bucket, message rates, histogram bins,
// the time window, topology links, log filtering, experiment facts and summary checks.
import { describe, expect, it } from 'vitest';
import type { MessagePoint, OperationPoint, TrafficBucket } from '../../core/api/contract.js';
import { LatencyTracker, quantile } from '../../renderer/src/components/run/latency-series.js';
import { throughputSeries } from '../../renderer/src/components/run/throughput-series.js';
import { histogramBins, niceStep } from '../../renderer/src/components/run/histogram-bins.js';
import { axisMaxS, clampSpan, followSpan, spanFromZoom } from '../../renderer/src/components/run/time-window.js';
import { chartRelevance } from '../../renderer/src/components/run/chart-relevance.js';
import { LinkActivityTracker, cutLinks, ringPositions } from '../../renderer/src/components/topology/ring-layout.js';
import { filterLogs } from '../../renderer/src/components/logs/log-filter.js';
import { experimentFacts } from '../../renderer/src/components/run/experiment-facts.js';
import { checkLines, spreadText } from '../../renderer/src/components/run/summary-view.js';
import { formatClock, formatMs, formatCount } from '../../renderer/src/components/run/format.js';

describe('latency over time', () => {
  it('computes p50 and p99 per 500 ms bucket of invoke time, counting failures apart', () => {
    const ops: OperationPoint[] = [];
    for (let i = 1; i <= 100; i++) ops.push([i, i, 'ok', 'n1']);
    ops.push([600, 7, 'ok', 'n1'], [700, null, 'timeout', 'n2'], [800, 3, 'fail', 'n1']);
    const t = new LatencyTracker();
    t.update(ops);
    const s = t.series();
    expect(s.p50).toEqual([[0.25, 50], [0.75, 7]]);
    expect(s.p99).toEqual([[0.25, 99], [0.75, 7]]);
    expect(s.failures).toEqual([[0.75, 2]]);
    expect(s.totals).toEqual({ ok: 101, fail: 1, timeout: 1 });
    expect(s.overall?.max).toBe(100);
  });

  it('splits failures per second into error answers and timeouts, with the most common error', () => {
    const ops: OperationPoint[] = [
      [100, 2, 'fail', 'n1', 'not the leader (code 11)'],
      [200, 2, 'fail', 'n2', 'not the leader (code 11)'],
      [300, 2, 'fail', 'n2', 'key does not exist (code 20)'],
      [400, null, 'timeout', 'n3'],
      [900, 1, 'ok', 'n1'],
    ];
    const t = new LatencyTracker();
    t.update(ops);
    const s = t.series();
    expect(s.failedPerSec).toEqual([[0.25, 6]]);
    expect(s.timeoutsPerSec).toEqual([[0.25, 2]]);
    expect(s.reasons.get(0.25)).toEqual({ text: 'not the leader (code 11)', count: 2 });
    expect(s.reasons.has(0.75)).toBe(false);
  });

  it('adds only new operations on the next update, re-sorting the buckets they fall in', () => {
    const ops: OperationPoint[] = [[10, 5, 'ok', 'n1']];
    const t = new LatencyTracker();
    t.update(ops);
    ops.push([20, 1, 'ok', 'n1'], [30, 3, 'ok', 'n1']);
    t.update(ops);
    expect(t.series().p50).toEqual([[0.25, 3]]);
    expect(t.series().totals.ok).toBe(3);
    expect([...t.latencies()].sort()).toEqual([1, 3, 5]);
  });

  it('uses the nearest-rank quantile like the engine summary', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('throughput', () => {
  it('turns 100 ms buckets into per-second rates over the trailing second, idle steps as zero', () => {
    const traffic: TrafficBucket[] = [];
    for (let ms = 0; ms < 2000; ms += 100) traffic.push([ms, 10, 9, 1]);
    traffic.push([3000, 5, 5, 0]);
    const s = throughputSeries(traffic, 3100);
    expect(s.totals).toEqual({ sent: 205, delivered: 185, lost: 20 });
    const at = (x: number) => s.sent.find(([t]) => Math.abs(t - x) < 1e-9)?.[1];
    expect(at(0.1)).toBeCloseTo(100); // 10 messages in the first 0.1 s
    expect(at(1.0)).toBeCloseTo(100);
    expect(at(2.0)).toBeCloseTo(100);
    expect(at(2.5)).toBeCloseTo(50);
    expect(at(3.0)).toBeCloseTo(0);
    expect(at(3.1)).toBeCloseTo(5);
    expect(s.lost.find(([t]) => t === 1)?.[1]).toBeCloseTo(10);
    expect(s.peakSentPerSec).toBeCloseTo(100);
  });

  it('leaves out a bucket that may still be filling', () => {
    const s = throughputSeries([[0, 10, 10, 0], [100, 4, 4, 0]], 150);
    expect(s.sent).toHaveLength(1);
    expect(s.totals.sent).toBe(14);
  });
});

describe('latency histogram', () => {
  it('bins the bulk with a round width and folds the slow tail into one bin', () => {
    expect(niceStep(0.37)).toBe(0.5);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(12)).toBe(20);
    const values = Float64Array.from([...Array.from({ length: 999 }, (_, i) => (i % 30) + 1), 5000]).sort();
    const bins = histogramBins(values);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(1000);
    const tail = bins[bins.length - 1];
    expect(tail.toMs).toBe(Infinity);
    expect(tail.count).toBe(1);
    expect(bins.length).toBeLessThan(40);
    expect(histogramBins([])).toEqual([]);
    expect(histogramBins([4, 4, 4])).toEqual([{ fromMs: 4, toMs: expect.any(Number), count: 3 }]);
  });
});

describe('time window', () => {
  it('follows the newest 30 s, or shows all of a shorter run', () => {
    expect(axisMaxS(20_000, 5_000)).toBe(20);
    expect(axisMaxS(20_000, 21_000)).toBe(20);
    expect(axisMaxS(20_000, 25_300)).toBe(26);
    expect(axisMaxS(22_500, 22_846.878)).toBe(23);
    expect(axisMaxS(4_210, 0)).toBe(4.3);
    expect(followSpan(5_000, 20)).toEqual({ startS: 0, endS: 20 });
    expect(followSpan(5_000, 60)).toEqual({ startS: 0, endS: 30 });
    expect(followSpan(45_000, 60)).toEqual({ startS: 15, endS: 45 });
    expect(clampSpan({ startS: -5, endS: 5 }, 60)).toEqual({ startS: 0, endS: 10 });
    expect(clampSpan({ startS: 55, endS: 70 }, 60)).toEqual({ startS: 45, endS: 60 });
  });

  it('reads a zoom event as values or as percentages of the axis', () => {
    expect(spanFromZoom({ start: 25, end: 50 }, 40)).toEqual({ startS: 10, endS: 20 });
    expect(spanFromZoom({ batch: [{ startValue: 3, endValue: 9 }] }, 40)).toEqual({ startS: 3, endS: 9 });
    expect(spanFromZoom({}, 40)).toBeNull();
  });
});

describe('chart relevance', () => {
  it('shows the protocol charts once the run has their data, and keeps them shown', () => {
    const empty = { operations: [], events: [], metrics: [] };
    expect(chartRelevance(empty, null)).toEqual({ latency: false, heartbeats: false, leadership: false, lag: false, sharding: false, throttle: false });
    const r = chartRelevance({ operations: [1], events: [[1, 'n1', 'role', {}]], metrics: [[1, 'n1', 'suspicion.n2', 0.5]] }, null);
    expect(r).toEqual({ latency: true, heartbeats: true, leadership: true, lag: false, sharding: false, throttle: false });
    expect(chartRelevance(empty, r)).toEqual(r);
  });

  it('shows the ring and keys per node once a node reports its ring, not for other states', () => {
    const other = chartRelevance({ operations: [], events: [[1, 'n1', 'state', { key: 'vclock', value: {} }]], metrics: [] }, null);
    expect(other.sharding).toBe(false);
    const sharded = chartRelevance({ operations: [], events: [[1, 'n1', 'state', { key: 'ring', value: { members: ['n1'] } }]], metrics: [] }, null);
    expect(sharded.sharding).toBe(true);
  });
});

describe('topology', () => {
  const nodes = new Set(['n1', 'n2', 'n3']);

  it('places nodes on a ring starting at the top', () => {
    const p = ringPositions(['n1', 'n2', 'n3', 'n4'], 100, 100, 50);
    expect(p.get('n1')).toEqual({ x: 100, y: 50 });
    expect(p.get('n2')!.x).toBeCloseTo(150);
  });

  it('folds blocked pairs into partitioned and one-way links, ignoring clients', () => {
    const links = cutLinks([['n1', 'n2'], ['n2', 'n1'], ['n3', 'n1'], ['c1', 'n1']], nodes);
    expect(links).toEqual([
      { a: 'n1', b: 'n2', direction: 'both' },
      { a: 'n1', b: 'n3', direction: 'b->a' },
    ]);
  });

  it('counts traffic per pair in the last second, with what was dropped, as messages arrive', () => {
    const msgs: MessagePoint[] = [
      [1, 'n1', 'n2', 'ping', 100, 101, 'delivered', null],
      [2, 'n1', 'n2', 'ping', 1500, 1501, 'delivered', null],
      [3, 'n2', 'n1', 'pong', 1600, null, 'lost', null],
      [4, 'c1', 'n1', 'echo', 1700, 1701, 'delivered', null],
      [5, 'n3', 'n1', 'ping', 1800, null, 'partitioned', null],
    ];
    const t = new LinkActivityTracker(1000);
    expect(t.update(msgs, 2000, nodes)).toEqual([
      { a: 'n1', b: 'n2', count: 2, dropped: 1 },
      { a: 'n1', b: 'n3', count: 1, dropped: 1 },
    ]);
    msgs.push([6, 'n2', 'n3', 'ping', 2700, 2701, 'delivered', null]);
    expect(t.update(msgs, 2750, nodes)).toEqual([
      { a: 'n1', b: 'n3', count: 1, dropped: 1 },
      { a: 'n2', b: 'n3', count: 1, dropped: 0 },
    ]);
    expect(t.update(msgs, 4000, nodes)).toEqual([]);
  });
});

describe('logs', () => {
  it('filters by node, stream and text, newest last, up to a limit', () => {
    const logs = [
      [1, 'n1', 'stderr', 'starting'],
      [2, 'n2', 'stderr', 'Elected leader'],
      [3, 'n1', 'stdout', 'not json'],
      [4, 'n1', 'stderr', 'leader is n2'],
    ] as Array<[number, string, string, string]>;
    expect(filterLogs(logs, { node: 'n1', stream: '', text: '' }, 10).map((l) => l[0])).toEqual([1, 3, 4]);
    expect(filterLogs(logs, { node: '', stream: 'stderr', text: 'LEADER' }, 10).map((l) => l[0])).toEqual([2, 4]);
    expect(filterLogs(logs, { node: '', stream: '', text: '' }, 2).map((l) => l[0])).toEqual([3, 4]);
  });
});

describe('experiment facts and the summary', () => {
  it('reads the duration and node ids of the run experiment', () => {
    expect(experimentFacts('name: x\nduration: 10s\nnodes: { count: 3, program: raft }\nworkload: { kind: kv }\n')).toEqual({ durationMs: 10_000, nodes: ['n1', 'n2', 'n3'], hasWorkload: true, lesson: null });
    expect(experimentFacts('{ "duration": 500, "nodes": { "count": 1, "command": ["python3", "x.py"] } }')).toEqual({ durationMs: 500, nodes: ['n1'], hasWorkload: false, lesson: null });
    expect(experimentFacts('duration: soon\nnodes: { count: -2 }')).toEqual({ durationMs: null, nodes: [], hasWorkload: false, lesson: null });
    expect(experimentFacts('name: x\nduration: 1s\nnodes: { count: 1, program: echo }\nlesson: >\n  Watch the\n  echo.\n').lesson).toBe('Watch the echo.');
    expect(experimentFacts(': not yaml :')).toEqual({ durationMs: null, nodes: [], hasWorkload: false, lesson: null });
  });

  it('lists checks with their numbers and a few examples of violations', () => {
    const lines = checkLines({
      'leader-per-term': { valid: true, terms: 3 },
      'causal-delivery': { valid: false, duplicates: 2, violations: [{ kind: 'duplicate' }, { kind: 'duplicate' }, { kind: 'x' }, { kind: 'y' }] },
    });
    expect(lines[0]).toEqual({ name: 'leader-per-term', valid: true, unknown: false, result: { valid: true, terms: 3 }, numbers: 'terms 3', examples: [], exampleOps: [] });
    expect(lines[1].numbers).toBe('duplicates 2');
    expect(lines[1].examples).toEqual(['violations: {"kind":"duplicate"}', 'violations: {"kind":"duplicate"}', 'violations: {"kind":"x"}', '…and 1 more violations']);
    expect(spreadText({ p50: 12.34, p99: 250.6, max: 300 })).toBe('p50 12.3 · p99 251 · max 300 ms');
    expect(spreadText(null)).toBe('–');
  });

  it('formats times and counts for people', () => {
    expect(formatClock(65_300)).toBe('1:05.3');
    expect(formatMs(0.456)).toBe('0.46 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatCount(12_345)).toBe('12.3k');
  });
});
