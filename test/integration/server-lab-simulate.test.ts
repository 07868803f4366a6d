// A simulated run started from the Lab, as a real one is: in the engine's process, streaming
// its data to the live view, with run.status events; run.stop ends it as interrupted, and a
// live fault is refused (a simulation's faults come from its file, so that its seed replays it).
import { beforeAll, describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { ApiError } from '../../core/api/errors.js';
import { labUnderTest } from './lab-under-test.js';
import type { RunStatusEvent } from '../../core/api/contract.js';


const RAFT = `name: lab-sim-raft
mode: simulate
seed: 4
duration: 5s
nodes: { count: 3, program: raft }
network: { latency: { distribution: normal, mean: 5ms, jitter: 2ms }, loss: 0.02 }
faults:
  - { at: 2s, partition: leader }
  - { at: 3s, heal: true }
workload: { kind: kv, rate: 50, clients: 2, keys: 3, timeout: 1s }
`;

/** Long enough that it is still going when the test stops it: an hour of virtual time. */
const LONG = `name: lab-sim-long
mode: simulate
seed: 2
duration: 1h
nodes: { count: 10, program: swim }
`;

const t = labUnderTest(30_000, 5);
const { data, statuses, until, finalStatus } = t;

describe('a simulated run started through the Lab', () => {
  let runId: number;
  let final: RunStatusEvent;

  beforeAll(async () => {
    ({ runId } = await t.lab.invoke('run.start', { text: RAFT }));
    final = await finalStatus(runId);
  }, 60_000);

  it('reports starting, running, then completed with a simulated summary whose checks hold', () => {
    const mine = statuses.filter((s) => s.runId === runId && !s.notice).map((s) => s.status);
    expect(mine).toEqual(['starting', 'running', 'completed']);
    const summary = final.summary!;
    expect(summary).toMatchObject({ runId, name: 'lab-sim-raft', status: 'completed', seed: 4, simulation: { events: expect.any(Number) } });
    expect(summary.durationMs).toBeGreaterThanOrEqual(5000);
    expect(summary.ops.ok).toBeGreaterThan(50);
    for (const [name, check] of Object.entries(summary.checks)) expect(check.valid, name).toBe(true);
  });

  it('streams the live view its data on virtual time: traffic that adds up to the recording, metrics, the partition', () => {
    const increments = data.filter((d) => d.runId === runId);
    expect(increments.length).toBeGreaterThan(0);
    expect(increments.map((d) => d.seq)).toEqual(increments.map((_, i) => i + 1));
    // Live traffic buckets, merged, are the recorded ones.
    const m = final.summary!.messages;
    const sum = (i: 1 | 2 | 3) => increments.reduce((total, d) => total + d.traffic.reduce((t, b) => t + b[i], 0), 0);
    expect(sum(1)).toBe(m.sent);
    expect(sum(2)).toBe(m.delivered + m.duplicated);
    expect(sum(3)).toBe(m.lost + m.partitioned + m.overflow + m.undeliverable);
    // Buckets carry virtual times, within the run's 5 s and its drain.
    const lastBucketMs = Math.max(...increments.flatMap((d) => d.traffic.map((b) => b[0])));
    expect(lastBucketMs).toBeGreaterThan(4000);
    expect(lastBucketMs).toBeLessThan(7000);
    expect(increments.at(-1)!.nodes).toEqual({ n1: 'exited', n2: 'exited', n3: 'exited' });
    expect(increments.some((d) => d.metrics.length > 0)).toBe(true);
    expect(increments.flatMap((d) => d.faults).map((f) => f[1])).toEqual(expect.arrayContaining(['partition-pattern', 'heal']));
  });

  it('is recorded in the lab’s store as a simulation, the same rows the summary counted', async () => {
    expect(await t.lab.invoke('run.active', null)).not.toContain(runId);
    const db = new Database(t.dbPath, { readonly: true });
    try {
      const row = db.prepare('SELECT status, experiment_json FROM runs WHERE id = ?').get(runId) as { status: string; experiment_json: string };
      expect(row.status).toBe('completed');
      expect(JSON.parse(row.experiment_json).mode).toBe('simulate');
      const messages = db.prepare('SELECT count(*) FROM messages WHERE run_id = ? AND dup_of IS NULL').pluck().get(runId);
      expect(messages).toBe(final.summary!.messages.sent);
    } finally {
      db.close();
    }
    const detail = await t.lab.invoke('runs.get', { runId });
    expect(detail.experimentText).toBe(RAFT);
  });

  it('runs again with the same seed into the same message counts and operations', async () => {
    const { runId: again } = await t.lab.invoke('run.again', { runId });
    const summary = (await finalStatus(again)).summary!;
    expect(summary.messages).toEqual(final.summary!.messages);
    expect(summary.ops).toEqual(final.summary!.ops);
  }, 60_000);
});

describe('acting on a simulated run through the Lab', () => {
  it('refuses a live fault, naming where a simulation’s faults come from, and stops the run as interrupted', async () => {
    const { runId } = await t.lab.invoke('run.start', { text: LONG });
    await until(() => statuses.find((s) => s.runId === runId && s.status === 'running'));
    const refused = await t.lab.invoke('run.fault', { runId, fault: { kill: 'n2' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).payload).toMatchObject({ kind: 'input', message: expect.stringContaining('its faults come from its file') });
    // The view of a running simulation: node states and the virtual time it has reached.
    const midway = await t.lab.invoke('runs.data', { runId });
    expect(Object.keys(midway.nodes ?? {})).toHaveLength(10);
    expect(await t.lab.invoke('run.stop', { runId })).toBeNull();
    const final = await finalStatus(runId);
    expect(final.summary).toMatchObject({ status: 'interrupted' });
    expect(final.summary!.durationMs).toBeLessThan(3_600_000);
    expect(final.summary!.durationMs).toBeGreaterThan(0);
    const db = new Database(t.dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('interrupted');
      expect(db.prepare("SELECT count(*) FROM faults WHERE run_id = ? AND source = 'live'").pluck().get(runId)).toBe(0);
    } finally {
      db.close();
    }
  }, 60_000);
});
