import { describe, expect, it } from 'vitest';
import { formatTick, makeLayout, msOf, timeTicks, xOf } from '../../renderer/src/components/charts/space-time/geometry.js';
import { numericParam, programOfExperiment } from '../../renderer/src/components/charts/derive/experiment-program.js';
import { compareNodeIds, sortNodeIds } from '../../renderer/src/components/charts/derive/node-order.js';
import { formatDuration, niceCeil } from '../../renderer/src/components/charts/derive/chart-format.js';
import { falseSuspicions, type PairTrack } from '../../renderer/src/components/charts/derive/suspicion.js';
import { partitionPeriods } from '../../renderer/src/components/charts/derive/down-periods.js';
import { medianFlightMs, thinForDrawing } from '../../renderer/src/components/charts/derive/message-window.js';
import { WindowData } from '../../renderer/src/components/charts/space-time/window-data.js';
import type { MessagePoint } from '../../core/api/contract.js';

describe('space-time geometry', () => {
  const layout = makeLayout(1052, 400, ['n1', 'n2', 'n3'], 1000, 3000);

  it('maps time to x and back, and spreads the lanes evenly', () => {
    expect(xOf(layout, 1000)).toBe(layout.left);
    expect(xOf(layout, 3000)).toBe(layout.right);
    expect(msOf(layout, xOf(layout, 2345))).toBeCloseTo(2345, 9);
    const ys = ['n1', 'n2', 'n3'].map((n) => layout.laneY.get(n)!);
    expect(ys[1] - ys[0]).toBeCloseTo(ys[2] - ys[1], 9);
    expect(ys[2]).toBeLessThan(layout.bottom);
  });

  it('picks 1-2-5 tick steps and labels them with just enough decimals', () => {
    expect(timeTicks(1000, 3000, 8)).toEqual({ step: 500, ticks: [1000, 1500, 2000, 2500, 3000] });
    expect(timeTicks(1000, 3000, 12).step).toBe(200);
    expect(timeTicks(11_900, 12_000, 5).step).toBe(20);
    expect(formatTick(1500, 500)).toBe('1.5 s');
    expect(formatTick(11_920, 20)).toBe('11.92 s');
    expect(formatTick(4000, 1000)).toBe('4 s');
  });
});

describe('run program and small formatters', () => {
  it('reads the program and its parameters from YAML or JSON experiment text', () => {
    const yaml = 'name: x\nnodes:\n  count: 5\n  program: phi-accrual\n  params: { threshold: 5 }\n';
    expect(programOfExperiment(yaml)).toEqual({ program: 'phi-accrual', params: { threshold: 5 } });
    expect(programOfExperiment('{"nodes":{"command":["python3","x.py"]}}')).toEqual({ program: null, params: {} });
    expect(programOfExperiment(': not yaml :')).toEqual({ program: null, params: {} });
    const defaults = [{ name: 'threshold', default: 8 }];
    expect(numericParam(programOfExperiment(yaml), 'threshold', defaults)).toBe(5);
    expect(numericParam({ program: 'phi-accrual', params: {} }, 'threshold', defaults)).toBe(8);
  });

  it('sorts node ids as people count, nodes before clients', () => {
    expect(sortNodeIds(['c2', 'n10', 'n2', 'c1', 'n1', 'n2'])).toEqual(['n1', 'n2', 'n10', 'c1', 'c2']);
    expect(compareNodeIds('n9', 'n10')).toBeLessThan(0);
  });

  it('rounds axis ends and durations readably', () => {
    expect(niceCeil(10.4)).toBe(15);
    expect(niceCeil(2.6)).toBe(3);
    expect(niceCeil(20)).toBe(20);
    expect(formatDuration(153.4)).toBe('153 ms');
    expect(formatDuration(0.04)).toBe('0.04 ms');
    expect(formatDuration(1250)).toBe('1.25 s');
  });
});

describe('false suspicions', () => {
  it('counts suspicions of peers that were up, once per suspect → dead episode', () => {
    const tracks: PairTrack[] = [
      { peer: 'n2', suspicion: [], heartbeats: [], intervals: [
        { fromMs: 100, toMs: 200, state: 'suspect' },
        { fromMs: 200, toMs: 300, state: 'dead' },
        { fromMs: 900, toMs: 950, state: 'suspect' },
      ] },
      { peer: 'n3', suspicion: [], heartbeats: [], intervals: [{ fromMs: 500, toMs: 800, state: 'suspect' }] },
    ];
    // n3 was paused from 400: suspecting it was right.
    expect(falseSuspicions(tracks, (node, ms) => node === 'n3' && ms >= 400)).toEqual({ count: 2, duringPartition: 0 });
    expect(falseSuspicions(tracks, () => false, (ms) => ms >= 800)).toEqual({ count: 3, duringPartition: 1 });
  });
});

