import { describe, it, expect } from 'vitest';
import { count, runExperiment } from './helpers.js';

describe('raft on real processes', () => {
  it('re-elects after the leader is killed, keeps one leader per term, and reports lag for every follower', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'raft',
      seed: 6,
      duration: '5s',
      nodes: { count: 3, program: 'raft' },
      network: { latency: { distribution: 'normal', mean: '3ms', jitter: '1ms' } },
      faults: [{ at: '2500ms', kill: 'leader' }],
      workload: { kind: 'kv', rate: 30, clients: 2, timeout: '1s' },
    });
    expect(summary.status).toBe('completed');
    for (const name of ['leader-per-term', 'logs-agree', 'committed-not-lost', 'clock-condition']) expect(summary.checks[name]?.valid, name).toBe(true);
    const elections = summary.measurements!.elections!;
    expect(elections.reelections).toHaveLength(1);
    // A new leader within the election timeout range (150–300 ms) plus a vote round trip and slack.
    expect(elections.reelections[0].ms!).toBeLessThan(300 + 100 + 200);
    expect(summary.ops.ok).toBeGreaterThan(40);
    // The killed leader's fault names the node that led, not the word "leader".
    const kill = JSON.parse(db.prepare("select detail_json from faults where run_id = ? and kind = 'kill'").pluck().get(run.runId) as string);
    expect(kill.nodes).toEqual([elections.reelections[0].oldLeader]);
    // Lag series for both nodes that followed (the survivors, minus the new leader, plus the followers before the kill).
    const lag = summary.measurements!.replicationLag!;
    const followers = Object.keys(lag);
    expect(followers.length).toBeGreaterThanOrEqual(2);
    for (const node of followers) expect(lag[node].entries).not.toBeNull();
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'apply'", run.runId)).toBeGreaterThan(3 * 30);
  });

  it('raft-election alone elects one leader per term through a partition of the leader', async () => {
    const { summary } = await runExperiment({
      name: 'raft-election',
      seed: 2,
      duration: '4s',
      nodes: { count: 5, program: 'raft-election' },
      faults: [
        { at: '1500ms', partition: 'leader' },
        { at: '3000ms', heal: true },
      ],
    });
    expect(summary.checks['leader-per-term'].valid).toBe(true);
    const elections = summary.measurements!.elections!;
    expect(elections.reelections[0]).toMatchObject({ fault: 'partition-pattern' });
    expect(elections.reelections[0].ms!).toBeLessThan(700);
    expect(elections.elections).toBeGreaterThanOrEqual(2);
  });
});
