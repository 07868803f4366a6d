// Final reads are retried when they time out (core/workloads/final-reads.ts): a lost read or
// answer no longer leaves a check with nothing to judge.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng } from '../../core/engine/prng.js';
import type { WorkloadSpec } from '../../core/experiment/types.js';
import type { Body } from '../../core/sdk/protocol.js';
import { FINAL_READ_ATTEMPTS, finalPhaseBoundMs, finalReadsBoundMs, readEachWithRetries } from '../../core/workloads/final-reads.js';
import { GSetWorkload } from '../../core/workloads/g-set.js';
import { CounterWorkload } from '../../core/workloads/counter.js';
import type { ClientPort, OperationOutcome } from '../../core/workloads/workload.js';

interface Recorded {
  node: string;
  outcome: OperationOutcome;
  tInvokeUs: number;
  detail: Record<string, unknown>;
}

function fakePort(nodes: string[]) {
  const sent: Array<{ node: string; body: Body; atMs: number }> = [];
  const recorded: Recorded[] = [];
  const port: ClientPort = {
    clients: ['c1', 'c2'],
    nodes,
    nowUs: () => Date.now() * 1000,
    send: (_client, node, body) => sent.push({ node, body, atMs: Date.now() }),
    recordOperation: (_c, node, _op, tInvokeUs, _t, outcome, detail) => recorded.push({ node, outcome, tInvokeUs, detail: detail as Record<string, unknown> }),
    warn: () => {},
  };
  return { port, sent, recorded };
}

const TIMEOUT_MS = 500;
const spec = (kind: WorkloadSpec['kind']): WorkloadSpec => ({ kind, rate: 10, clients: 2, timeoutMs: TIMEOUT_MS, loop: 'open', keys: 1, mix: { read: 1, write: 1, cas: 1 } });

afterEach(() => vi.useRealTimers());

describe('final reads', () => {
  it('bound the final phase by the quiet period and every attempt timing out', () => {
    expect(finalReadsBoundMs(500)).toBe(FINAL_READ_ATTEMPTS * 500);
    expect(finalPhaseBoundMs(300, 500)).toBe(300 + FINAL_READ_ATTEMPTS * 500);
  });

  it('send a read that timed out again to the same node, until one is answered', async () => {
    vi.useFakeTimers();
    const { port, sent, recorded } = fakePort(['n1', 'n2']);
    const w = new GSetWorkload(spec('g-set'), port, createRng(1, 'w'));
    let resolved = false;
    const done = w.finalReads(['n1', 'n2']).then(() => (resolved = true));
    // n2 answers at once; n1's first two reads are lost.
    w.onReply('c2', { type: 'read_ok', value: [], in_reply_to: sent[1].body.msg_id }, false, 'n2');
    vi.advanceTimersByTime(TIMEOUT_MS);
    expect(w.outstanding).toBe(1); // the retry is open as the first attempt times out
    vi.advanceTimersByTime(TIMEOUT_MS);
    expect(sent.map((s) => s.node)).toEqual(['n1', 'n2', 'n1', 'n1']);
    await Promise.resolve();
    expect(resolved).toBe(false);
    w.onReply('c1', { type: 'read_ok', value: [7], in_reply_to: sent[3].body.msg_id }, false, 'n1');
    await done;
    expect(w.outstanding).toBe(0);
    expect(recorded.map((r) => [r.node, r.outcome, r.detail.final, r.detail.attempt])).toEqual([
      ['n2', 'ok', true, undefined],
      ['n1', 'timeout', true, undefined],
      ['n1', 'timeout', true, 2],
      ['n1', 'ok', true, 3],
    ]);
    // Each attempt is sent as the one before times out, and recorded after it.
    expect(sent.slice(2).map((s) => s.atMs - sent[0].atMs)).toEqual([TIMEOUT_MS, 2 * TIMEOUT_MS]);
  });

  it(`give up after ${FINAL_READ_ATTEMPTS} attempts, within the bound`, async () => {
    vi.useFakeTimers();
    const { port, sent, recorded } = fakePort(['n1']);
    const w = new CounterWorkload(spec('g-counter'), port, createRng(1, 'w'));
    const started = Date.now();
    let resolvedAt = 0;
    const done = w.finalReads(['n1']).then(() => (resolvedAt = Date.now() - started));
    await vi.advanceTimersByTimeAsync(finalReadsBoundMs(TIMEOUT_MS) + TIMEOUT_MS);
    await done;
    expect(sent).toHaveLength(FINAL_READ_ATTEMPTS);
    expect(recorded.map((r) => r.outcome)).toEqual(Array(FINAL_READ_ATTEMPTS).fill('timeout'));
    expect(resolvedAt).toBe(finalReadsBoundMs(TIMEOUT_MS));
  });

  it('do not send again a read answered with an error, nor one still open when the run ends', async () => {
    vi.useFakeTimers();
    const { port, sent, recorded } = fakePort(['n1', 'n2']);
    const w = new GSetWorkload(spec('g-set'), port, createRng(1, 'w'));
    const done = w.finalReads(['n1', 'n2']);
    w.onReply('c1', { type: 'error', code: 11, text: 'busy', in_reply_to: sent[0].body.msg_id }, false, 'n1');
    w.abandon();
    await done;
    vi.advanceTimersByTime(10 * TIMEOUT_MS);
    expect(sent).toHaveLength(2);
    expect(recorded.map((r) => [r.node, r.outcome])).toEqual([['n1', 'fail'], ['n2', 'timeout']]);
  });

  it('readEachWithRetries: reads each node, each retried on its own', async () => {
    const attempts: Array<[string, number]> = [];
    await readEachWithRetries(['a', 'b'], (node, _i, attempt, settled) => {
      attempts.push([node, attempt]);
      settled(node === 'a' && attempt < 3);
    });
    expect(attempts).toEqual([['a', 1], ['a', 2], ['a', 3], ['b', 1]]);
    const limited: number[] = [];
    await readEachWithRetries(['a'], (_n, _i, attempt, settled) => (limited.push(attempt), settled(true)), 2);
    expect(limited).toEqual([1, 2]);
  });
});