describe('partition periods', () => {
  it('runs from a partition or cut to the next heal, or to the end', () => {
    expect(
      partitionPeriods(
        [
          [900, 'cut', {}, 'live'],
          [100, 'partition-pattern', { pattern: 'majority' }, 'schedule'],
          [300, 'heal', {}, 'schedule'],
          [500, 'kill', { nodes: ['n1'] }, 'live'],
        ],
        1000,
      ),
    ).toEqual([
      { fromMs: 100, toMs: 300 },
      { fromMs: 900, toMs: 1000 },
    ]);
  });
});

describe('following the model arrays incrementally', () => {
  it('looks only at appended items, survives trimming at the front, and starts over on a new array', async () => {
    const { FilteredTail } = await import('../../renderer/src/components/charts/derive/incremental.js');
    const seen: number[] = [];
    const tail = new FilteredTail<{ v: number }>((x) => {
      seen.push(x.v);
      return x.v % 2 === 0;
    });
    const source = [1, 2, 3, 4].map((v) => ({ v }));
    expect(tail.sync(source)).toBe(true);
    expect(tail.items.map((x) => x.v)).toEqual([2, 4]);
    source.push({ v: 5 }, { v: 6 });
    expect(tail.sync(source)).toBe(false);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    // Capped: two dropped at the front, one appended.
    source.push({ v: 8 });
    source.splice(0, 2);
    expect(tail.sync(source)).toBe(false);
    expect(seen.slice(6)).toEqual([8]);
    expect(tail.items.map((x) => x.v)).toEqual([2, 4, 6, 8]);
    expect(tail.sync([{ v: 10 }])).toBe(true);
    expect(tail.items.map((x) => x.v)).toEqual([10]);
  });

  it('spaces out expensive redraws', async () => {
    const { RedrawBudget } = await import('../../renderer/src/components/charts/derive/incremental.js');
    const budget = new RedrawBudget(0.2);
    expect(budget.waitMs(0)).toBe(0);
    budget.spent(100, 10); // 10 ms of work may take a fifth of the time: next at 140
    expect(budget.waitMs(110)).toBe(30);
    expect(budget.waitMs(150)).toBe(0);
  });
});

describe('what the space-time diagram draws while it follows a busy run', () => {
  const message = (id: number, sendMs: number, fate: MessagePoint[6] = 'delivered'): MessagePoint => [id, 'n1', 'n2', 'x', sendMs, fate === 'delivered' ? sendMs + 5 : null, fate, id];

  it('keeps every message that was not simply delivered, and an even spread of the rest, with their places', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => message(i, i, i % 100 === 7 ? 'lost' : 'delivered'));
    const { messages: kept, indices } = thinForDrawing(messages, 110);
    expect(kept.filter((m) => m[6] === 'lost')).toHaveLength(10);
    expect(kept.length).toBeGreaterThanOrEqual(105);
    expect(kept.length).toBeLessThanOrEqual(111);
    kept.forEach((m, k) => expect(messages[indices![k]]).toBe(m));
    const gaps = kept.filter((m) => m[6] === 'delivered').map((m, k, all) => (k ? m[4] - all[k - 1][4] : 10));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(11);
  });

  it('keeps them all, with no index map, when there are few', () => {
    const messages = [message(1, 1), message(2, 2)];
    expect(thinForDrawing(messages, 400)).toEqual({ messages, indices: null });
  });

  it('takes the median flight from a spread of the messages', () => {
    const messages = Array.from({ length: 10_000 }, (_, i) => message(i, i));
    expect(medianFlightMs(messages, 99)).toBe(5);
    expect(medianFlightMs([], 99)).toBe(99);
  });

  it('cuts a live window from the end of the sample alone, and finds the same messages as from all of it', () => {
    // A live sample: in send order but for late fates, which come up to ~1 s out of order.
    const sample = Array.from({ length: 20_000 }, (_, i) => message(i, i * 2 + (i % 50 === 0 ? -900 : 0)));
    const full = new WindowData().cut(sample, 1, 38_000, 40_000);
    const tail = new WindowData().cut(sample, 1, 38_000, 40_000, true);
    expect(tail.messages.map((m) => m[0])).toEqual(full.messages.map((m) => m[0]));
  });
});
