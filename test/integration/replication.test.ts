import { describe, it, expect } from 'vitest';
import { runExperiment } from './helpers.js';

const primaryBackup = (mode: string) => ({
  name: `pb-${mode}`,
  seed: 9,
  duration: '4s',
  nodes: { count: 3, program: 'primary-backup', params: { mode, primary: 'elect' } },
  network: { latency: { distribution: 'normal', mean: '5ms', jitter: '2ms' } },
  // Cut the primary off for good: the others elect a new one while it still serves clients.
  faults: [{ at: '2s', partition: 'leader' }],
  workload: { kind: 'kv', rate: 100, clients: 4, timeout: '1s', loop: 'open', mix: { read: 1, write: 3, cas: 0 } },
});

describe('primary-backup and bully on real processes', () => {
  it('sync: the cut-off primary cannot commit, so nothing acknowledged is lost; lag is reported per backup', async () => {
    const { summary } = await runExperiment(primaryBackup('sync'));
    expect(summary.checks['leader-per-term'].valid).toBe(true);
    expect(summary.checks['committed-not-lost'].valid).toBe(true);
    expect(summary.checks['logs-agree'].valid).toBe(true);
    const elections = summary.measurements!.elections!;
    expect(elections.reelections[0]).toMatchObject({ fault: 'partition-pattern' });
    // Bully: leaderTimeout 250 ms, then answerTimeout 100 ms before the announcement.
    expect(elections.reelections[0].ms!).toBeLessThan(250 + 100 + 300);
    expect(Object.keys(summary.measurements!.replicationLag!).length).toBeGreaterThanOrEqual(2);
    expect(summary.ops.ok).toBeGreaterThan(100);
  });

  it('async: two primaries commit different writes at the same indexes, and the check says so', async () => {
    const { summary } = await runExperiment(primaryBackup('async'));
    const lost = summary.checks['committed-not-lost'] as Record<string, number | boolean>;
    expect(lost.valid).toBe(false);
    expect(lost.lost).toBeGreaterThan(10);
  });

  it('bully elects the highest live id, and the next one when it is killed', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'bully',
      seed: 1,
      duration: '2500ms',
      nodes: { count: 4, program: 'bully' },
      faults: [{ at: '1200ms', kill: 'n4' }],
    });
    expect(summary.checks['leader-per-term'].valid).toBe(true);
    const leaders = db.prepare("select node from events where run_id = ? and kind = 'role' and json_extract(detail_json, '$.role') = 'leader' order by t_us").pluck().all(run.runId);
    expect(leaders[0]).toBe('n4');
    expect(leaders.at(-1)).toBe('n3');
    expect(summary.measurements!.elections!.reelections[0]).toMatchObject({ oldLeader: 'n4', newLeader: 'n3' });
  });
});
