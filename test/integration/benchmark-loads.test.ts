import { describe, it, expect } from 'vitest';
import { count, runExperiment } from './helpers.js';

describe('the benchmark loads on real processes', () => {
  it('flood: every node sends its count and hears back as many, all recorded', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'flood',
      seed: 1,
      duration: '2s',
      nodes: { count: 3, program: 'flood', params: { count: 3000, startDelay: 100 } },
    });
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'flood-complete'", run.runId)).toBe(3);
    expect(count(db, "select count(*) from messages where run_id = ? and type = 'flood' and fate = 'delivered'", run.runId)).toBe(9000);
    // Benchmark loads carry no logical clocks.
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'recv'", run.runId)).toBe(0);
    expect(summary.messages.sent).toBe(9000);
  });

  it('pingpong: pings at the configured rate and reports every round trip', async () => {
    const { db, run } = await runExperiment({
      name: 'pingpong',
      seed: 1,
      duration: '1500ms',
      nodes: { count: 2, program: 'pingpong', params: { rate: 500, count: 400, startDelay: 100 } },
      network: { latency: '2ms' },
    });
    const rtts = db.prepare("select value from metrics where run_id = ? and name = 'rtt_us'").pluck().all(run.runId) as number[];
    expect(rtts).toHaveLength(800);
    // Two hops of 2 ms each way.
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(4000);
  });
});
