import { describe, expect, it } from 'vitest';
import { fullTokenBucket, refill, takeToken } from '../../../core/protocols/throttle/token-bucket.js';
import { emptyLeakyBucket, leak, msUntilLeak, offer } from '../../../core/protocols/throttle/leaky-bucket.js';
import { estimatedGlobal, globalAllows, newEstimate, onPeerCounts, recordAdmission } from '../../../core/protocols/throttle/global-estimate.js';
import { rateLimitedService } from '../../../core/protocols/throttle/rate-limited-service.js';
import { checkProgramParams } from '../../../core/experiment/params.js';
import { createSim } from './sim.js';

describe('token bucket', () => {
  const limits = { rate: 10, burst: 3 };

  it('an empty bucket rejects until a whole token has refilled', () => {
    const b = { tokens: 0, at: 0 };
    expect(takeToken(b, limits, 0)).toBe(false);
    expect(takeToken(b, limits, 99)).toBe(false);
    expect(b.tokens).toBeCloseTo(0.99, 9);
    expect(takeToken(b, limits, 100)).toBe(true);
    expect(b.tokens).toBeCloseTo(0, 9);
  });

  it('exactly one token admits one request and leaves the bucket empty', () => {
    const b = { tokens: 1, at: 0 };
    expect(takeToken(b, limits, 0)).toBe(true);
    expect(b.tokens).toBe(0);
    expect(takeToken(b, limits, 0)).toBe(false);
  });

  it('a full bucket admits a burst of `burst`, then rejects', () => {
    const b = fullTokenBucket(limits, 0);
    expect([1, 2, 3, 4].map(() => takeToken(b, limits, 0))).toEqual([true, true, true, false]);
  });

  it('refill caps at the burst however long the bucket stood idle', () => {
    const b = { tokens: 1, at: 0 };
    refill(b, limits, 60_000);
    expect(b.tokens).toBe(3);
  });

  it('fractional refills add up over time: a third of a token three times is one', () => {
    const b = { tokens: 0, at: 0 };
    const slow = { rate: 3, burst: 1 };
    refill(b, slow, 111);
    refill(b, slow, 222);
    expect(takeToken(b, slow, 333)).toBe(false);
    expect(takeToken(b, slow, 1000 / 3)).toBe(true);
  });

  it('a clock that goes back adds nothing', () => {
    const b = { tokens: 0.5, at: 100 };
    refill(b, limits, 50);
    expect(b).toEqual({ tokens: 0.5, at: 100 });
  });
});

describe('leaky bucket', () => {
  const limits = { rate: 10, queue: 2 };

  it('passes a request at once when idle, then queues until the queue is full', () => {
    const b = emptyLeakyBucket<string>(0);
    expect(offer(b, limits, 'a', 0)).toBe('pass');
    expect(offer(b, limits, 'b', 1)).toBe('queued');
    expect(offer(b, limits, 'c', 2)).toBe('queued');
    expect(offer(b, limits, 'd', 3)).toBe('full');
    expect(b.waiting).toEqual(['b', 'c']);
  });

  it('leaks one request per 1000/rate ms, in order, never early', () => {
    const b = emptyLeakyBucket<string>(0);
    offer(b, limits, 'a', 0);
    offer(b, limits, 'b', 0);
    offer(b, limits, 'c', 0);
    expect(msUntilLeak(b, 40)).toBe(60);
    expect(leak(b, limits, 99)).toBeUndefined();
    expect(leak(b, limits, 100)).toBe('b');
    expect(leak(b, limits, 150)).toBeUndefined();
    // A late timer does not catch up: the next one is 100 ms after this leak.
    expect(leak(b, limits, 230)).toBe('c');
    expect(b.nextLeakAt).toBe(330);
    expect(msUntilLeak(b, 230)).toBeNull();
  });

  it('a queue of 0 admits only a request that finds the bucket ready', () => {
    const b = emptyLeakyBucket<string>(0);
    const none = { rate: 10, queue: 0 };
    expect(offer(b, none, 'a', 0)).toBe('pass');
    expect(offer(b, none, 'b', 50)).toBe('full');
    expect(offer(b, none, 'c', 100)).toBe('pass');
  });
});

describe('global estimate (distributed limiter)', () => {
  it('adds peers\' gossiped counts to its own window, and forgets silent peers', () => {
    const e = newEstimate(100);
    for (const t of [0, 10, 20]) recordAdmission(e, '*', t);
    onPeerCounts(e, 'n2', { '*': 5 }, 50);
    expect(estimatedGlobal(e, '*', 100)).toBe(8);
    expect(globalAllows(e, '*', 9, 100)).toBe(true);
    expect(globalAllows(e, '*', 8, 100)).toBe(false);
    // n2 silent for more than three intervals: its count no longer counts.
    expect(estimatedGlobal(e, '*', 351)).toBe(3);
    // Own admissions leave the one-second window.
    expect(estimatedGlobal(e, '*', 1011)).toBe(1);
  });
});

