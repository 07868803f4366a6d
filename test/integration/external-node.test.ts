import { describe, it, expect } from 'vitest';
import { count, echoNodeFixture, pidAlive, runExperiment } from './helpers.js';

const external = (mode: string, extra: Record<string, unknown> = {}) => ({
  name: `external-${mode}`,
  seed: 3,
  duration: '1200ms',
  nodes: { count: 3, command: [process.execPath, echoNodeFixture, mode], initTimeout: '1s' },
  workload: { kind: 'echo', rate: 50, clients: 2, timeout: '300ms' },
  ...extra,
});

describe('external nodes over the stdio bridge (Maelstrom protocol)', () => {
  it('runs an echo node written for the tests, with its stderr kept as its log', async () => {
    const { summary, db, run } = await runExperiment(external('good', { network: { latency: '1ms' } }));
    expect(summary.status).toBe('completed');
    expect(summary.ops.ok).toBeGreaterThan(30);
    expect(summary.ops.fail + summary.ops.timeout).toBe(0);
    expect(summary.checks.echo.valid).toBe(true);
    expect(count(db, "select count(*) from messages where run_id = ? and type = 'echo_ok' and fate = 'delivered'", run.runId)).toBe(summary.ops.ok);
    const logs = db.prepare("select node, line from logs where run_id = ? and stream = 'stderr' order by node").all(run.runId);
    expect(logs).toEqual([
      { node: 'n1', line: 'node n1 initialized' },
      { node: 'n2', line: 'node n2 initialized' },
      { node: 'n3', line: 'node n3 initialized' },
    ]);
  });

  it('records non-JSON output as a protocol error and goes on', async () => {
    const { summary, db, run } = await runExperiment(external('garbage'));
    expect(summary.status).toBe('completed');
    expect(summary.ops.ok).toBeGreaterThan(30);
    const errors = db.prepare("select node, detail_json from events where run_id = ? and kind = 'protocol-error'").all(run.runId) as Array<{ node: string; detail_json: string }>;
    expect(errors).toHaveLength(3);
    expect(JSON.parse(errors[0].detail_json).line).toBe('this is not json');
  });

  it('drops a line over 1 MiB with a recorded event, without buffering it', async () => {
    const { summary, db, run } = await runExperiment(external('huge'));
    expect(summary.ops.ok).toBeGreaterThan(30);
    const errors = db.prepare("select detail_json from events where run_id = ? and kind = 'protocol-error'").pluck().all(run.runId) as string[];
    expect(errors).toHaveLength(3);
    expect(JSON.parse(errors[0]).what).toBe('line over 1 MiB');
  });

  it('records a message to an unknown node as undeliverable', async () => {
    const { db, run } = await runExperiment(external('unknown-dest'));
    const rows = db.prepare("select src, dest, type, fate from messages where run_id = ? and dest = 'n99'").all(run.runId);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ dest: 'n99', type: 'gossip', fate: 'undeliverable' });
  });

  it('records a crash with its exit code and keeps the rest of the run going', async () => {
    // 2 s, so that the requests that wait out their timeout at the dead n2 leave time for others.
    const { summary, db, run } = await runExperiment(external('crash', { duration: '2s' }));
    expect(summary.status).toBe('completed');
    const crash = db.prepare("select node, detail_json from events where run_id = ? and kind = 'crash'").all(run.runId) as Array<{ node: string; detail_json: string }>;
    expect(crash).toHaveLength(1);
    expect(crash[0].node).toBe('n2');
    expect(JSON.parse(crash[0].detail_json).code).toBe(3);
    expect(db.prepare("select exit_code from nodes where run_id = ? and node = 'n2'").pluck().get(run.runId)).toBe(3);
    // Requests to the dead n2 time out; the others still succeed.
    expect(summary.ops.timeout).toBeGreaterThan(0);
    expect(count(db, "select count(*) from operations where run_id = ? and node != 'n2' and outcome = 'ok' and t_invoke_us > 600000", run.runId)).toBeGreaterThanOrEqual(3);
  });

  it('gives up on a node that never answers init, after the configured timeout', async () => {
    const started = Date.now();
    const { summary, db, run } = await runExperiment(external('silent'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(summary.status).toBe('failed');
    expect(summary.problems).toContain('n1: did not answer init within 1000 ms; it was killed');
    const pids = db.prepare('select pid from nodes where run_id = ?').pluck().all(run.runId) as number[];
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
  });

  it('names a missing executable', async () => {
    const { summary, db, run } = await runExperiment({ ...external('good'), nodes: { count: 2, command: ['distlab-no-such-program'] } });
    expect(summary.status).toBe('failed');
    expect(summary.problems[0]).toBe('n1: could not be started: executable not found: distlab-no-such-program');
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'spawn-failed'", run.runId)).toBe(2);
  });
});
