import { describe, it, expect } from 'vitest';
import { LiveAggregator, LOG_LINES_PER_INCREMENT, MESSAGE_SAMPLE_SIZE, senderLamport, type LiveSource } from '../../core/api/live-aggregator.js';
import type { RunData } from '../../core/api/contract.js';
import type { MessageFate } from '../../core/store/schema.js';
import { createRng } from '../../core/engine/prng.js';

function fakeRun(nowUs = 0): LiveSource & { now: number } {
  return {
    now: nowUs,
    runId: () => 7,
    nowUs() {
      return this.now;
    },
    nodeStates: () => ({ n1: 'up', n2: 'paused' }),
    blockedLinks: () => [['n1', 'n2']],
  };
}

function aggregator(source = fakeRun()) {
  const emitted: RunData[] = [];
  const rng = createRng(1, 'test');
  const agg = new LiveAggregator(source, (data) => emitted.push(data), { random: () => rng.next() });
  return { agg, emitted, source };
}

function message(agg: LiveAggregator, id: number, tSendUs: number, fate: MessageFate, dupOf: number | null = null, body = `{"type":"echo","lamport":${id}}`) {
  agg.message(id, 'n1', 'n2', 'echo', body, body.length, tSendUs, fate === 'lost' ? null : tSendUs + 500, fate, dupOf, fate === 'corrupted');
}

describe('clocks carried by a message body', () => {
  it('reads the vector clock the runtime appends, the top-level one when the payload nests another', async () => {
    const { senderVector } = await import('../../core/api/live-aggregator.js');
    expect(senderVector('{"type":"gossip","lamport":3,"vc":{"n4":3,"n1":1}}')).toEqual({ n4: 3, n1: 1 });
    expect(senderVector('{"type":"fwd","inner":{"vc":{"n2":9}},"lamport":5,"vc":{"n1":2}}')).toEqual({ n1: 2 });
    expect(senderVector('{"type":"broadcast","message":1}')).toBeNull();
  });
});

