// sharded-kv on real processes: any node routes a request to the key's owner, the history
// is linearizable, and the summary measures keys per node against K/N.
import { describe, expect, it } from 'vitest';
import { count, runExperiment } from './helpers.js';

describe('sharded-kv on real processes', () => {
  it('routes every request to its owner; the history checks valid and the keys spread over the nodes', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'sharded-kv',
      seed: 3,
      duration: '3s',
      nodes: { count: 4, program: 'sharded-kv', params: { vnodes: 32 } },
      network: { latency: { distribution: 'normal', mean: '3ms', jitter: '1ms' } },
      workload: { kind: 'kv', rate: 150, clients: 4, timeout: '1s', loop: 'open', keys: 40, mix: { read: 1, write: 3, cas: 1 } },
    });
    const failedChecks = Object.entries(summary.checks).filter(([, c]) => !c.valid).map(([name]) => name);
    expect(failedChecks).toStrictEqual([]);
    expect(summary.ops.ok).toBeGreaterThan(40);
    expect(summary.ops.timeout).toBe(0);
    // Requests were passed on between nodes, with their hop count.
    expect(count(db, "select count(*) from messages where run_id = ? and src like 'n%' and dest like 'n%' and type = 'write'", run.runId)).toBeGreaterThan(10);
    const sharding = summary.measurements!.sharding!;
    expect(Object.keys(sharding.keysPerNode)).toStrictEqual(['n1', 'n2', 'n3', 'n4']);
    const written = db.prepare("select count(distinct json_extract(detail_json, '$.key')) from operations where run_id = ? and op = 'write' and outcome = 'ok'").pluck().get(run.runId) as number;
    // Nodes report their counts every 100 ms, so a key first written in the run's last
    // moment may be missing from them.
    const owned = Object.values(sharding.keysPerNode).reduce((a, b) => a + b, 0);
    expect(owned).toBeLessThanOrEqual(written);
    expect(owned).toBeGreaterThanOrEqual(written - 2);
    expect(sharding.idealPerNode).toBe(owned / 4);
    expect(sharding.maxOverMean).toBeGreaterThanOrEqual(1);
    expect(sharding.changes).toStrictEqual([]);
  });
});