describe('rate-limited-service', () => {
  const requestsTo = (sim: ReturnType<typeof createSim>, n: number, from = 'c1', node = 'n1') => {
    for (let i = 0; i < n; i++) sim.inject(node, from, { type: 'request', msg_id: i + 1 });
  };
  const answers = (sim: ReturnType<typeof createSim>) => sim.sends().filter((s) => s.to.startsWith('c')).map((s) => s.body.type === 'error' ? `error ${s.body.code}` : s.body.type);

  it('token bucket: admits the burst, rejects the rest with error 11, answers after the service time', () => {
    const sim = createSim(rateLimitedService, ['n1'], { rate: 10, burst: 2, serviceTime: 5 });
    requestsTo(sim, 4);
    sim.runUntil(3);
    expect(answers(sim)).toEqual(['error 11', 'error 11']);
    sim.runUntil(10);
    expect(answers(sim)).toEqual(['error 11', 'error 11', 'request_ok', 'request_ok']);
    sim.runUntil(100);
    expect(sim.metrics('throttle.accepted').at(-1)?.value).toBe(2);
    expect(sim.metrics('throttle.rejected').at(-1)?.value).toBe(2);
    expect(sim.states('bucket').at(-1)?.value).toMatchObject({ limiter: 'token-bucket', capacity: 2, accepted: 2, rejected: 2 });
    sim.runUntil(2050);
    // The node's share of the limit, once a second: at 0, 1 and 2 s.
    expect(sim.metrics('throttle.limit').map((m) => [m.time, m.value])).toEqual([[0, 10], [1000, 10], [2000, 10]]);
  });

  it('per-client scope: one client\'s burst leaves another\'s bucket full', () => {
    const sim = createSim(rateLimitedService, ['n1'], { rate: 1, burst: 1, scope: 'per-client', serviceTime: 0 });
    requestsTo(sim, 2, 'c1');
    requestsTo(sim, 1, 'c2');
    sim.runUntil(5);
    const byClient = sim.sends().filter((s) => s.to.startsWith('c')).map((s) => `${s.to} ${s.body.type}`);
    expect(byClient.sort()).toEqual(['c1 error', 'c1 request_ok', 'c2 request_ok']);
  });

  it('leaky bucket: queues up to `queue`, releases them at the rate, reports the queue length', () => {
    const sim = createSim(rateLimitedService, ['n1'], { limiter: 'leaky-bucket', rate: 10, queue: 2, serviceTime: 0 });
    requestsTo(sim, 4);
    sim.runUntil(50);
    expect(answers(sim)).toEqual(['request_ok', 'error 11']);
    sim.runUntil(150);
    expect(answers(sim)).toEqual(['request_ok', 'error 11', 'request_ok']);
    sim.runUntil(250);
    expect(answers(sim)).toEqual(['request_ok', 'error 11', 'request_ok', 'request_ok']);
    // Reported every 100 ms: empty at the start, two waiting, then one (the leaks come at 101 and 201).
    expect(sim.metrics('throttle.queue').map((m) => m.value)).toEqual([0, 2, 1]);
  });

  it('distributed: gossiped counts make a node reject once the cluster has spent the rate; parted, each side spends it all', () => {
    const sim = createSim(rateLimitedService, ['n1', 'n2'], { rate: 4, burst: 10, distributed: true, gossip: 50, serviceTime: 0 });
    requestsTo(sim, 4, 'c1', 'n1');
    sim.runUntil(60);
    requestsTo(sim, 2, 'c2', 'n2');
    sim.runUntil(70);
    expect(sim.sends().filter((s) => s.to === 'c2').map((s) => s.body.type)).toEqual(['error', 'error']);

    const parted = createSim(rateLimitedService, ['n1', 'n2'], { rate: 4, burst: 10, distributed: true, gossip: 50, serviceTime: 0 });
    parted.partition(['n1'], ['n2']);
    requestsTo(parted, 4, 'c1', 'n1');
    parted.runUntil(60);
    requestsTo(parted, 4, 'c2', 'n2');
    parted.runUntil(70);
    expect(parted.sends().filter((s) => s.to.startsWith('c') && s.body.type === 'request_ok')).toHaveLength(8);
  });

  it('rejects a rate of 0, a burst below 1 and a negative queue, naming the parameter', () => {
    const check = (params: Record<string, unknown>) => checkProgramParams(rateLimitedService, params, 3, rateLimitedService.checkParams).problems;
    expect(check({ rate: 0 })).toEqual([{ name: 'rate', message: 'expected a number of at least 0.01, got 0' }]);
    expect(check({ burst: 0 })[0]).toMatchObject({ name: 'burst', message: expect.stringContaining('at least 1') });
    expect(check({ queue: -1 })[0]).toMatchObject({ name: 'queue', message: expect.stringContaining('at least 0') });
    expect(check({ rate: 0.5, burst: 1, queue: 0 })).toEqual([]);
    expect(checkProgramParams(rateLimitedService, { distributed: true }, 1, rateLimitedService.checkParams).problems).toEqual([
      { name: 'distributed', message: 'expected false with one node: a distributed limiter gossips its counts to peers, and a single node has none' },
    ]);
  });
});
