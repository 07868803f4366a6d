import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng } from '../../core/engine/prng.js';
import { backoffMs, RequestsWorkload } from '../../core/workloads/requests.js';
import type { ClientPort } from '../../core/workloads/workload.js';
import type { RetrySpec, WorkloadSpec } from '../../core/experiment/types.js';
import type { Body } from '../../core/sdk/protocol.js';
import { parseExperiment, type ExperimentError } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { jainIndex, throttleMeasurements, type ThrottleOp } from '../../core/analysis/throttle.js';

const base = { name: 'w', duration: '2s', nodes: { count: 1, program: 'rate-limited-service' } };
const parse = (file: Record<string, unknown>) => parseExperiment({ ...base, ...file }, { source: 'w.yaml', programs: programNames() });
function problems(file: Record<string, unknown>): string[] {
  try {
    parse(file);
    return [];
  } catch (e) {
    return (e as ExperimentError).problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe('the requests workload in the experiment file', () => {
  it('reads retry options with their defaults', () => {
    expect(parse({ workload: { kind: 'requests' } }).workload.retry).toEqual({ policy: 'none', attempts: 1, backoff: { baseMs: 50, maxMs: 1000, jitter: 'full' } });
    expect(parse({ workload: { kind: 'requests', retry: 'backoff', backoff: { base: '200ms', max: '5s', jitter: 'none' } } }).workload.retry).toEqual({
      policy: 'backoff',
      attempts: 5,
      backoff: { baseMs: 200, maxMs: 5000, jitter: 'none' },
    });
    expect(parse({ workload: { kind: 'requests', retry: 'immediate', attempts: 3 } }).workload.retry).toMatchObject({ policy: 'immediate', attempts: 3 });
  });

  it('rejects retry options that do not fit, naming the field', () => {
    expect(problems({ workload: { kind: 'echo', retry: 'backoff' } })).toEqual(['workload.retry: expected nothing: retry belongs to the requests workload, not echo, got "backoff"']);
    expect(problems({ workload: { kind: 'requests', retry: 'sometimes' } })[0]).toMatch(/^workload.retry: expected one of none, immediate, backoff/);
    expect(problems({ workload: { kind: 'requests', retry: 'immediate', backoff: { base: '1s' } } })[0]).toMatch(/^workload.backoff: expected nothing: backoff applies with retry: backoff/);
    expect(problems({ workload: { kind: 'requests', attempts: 3 } })[0]).toMatch(/^workload.attempts: expected nothing: with retry: none/);
    expect(problems({ workload: { kind: 'requests', retry: 'backoff', backoff: { base: '2s', max: '1s' } } })[0]).toMatch(/^workload.backoff.max: expected a max of at least the base/);
  });

  it('rejects a bucket with rate 0, burst < 1 or queue < 0 before the run, naming nodes.params', () => {
    const nodes = (params: Record<string, unknown>) => ({ nodes: { ...base.nodes, params } });
    expect(problems(nodes({ rate: 0 }))).toEqual(['nodes.params.rate: expected a number of at least 0.01, got 0']);
    expect(problems(nodes({ burst: 0 }))[0]).toMatch(/^nodes.params.burst: expected an integer of at least 1/);
    expect(problems(nodes({ limiter: 'leaky-bucket', queue: -1 }))[0]).toMatch(/^nodes.params.queue: expected an integer of at least 0/);
  });
});

describe('backoff', () => {
  const retry = (policy: RetrySpec['policy'], jitter: 'full' | 'none' = 'none'): RetrySpec => ({ policy, attempts: 5, backoff: { baseMs: 100, maxMs: 1000, jitter } });
  it('doubles from the base after each rejection, capped at the max; full jitter draws up to that', () => {
    expect([0, 1, 2, 3, 4].map((k) => backoffMs(retry('backoff'), k, () => 0.5))).toEqual([100, 200, 400, 800, 1000]);
    expect([0, 3, 9].map((k) => backoffMs(retry('backoff', 'full'), k, () => 0.5))).toEqual([50, 400, 500]);
    expect(backoffMs(retry('immediate'), 3, () => 0.5)).toBe(0);
  });
});

describe('requests clients', () => {
  afterEach(() => vi.useRealTimers());

  function setup(retry: RetrySpec) {
    const sent: Array<{ client: string; body: Body }> = [];
    const recorded: Array<{ outcome: string; detail: Record<string, unknown> }> = [];
    const port: ClientPort = {
      clients: ['c1'],
      nodes: ['n1'],
      nowUs: () => Date.now() * 1000,
      send: (client, _node, body) => sent.push({ client, body }),
      recordOperation: (_c, _n, _op, _i, _t, outcome, detail) => recorded.push({ outcome, detail: detail as Record<string, unknown> }),
      warn: () => {},
    };
    const spec: WorkloadSpec = { kind: 'requests', rate: 1, clients: 1, timeoutMs: 10_000, loop: 'closed', keys: 1, mix: { read: 1, write: 1, cas: 1 }, retry };
    return { w: new RequestsWorkload(spec, port, createRng(1, 'w')), sent, recorded };
  }
  const reject = (msgId: unknown): Body => ({ type: 'error', code: 11, text: 'rate limited', in_reply_to: msgId as number });

  it('retries a rejection after its backoff, each attempt its own operation, and sends nothing new meanwhile (closed loop)', () => {
    vi.useFakeTimers();
    const { w, sent, recorded } = setup({ policy: 'backoff', attempts: 3, backoff: { baseMs: 100, maxMs: 1000, jitter: 'none' } });
    w.start();
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    w.onReply('c1', reject(sent[0].body.msg_id), false, 'n1');
    vi.advanceTimersByTime(99);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    w.onReply('c1', reject(sent[1].body.msg_id), false, 'n1');
    // Waiting out 200 ms, across the client's next tick at 1 s: nothing new is sent.
    vi.advanceTimersByTime(200);
    expect(sent).toHaveLength(3);
    w.onReply('c1', reject(sent[2].body.msg_id), false, 'n1');
    vi.advanceTimersByTime(300);
    expect(sent).toHaveLength(3); // three attempts, then it gives up
    expect(recorded.map((r) => [r.outcome, r.detail.attempt, r.detail.first ?? null])).toEqual([
      ['fail', 0, null],
      ['fail', 1, sent[0].body.msg_id],
      ['fail', 2, sent[0].body.msg_id],
    ]);
    w.stopIssuing();
    w.abandon();
  });

  it('does not retry without a retry policy, nor an answer that is not a rejection', () => {
    vi.useFakeTimers();
    const { w, sent, recorded } = setup({ policy: 'none', attempts: 1, backoff: { baseMs: 100, maxMs: 1000, jitter: 'full' } });
    w.start();
    vi.advanceTimersByTime(1);
    w.onReply('c1', reject(sent[0].body.msg_id), false, 'n1');
    vi.advanceTimersByTime(1000);
    w.onReply('c1', { type: 'request_ok', served_by: 'n1', in_reply_to: sent[1].body.msg_id as number }, false, 'n1');
    expect(recorded.map((r) => r.outcome)).toEqual(['fail', 'ok']);
    expect(sent.map((s) => s.body.type)).toEqual(['request', 'request']);
    w.stopIssuing();
    w.abandon();
  });
});

describe('throttle measurements', () => {
  const op = (client: string, ms: number, outcome: ThrottleOp['outcome'], attempt = 0): ThrottleOp => ({ client, invokeUs: ms * 1000, completeUs: ms * 1000 + 5000, outcome, code: outcome === 'fail' ? 11 : null, attempt });

  it("Jain's index: 1 for equal shares, 1/n when one client gets everything", () => {
    expect(jainIndex([5, 5, 5])).toBe(1);
    expect(jainIndex([9, 0, 0])).toBe(0.333);
    expect(jainIndex([3])).toBeNull();
    expect(jainIndex([0, 0])).toBeNull();
  });

  it('counts accepted, rejected and retries per second; overshoot is the worst partitioned second over the limit', () => {
    const ops = [op('c1', 100, 'ok'), op('c2', 200, 'fail'), op('c2', 210, 'ok', 1), op('c1', 1100, 'ok'), op('c2', 1200, 'ok'), op('c1', 1300, 'ok'), op('c1', 2500, 'ok')];
    const faults = [{ tUs: 1_000_000, kind: 'partition', detail: { groups: [['n1'], ['n2']] } }, { tUs: 2_000_000, kind: 'heal', detail: {} }];
    const m = throttleMeasurements(ops, faults, 3000, 2, null);
    expect(m).toMatchObject({ limitPerSec: 2, acceptedPerSec: 2, rejectedPerSec: 0.33, offeredPerSec: 2.33, retries: 1, peakAcceptedPerSec: 3, overshoot: 1.5 });
    expect(m.acceptedLatencyMs?.p50).toBe(5);
    expect(m.fairness).toBe(0.9); // c1 got 4, c2 got 2: 6² / (2 · (16 + 4))
    expect(throttleMeasurements(ops, [], 3000, 2, null)).not.toHaveProperty('overshoot');
  });
});