describe('LiveAggregator', () => {
  it('counts traffic per 100 ms bucket with the contract’s definitions of sent, delivered and lost', () => {
    const { agg } = aggregator();
    // Bucket 0 (0–99.999 ms): every fate once; the duplicate copy is not a send.
    // The third is an extra copy of the first, delivered; in-flight-at-end is not delivered.
    const fates: MessageFate[] = ['delivered', 'corrupted', 'delivered', 'lost', 'partitioned', 'overflow', 'undeliverable', 'in-flight-at-end'];
    fates.forEach((fate, i) => message(agg, i + 1, i * 1000, fate, i === 2 ? 1 : null));
    // Bucket 3 (300 ms), then back to bucket 0: a late fate of an early send.
    message(agg, 20, 300_000, 'delivered');
    message(agg, 21, 99_999, 'delivered');
    const data = agg.take();
    expect(data.traffic).toEqual([
      [0, 8, 4, 5],
      [300, 1, 1, 0],
    ]);
    expect(data.runId).toBe(7);
    expect(data.nodes).toEqual({ n1: 'up', n2: 'paused' });
    expect(data.blocked).toEqual([['n1', 'n2']]);
  });

  it('emits only what is new: a bucket seen again later carries only the new counts', () => {
    const { agg } = aggregator();
    message(agg, 1, 10_000, 'delivered');
    message(agg, 2, 20_000, 'lost');
    expect(agg.take().traffic).toEqual([[0, 2, 1, 1]]);
    // A delayed delivery of a message sent in bucket 0 arrives after the first increment.
    message(agg, 3, 50_000, 'delivered');
    const second = agg.take();
    expect(second.traffic).toEqual([[0, 1, 1, 0]]);
    expect(second.messages.map((m) => m[0])).toEqual([3]);
    const third = agg.take();
    expect(third.traffic).toEqual([]);
    expect(third.messages).toEqual([]);
    expect(third.operations).toEqual([]);
  });

  it('keeps every message when there are few, and a uniform sample of at most MESSAGE_SAMPLE_SIZE (100) otherwise', () => {
    const { agg } = aggregator();
    expect(MESSAGE_SAMPLE_SIZE).toBe(100);
    for (let i = 1; i <= 80; i++) message(agg, i, i * 100, 'delivered');
    const few = agg.take().messages;
    expect(few).toHaveLength(80);
    expect(few[0]).toEqual([1, 'n1', 'n2', 'echo', 0.1, 0.6, 'delivered', 1, null, null]);

    const N = 100_000;
    for (let i = 1; i <= N; i++) message(agg, i, i * 10, i % 2 ? 'delivered' : 'lost');
    const many = agg.take();
    expect(many.messages).toHaveLength(MESSAGE_SAMPLE_SIZE);
    const ids = many.messages.map((m) => m[0]);
    expect(new Set(ids).size).toBe(MESSAGE_SAMPLE_SIZE);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Uniform over the interval: the mean id of 100 uniform picks from 1..N is N/2 with
    // sd N/sqrt(12·100) ≈ 0.029 N, so ±0.12 N is over 4 sd. Each half of the stream holds a fair share (50 ± 5).
    const mean = ids.reduce((a, b) => a + b, 0) / ids.length;
    expect(Math.abs(mean - N / 2)).toBeLessThan(0.12 * N);
    const firstHalf = ids.filter((id) => id <= N / 2).length;
    expect(firstHalf).toBeGreaterThan(28);
    expect(firstHalf).toBeLessThan(72);
    // Lost messages have no delivery time, and the traffic still counts all of them.
    for (const m of many.messages) expect(m[5] === null).toBe(m[6] === 'lost');
    const totals = many.traffic.reduce((sum, b) => [sum[0] + b[1], sum[1] + b[2], sum[2] + b[3]], [0, 0, 0]);
    expect(totals).toEqual([N, N / 2, N / 2]);
  });

  it('reads the sender’s Lamport clock from the body, the top-level one when the payload nests another', () => {
    expect(senderLamport('{"type":"echo","msg_id":1,"lamport":42,"vc":{"n1":3}}')).toBe(42);
    expect(senderLamport('{"type":"fwd","inner":{"lamport":3},"lamport":9,"vc":{}}')).toBe(9);
    expect(senderLamport('{"type":"echo"}')).toBeNull();
    expect(senderLamport('{"type":"x","lamport":null}')).toBeNull();
  });

  it('passes operations, faults and node events on, without the bulky recv events', () => {
    const { agg } = aggregator();
    agg.operation('c1', 'n1', 'echo', 1000, 3500, 'ok', null);
    agg.operation('c1', 'n2', 'echo', 2000, 600_000, 'timeout', null);
    agg.operation('c2', 'n3', 'write', 3000, 4000, 'fail', { code: 11 });
    agg.fault(5000, 'kill', { nodes: ['n2'] }, 'live');
    agg.event(6000, 'n1', 'recv', { from: 'n2' }, 4, { n1: 4 });
    agg.event(7000, 'n1', 'suspect', { peer: 'n2', phi: 9.1 }, 5, { n1: 5 });
    agg.event(8000, 'n3', 'state', { key: 'role', value: 'leader' });
    const data = agg.take();
    expect(data.operations).toEqual([
      [1, 2.5, 'ok', 'n1'],
      [2, null, 'timeout', 'n2'],
      // A failure carries its reason: Maelstrom's name for the code when the node gave no text.
      [3, 1, 'fail', 'n3', 'temporarily unavailable (code 11)'],
    ]);
    expect(data.faults).toEqual([[5, 'kill', { nodes: ['n2'] }, 'live']]);
    expect(data.events).toEqual([
      [7, 'n1', 'suspect', { peer: 'n2', phi: 9.1 }],
      [8, 'n3', 'state', { key: 'role', value: 'leader' }],
    ]);
  });

  it('keeps at most one metric sample per series per 50 ms', () => {
    const { agg } = aggregator();
    // Two series at one sample per 10 ms for a second; another node's series is independent.
    for (let t = 0; t < 1_000_000; t += 10_000) {
      agg.metric(t, 'n1', 'phi', t / 1e6);
      agg.metric(t, 'n1', 'lag', 1);
      agg.metric(t + 5000, 'n2', 'phi', 2);
    }
    const metrics = agg.take().metrics;
    for (const [node, name] of [['n1', 'phi'], ['n1', 'lag'], ['n2', 'phi']]) {
      const times = metrics.filter((m) => m[1] === node && m[2] === name).map((m) => m[0]);
      expect(times).toHaveLength(20);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(50);
    }
    expect(metrics[0]).toEqual([0, 'n1', 'phi', 0]);
    // The spacing holds across increments too: the last n1 phi sample kept was at 950 ms.
    agg.metric(990_000, 'n1', 'phi', 5);
    agg.metric(1_000_000, 'n1', 'phi', 6);
    expect(agg.take().metrics).toEqual([[1000, 'n1', 'phi', 6]]);
  });

  it('bounds the log lines of an increment and says how many more the recording has', () => {
    const { agg } = aggregator();
    for (let i = 0; i < 1000; i++) agg.log(i * 10, 'n1', 'stderr', `line ${i}`);
    const logs = agg.take().logs;
    expect(logs).toHaveLength(LOG_LINES_PER_INCREMENT + 1);
    expect(logs[0]).toEqual([0, 'n1', 'stderr', 'line 0']);
    expect(logs[LOG_LINES_PER_INCREMENT - 1][3]).toBe(`line ${LOG_LINES_PER_INCREMENT - 1}`);
    expect(logs[LOG_LINES_PER_INCREMENT][2]).toBe('engine');
    expect(logs[LOG_LINES_PER_INCREMENT][3]).toMatch(/^800 more log lines/);
    agg.log(20_000, 'n2', 'stdout', 'after');
    expect(agg.take().logs).toEqual([[20, 'n2', 'stdout', 'after']]);
  });

  it('emits about 20 increments a second while started, then one last increment on stop', async () => {
    const source = fakeRun(0);
    const { agg, emitted } = aggregator(source);
    agg.start();
    message(agg, 1, 1000, 'delivered');
    await new Promise((resolve) => setTimeout(resolve, 330));
    const whileRunning = emitted.length;
    // 330 ms at 50 ms: 6 increments, give or take a timer's slack on a busy machine.
    expect(whileRunning).toBeGreaterThanOrEqual(3);
    expect(whileRunning).toBeLessThanOrEqual(7);
    expect(emitted[0].traffic).toEqual([[0, 1, 1, 0]]);
    source.now = 400_000;
    message(agg, 2, 390_000, 'lost');
    agg.stop();
    expect(emitted).toHaveLength(whileRunning + 1);
    const last = emitted[emitted.length - 1];
    expect(last.untilMs).toBe(400);
    expect(last.traffic).toEqual([[300, 1, 0, 1]]);
    // Stopped means stopped: no more increments, and stop is idempotent.
    agg.stop();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(emitted).toHaveLength(whileRunning + 1);
  });

  it('handles 100k messages a second of hot-path calls in a few milliseconds', () => {
    const { agg } = aggregator();
    const body = '{"type":"flood","n":1,"lamport":5,"vc":{"n1":5}}';
    const started = performance.now();
    for (let i = 1; i <= 100_000; i++) agg.message(i, 'n1', 'n2', 'flood', body, body.length, i * 10, i * 10 + 200, 'delivered', null, false);
    const elapsedMs = performance.now() - started;
    const data = agg.take();
    expect(data.messages).toHaveLength(MESSAGE_SAMPLE_SIZE);
    expect(data.traffic.reduce((sum, b) => sum + b[1], 0)).toBe(100_000);
    // One second of a 100k msgs/s run must cost a small fraction of a second of CPU.
    expect(elapsedMs).toBeLessThan(100);
  });
});
