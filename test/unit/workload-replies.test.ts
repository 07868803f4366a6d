import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng } from '../../core/engine/prng.js';
import { UniqueIdsWorkload } from '../../core/workloads/unique-ids.js';
import { GSetWorkload } from '../../core/workloads/g-set.js';
import type { ClientPort, OperationOutcome } from '../../core/workloads/workload.js';
import { outcomeOf } from '../../core/checks/history.js';
import type { WorkloadSpec } from '../../core/experiment/types.js';
import type { Body } from '../../core/sdk/protocol.js';

interface Recorded {
  op: string;
  node: string;
  outcome: OperationOutcome;
  detail: Record<string, unknown>;
}

/** A port that keeps what the workload sends and records, with no network. */
function fakePort(nodes = ['n1']) {
  const sent: Array<{ client: string; node: string; body: Body }> = [];
  const recorded: Recorded[] = [];
  const warnings: string[] = [];
  const port: ClientPort = {
    clients: ['c1'],
    nodes,
    nowUs: () => 0,
    send: (client, node, body) => sent.push({ client, node, body }),
    recordOperation: (_c, node, op, _i, _t, outcome, detail) => recorded.push({ op, node, outcome, detail: detail as Record<string, unknown> }),
    warn: (text) => warnings.push(text),
  };
  return { port, sent, recorded, warnings };
}

const spec = (kind: WorkloadSpec['kind']): WorkloadSpec => ({ kind, rate: 10, clients: 1, timeoutMs: 1000, loop: 'open', keys: 1, mix: { read: 1, write: 1, cas: 1 } });

afterEach(() => vi.useRealTimers());

describe('how a workload takes replies', () => {
  it('fails a wrong type, a missing field and a wrong in_reply_to with their reasons, all unknown to the checkers', () => {
    vi.useFakeTimers();
    const { port, sent, recorded } = fakePort();
    const w = new UniqueIdsWorkload(spec('unique-ids'), port, createRng(1, 'w'));
    w.start();
    vi.advanceTimersByTime(350);
    const [a, b, c, d] = sent.map((s) => s.body.msg_id as number);
    w.onReply('c1', { type: 'generated', id: 1, in_reply_to: a }, false, 'n1');
    w.onReply('c1', { type: 'generate_ok', in_reply_to: b }, false, 'n1');
    w.onReply('c1', { type: 'generate_ok', id: 3, in_reply_to: 999 }, false, 'n1');
    w.onReply('c1', { type: 'generate_ok', id: 4, in_reply_to: d }, false, 'n1');
    expect(recorded.map((r) => [r.outcome, r.detail.reason ?? r.detail.id])).toEqual([
      ['fail', 'expected generate_ok, got generated'],
      ['fail', 'generate_ok without id'],
      ['fail', `in_reply_to 999 names no request of c1 (expected ${c})`],
      ['ok', 4],
    ]);
    expect(recorded.slice(0, 3).map((r) => outcomeOf(r.outcome, r.detail))).toEqual(['unknown', 'unknown', 'unknown']);
    expect(w.stats.wrongReplies).toBe(3);
    w.stopIssuing();
    w.abandon();
  });

  it('ignores a late or duplicated answer to a request already closed', () => {
    vi.useFakeTimers();
    const { port, sent, recorded } = fakePort();
    const w = new UniqueIdsWorkload(spec('unique-ids'), port, createRng(1, 'w'));
    w.start();
    vi.advanceTimersByTime(150);
    const [a, b] = sent.map((s) => s.body.msg_id as number);
    w.onReply('c1', { type: 'generate_ok', id: 1, in_reply_to: a }, false, 'n1');
    w.onReply('c1', { type: 'generate_ok', id: 1, in_reply_to: a }, false, 'n1');
    expect(recorded).toHaveLength(1);
    w.onReply('c1', { type: 'generate_ok', id: 2, in_reply_to: b }, false, 'n1');
    expect(recorded.map((r) => r.outcome)).toEqual(['ok', 'ok']);
    w.stopIssuing();
  });

  it('marks definite error codes failed and others indefinite', () => {
    vi.useFakeTimers();
    const { port, sent, recorded } = fakePort();
    const w = new UniqueIdsWorkload(spec('unique-ids'), port, createRng(1, 'w'));
    w.start();
    vi.advanceTimersByTime(250);
    const ids = sent.map((s) => s.body.msg_id as number);
    [11, 13, 1005].forEach((code, i) => w.onReply('c1', { type: 'error', code, in_reply_to: ids[i] }, false, 'n1'));
    expect(recorded.map((r) => outcomeOf(r.outcome, r.detail))).toEqual(['fail', 'unknown', 'unknown']);
    w.stopIssuing();
  });

  it('sends a final read to each node given, and resolves once all are answered', async () => {
    const { port, sent, recorded } = fakePort(['n1', 'n2']);
    const w = new GSetWorkload(spec('g-set'), port, createRng(1, 'w'));
    const done = w.finalReads(['n1', 'n2']);
    expect(sent.map((s) => [s.node, s.body.type])).toEqual([['n1', 'read'], ['n2', 'read']]);
    sent.forEach((s, i) => w.onReply('c1', { type: 'read_ok', value: [i], in_reply_to: s.body.msg_id }, false, s.node));
    await done;
    expect(recorded.map((r) => [r.node, r.detail.final, r.detail.value])).toEqual([['n1', true, [0]], ['n2', true, [1]]]);
  });
});
