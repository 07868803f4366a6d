import { describe, it, expect } from 'vitest';
import { count, pidAlive, runExperiment } from './helpers.js';

describe('an echo run with real node processes', () => {
  it('records every message and operation, and agrees with its summary', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'echo-e2e',
      seed: 11,
      duration: '1500ms',
      nodes: { count: 3, program: 'echo' },
      network: { latency: { distribution: 'uniform', mean: '2ms', jitter: '1ms' } },
      workload: { kind: 'echo', rate: 100, clients: 4 },
    });
    expect(summary.status).toBe('completed');
    expect(summary.checks.echo.valid).toBe(true);
    // 100 ops/s for ~1.4 s after bring-up; one outstanding request per client.
    expect(summary.ops.ok).toBeGreaterThan(80);
    expect(summary.ops.fail).toBe(0);
    expect(summary.ops.timeout).toBe(0);
    // Every request and every reply went through the switch and is in the database.
    expect(summary.messages.sent).toBe(2 * summary.ops.ok);
    expect(count(db, 'select count(*) from messages where run_id = ?', run.runId)).toBe(summary.messages.sent);
    expect(count(db, "select count(*) from messages where run_id = ? and fate = 'delivered'", run.runId)).toBe(summary.messages.delivered);
    expect(count(db, "select count(*) from operations where run_id = ? and outcome = 'ok'", run.runId)).toBe(summary.ops.ok);
    // Delivery times honour the configured 1–3 ms latency.
    // A delivery counts once written to the node, so its time also holds any stall of this
    // process (the test runner's, shared with the engine here): one or two can reach ~12 ms.
    const delays = (db.prepare('select t_deliver_us - t_send_us from messages where run_id = ?').pluck().all(run.runId) as number[]).sort((a, b) => a - b);
    expect(delays[0]).toBeGreaterThanOrEqual(1000);
    expect(delays[Math.floor(delays.length * 0.98)]).toBeLessThan(3000 + 5000);
    expect(delays.at(-1)).toBeLessThan(3000 + 20_000);
    const echoes = db.prepare("select body from messages where run_id = ? and type = 'echo_ok' limit 5").pluck().all(run.runId) as string[];
    for (const body of echoes) expect(JSON.parse(body).echo).toMatch(/^Please echo \d+$/);
    expect(db.prepare('select status from runs where id = ?').pluck().get(run.runId)).toBe('completed');
    // No node process outlives the run.
    const pids = db.prepare('select pid from nodes where run_id = ?').pluck().all(run.runId) as number[];
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
    const exits = db.prepare('select count(*) from nodes where run_id = ? and t_exit_us is not null').pluck().get(run.runId);
    expect(exits).toBe(3);
  });

  it('delivers about 80% of messages at 20% loss', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'loss-20',
      seed: 5,
      duration: '2s',
      nodes: { count: 2, program: 'ping', params: { interval: 5 } },
      network: { loss: 0.2 },
    });
    const sent = count(db, 'select count(*) from messages where run_id = ?', run.runId);
    const lost = count(db, "select count(*) from messages where run_id = ? and fate = 'lost'", run.runId);
    // Roughly 2 nodes × 1 peer × 2 messages per 5 ms for ~1.8 s ≈ 1400 decisions;
    // sd of the rate is sqrt(.2·.8/1400) ≈ 0.011, so ±0.05 is over 4 sd.
    expect(sent).toBeGreaterThan(600);
    expect(lost / sent).toBeGreaterThan(0.15);
    expect(lost / sent).toBeLessThan(0.25);
    expect(summary.messages.lost).toBe(lost);
    expect(summary.messages.delivered + lost + summary.messages.undeliverable + summary.messages.inFlightAtEnd).toBe(sent);
  });
});
