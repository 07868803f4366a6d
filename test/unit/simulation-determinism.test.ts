import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { SimRun } from '../../core/simulation/sim-run.js';
import type { Program } from '../../core/sdk/protocol.js';
import { setTimer } from '../../core/sdk/outputs.js';
import { tempDbPath } from '../integration/helpers.js';
import { rowHashes } from '../recorded-row-hashes.js';


/** A 5-node Raft kv run with loss, a partition of the leader and a kill/restart. */
function raftFile(seed: number, duration = '12s') {
  return {
    name: 'sim-raft',
    mode: 'simulate',
    seed,
    duration,
    nodes: { count: 5, program: 'raft', clock: { skew: '3ms', drift: 50 } },
    network: { latency: { distribution: 'normal', mean: '5ms', jitter: '2ms' }, loss: 0.03, duplicate: 0.01 },
    faults: [
      { at: '3s', partition: 'leader' },
      { at: '5s', heal: true },
      { at: '7s', kill: 'n2' },
      { at: '9s', restart: 'n2' },
    ],
    workload: { kind: 'kv', rate: 60, clients: 3, keys: 4, timeout: '1s' },
  };
}

async function simulate(file: Record<string, unknown>, programs = programNames(), load?: (name: string) => Promise<Program> | undefined) {
  const dbPath = tempDbPath();
  const run = new SimRun(parseExperiment(file, { source: 'test', programs }), dbPath, null, load);
  const summary = await run.execute();
  return { summary, dbPath, runId: run.runId };
}


describe('deterministic simulation', () => {
  it('records byte-identical rows for one file and seed, other rows for another seed, and the checks hold', async () => {
    const first = await simulate(raftFile(11));
    const again = await simulate(raftFile(11));
    const other = await simulate(raftFile(12));
    expect(first.summary.status).toBe('completed');
    expect(first.summary.simulation!.events).toBeGreaterThan(1000);
    const hashes = rowHashes(first.dbPath, first.runId);
    expect(rowHashes(again.dbPath, again.runId)).toEqual(hashes);
    const otherHashes = rowHashes(other.dbPath, other.runId);
    for (const table of ['messages', 'events', 'metrics', 'operations'] as const) expect(otherHashes[table], table).not.toBe(hashes[table]);
    // The faults were the same; what they did (the leader they cut off) may differ, so only their count is compared.
    expect(otherHashes.faults.split(':')[0]).toBe(hashes.faults.split(':')[0]);

    const s = first.summary;
    expect(s.messages.lost).toBeGreaterThan(0);
    expect(s.messages.partitioned).toBeGreaterThan(0);
    expect(s.ops.ok).toBeGreaterThan(100);
    for (const name of ['linearizability', 'leader-per-term', 'record-consistent', 'clock-condition', 'logs-agree']) expect(s.checks[name]?.valid, name).toBe(true);
    expect(s.measurements!.elections!.reelections[0]).toMatchObject({ fault: 'partition-pattern' });
  });

  it('records the kill and the restart as a real run does: an exit, then a second incarnation', async () => {
    const { dbPath, runId } = await simulate(raftFile(11));
    const db = new Database(dbPath, { readonly: true });
    const n2 = db.prepare("SELECT kind, detail_json FROM events WHERE run_id = ? AND node = 'n2' AND kind IN ('start', 'up', 'exit') ORDER BY rowid").all(runId) as Array<{ kind: string; detail_json: string }>;
    expect(n2.map((e) => `${e.kind}:${JSON.parse(e.detail_json).incarnation}`)).toEqual(['start:1', 'up:1', 'exit:1', 'start:2', 'up:2', 'exit:2']);
    const incarnations = db.prepare("SELECT incarnation, signal FROM nodes WHERE run_id = ? AND node = 'n2' ORDER BY incarnation").all(runId);
    expect(incarnations).toEqual([{ incarnation: 1, signal: 'SIGKILL' }, { incarnation: 2, signal: null }]);
    // Messages carry the logical clocks, so that the space-time diagram works on simulated runs.
    const body = JSON.parse(db.prepare("SELECT body FROM messages WHERE run_id = ? AND src = 'n1' LIMIT 1").pluck().get(runId) as string);
    expect(body).toMatchObject({ lamport: expect.any(Number), vc: expect.any(Object) });
    const experiment = JSON.parse(db.prepare('SELECT experiment_json FROM runs WHERE id = ?').pluck().get(runId) as string);
    expect(experiment.mode).toBe('simulate');
    db.close();
  });

  it('simulates a 60 s 5-node Raft kv run far faster than real time', async () => {
    const { summary } = await simulate({ ...raftFile(3, '60s'), faults: [] });
    expect(summary.status).toBe('completed');
    expect(summary.durationMs).toBeGreaterThanOrEqual(60_000);
    // Loose on purpose (a shared machine); `npm run bench` prints the real speed.
    expect(summary.simulation!.wallMs).toBeLessThan(10_000);
  });

  it('stops a run whose protocol throws, with the step that did it as the run problem', async () => {
    const thrower: Program = {
      name: 'thrower',
      description: 'throws on its third timer',
      params: [],
      protocol: {
        init: () => [{ ticks: 0 }, [setTimer('tick', 100)]],
        step: (state: { ticks: number }, input) => {
          if (input.kind === 'timer' && state.ticks === 2) throw new Error('tick overflow');
          return [{ ticks: state.ticks + 1 }, [setTimer('tick', 100)]];
        },
      },
    };
    const file = { name: 'throws', mode: 'simulate', seed: 1, duration: '2s', nodes: { count: 2, program: 'thrower' } };
    const { summary } = await simulate(file, ['thrower'], (name) => (name === 'thrower' ? Promise.resolve(thrower) : undefined));
    expect(summary.status).toBe('failed');
    expect(summary.durationMs).toBe(300);
    expect(summary.problems).toEqual(['n1: protocol error in simulation: threw at 0.300000 s of virtual time, on timer tick: tick overflow']);
  });
});
