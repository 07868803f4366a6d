import { describe, it, expect } from 'vitest';
import { runExperiment } from './helpers.js';

// The partition starts at 2 s: five node processes can take a second or more to start on a busy machine.
const quorum = (name: string, params: Record<string, unknown>) => ({
  name,
  seed: 13,
  duration: '5500ms',
  nodes: { count: 5, program: 'quorum-kv', params },
  network: { latency: { distribution: 'normal', mean: '3ms', jitter: '1ms' } },
  faults: [
    { at: '2s', partition: [['n1', 'n2'], ['n3', 'n4', 'n5']] },
    { at: '4s', heal: true },
  ],
  workload: { kind: 'lin-kv', rate: 60, clients: 4, keys: 3, timeout: '1s', mix: { read: 1, write: 1, cas: 0 } },
});

describe('quorum-kv on real processes', () => {
  it('strict, N = 3, R = W = 2 of 5 nodes through a partition: linearizable, and it says it expected so', async () => {
    const { summary, db, run } = await runExperiment(quorum('quorum-strict', { replicas: 3, r: 2, w: 2 }));
    expect(summary.status).toBe('completed');
    expect(summary.checks.linearizability.verdict).toBe('valid');
    expect(summary.ops.ok).toBeGreaterThan(20);
    const config = JSON.parse(db.prepare("select detail_json from events where run_id = ? and kind = 'quorum-config'").pluck().get(run.runId) as string);
    expect(config.text).toContain('R + W > N without a sloppy quorum: linearizable expected');
    const op = JSON.parse(db.prepare("select detail_json from events where run_id = ? and kind = 'quorum-op' and json_extract(detail_json, '$.ok') = 1").pluck().get(run.runId) as string);
    expect(op.contacted.length).toBe(3);
    expect(op.answered.length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('R = W = 1 with a sloppy quorum: operations succeed on both sides of the partition', async () => {
    const { summary } = await runExperiment(quorum('quorum-ap', { replicas: 3, r: 1, w: 1, sloppy: true }));
    expect(summary.status).toBe('completed');
    expect(summary.measurements?.consistency, JSON.stringify(summary)).toBeDefined();
    const sides = summary.measurements!.consistency!.bySide!;
    expect(sides.minorityOps, JSON.stringify([summary.ops, summary.measurements!.consistency])).toBeGreaterThan(5);
    expect(sides.majority).toBeGreaterThan(0.9);
    expect(sides.minority).toBeGreaterThan(0.8);
  }, 30_000);
});
