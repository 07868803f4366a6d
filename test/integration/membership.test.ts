import { describe, it, expect } from 'vitest';
import { count, echoNodeFixture, pidAlive, runExperiment } from './helpers.js';

type EventRow = { t_us: number; node: string; kind: string; detail_json: string };

describe.concurrent('nodes that join and leave a running experiment', () => {
  it('starts n4 into a ping run, retires n2 after its drain, and tells every member each time', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'membership',
      seed: 13,
      // 4 s would do on an idle machine; the initial nodes may take 2-3 s to come up on a busy one.
      duration: '6s',
      nodes: { count: 3, program: 'ping', params: { interval: 50, timeout: 300 } },
      faults: [
        { at: '1s', join: 'n4' },
        { at: '2s', leave: 'n2' },
      ],
    });
    expect(summary.status).toBe('completed');
    expect(summary.problems).toEqual([]);
    const events = (kind: string) => db.prepare('select t_us, node, kind, detail_json from events where run_id = ? and kind = ? order by t_us').all(run.runId, kind) as EventRow[];

    // On a busy machine the initial nodes may come up after 1 s: joins and leaves wait for them.
    const faults = db.prepare('select kind, t_us, source from faults where run_id = ? order by t_us').all(run.runId) as Array<{ kind: string; t_us: number; source: string }>;
    expect(faults.map((f) => [f.kind, f.source])).toEqual([['join', 'schedule'], ['leave', 'schedule']]);
    const [joinAt, leaveAt] = faults.map((f) => f.t_us);
    expect(joinAt).toBeGreaterThanOrEqual(1_000_000);
    expect(leaveAt).toBeGreaterThanOrEqual(2_000_000);

    const [joined] = events('node-joined');
    expect(joined.node).toBe('n4');
    expect(joined.t_us).toBeGreaterThan(joinAt);
    // n4 may come up after n2's leave when the machine is slow.
    expect(JSON.parse(joined.detail_json).members).toEqual(joined.t_us < leaveAt ? ['n1', 'n2', 'n3', 'n4'] : ['n1', 'n3', 'n4']);

    const [left] = events('node-left');
    expect(left.node).toBe('n2');
    // Told at its leave, stopped after the 1 s drain.
    expect(left.t_us).toBeGreaterThanOrEqual(leaveAt + 1_000_000);
    expect(JSON.parse(left.detail_json).members).toEqual(['n1', 'n3', 'n4']);

    // n4 pinged its peers and they answered.
    expect(count(db, "select count(*) from messages where run_id = ? and src = 'n4' and type = 'ping' and fate = 'delivered'", run.runId)).toBeGreaterThan(20);
    expect(count(db, "select count(*) from messages where run_id = ? and dest = 'n4' and type = 'pong' and fate = 'delivered'", run.runId)).toBeGreaterThan(20);
    // Once the members knew n2 was leaving they stopped pinging it: nothing reached it after its drain.
    expect(count(db, "select count(*) from messages where run_id = ? and dest = 'n2' and fate = 'delivered' and t_deliver_us > ?", run.runId, left.t_us)).toBe(0);
    expect(count(db, "select count(*) from messages where run_id = ? and dest = 'n2' and type = 'ping' and t_send_us > ?", run.runId, leaveAt + 100_000)).toBe(0);

    // Every member got each change from distlab: the join to n1..n4, the leave to n1, n3, n4 and n2 itself.
    const membership = db.prepare("select dest, body, fate from messages where run_id = ? and src = 'distlab' and type = 'membership' order by t_send_us, dest").all(run.runId) as Array<{ dest: string; body: string; fate: string }>;
    const bodies = membership.map((m) => ({ dest: m.dest, fate: m.fate, ...JSON.parse(m.body) }));
    expect(bodies.filter((b) => b.joined === 'n4').map((b) => b.dest).sort()).toEqual(joined.t_us < leaveAt ? ['n1', 'n2', 'n3', 'n4'] : ['n1', 'n3', 'n4']);
    // A node still starting learns the membership from its own join's message instead.
    expect(bodies.filter((b) => b.left === 'n2').map((b) => b.dest).sort()).toEqual(joined.t_us < leaveAt ? ['n1', 'n2', 'n3', 'n4'] : ['n1', 'n2', 'n3']);
    expect(bodies.every((b) => b.fate === 'delivered')).toBe(true);
    expect(bodies.find((b) => b.left === 'n2').members).toEqual(['n1', 'n3', 'n4']);

    // The joined node's process is recorded and, like the others, gone at the end.
    const nodes = db.prepare('select node, pid from nodes where run_id = ? order by node').all(run.runId) as Array<{ node: string; pid: number }>;
    expect(nodes.map((n) => n.node)).toEqual(['n1', 'n2', 'n3', 'n4']);
    for (const n of nodes) expect(pidAlive(n.pid)).toBe(false);
  });

  it('refuses a join for a program that does not take membership changes, and the run goes on', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'membership-refused',
      seed: 14,
      duration: '3s',
      nodes: { count: 2, program: 'echo' },
      workload: { kind: 'echo', rate: 50, clients: 1 },
      faults: [{ at: '500ms', join: 'n3' }],
    });
    expect(summary.status).toBe('completed');
    expect(summary.ops.ok).toBeGreaterThan(0);
    const refused = db.prepare("select node, t_us, detail_json from events where run_id = ? and kind = 'membership-refused'").all(run.runId) as EventRow[];
    expect(refused).toHaveLength(1);
    expect(refused[0].node).toBe('n3');
    expect(JSON.parse(refused[0].detail_json).reason).toMatch(/"echo" does not take membership changes/);
    expect(count(db, "select count(*) from nodes where run_id = ? and node = 'n3'", run.runId)).toBe(0);
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'node-joined'", run.runId)).toBe(0);
  });

  it('gives an external node the membership message on stdin from distlab', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'membership-external',
      seed: 15,
      duration: '4s',
      nodes: { count: 2, command: [process.execPath, echoNodeFixture] },
      faults: [{ at: '300ms', join: 'n3' }],
    });
    expect(summary.status).toBe('completed');
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'node-joined' and node = 'n3'", run.runId)).toBe(1);
    const delivered = db.prepare("select dest from messages where run_id = ? and src = 'distlab' and fate = 'delivered' order by dest").all(run.runId) as Array<{ dest: string }>;
    expect(delivered.map((m) => m.dest)).toEqual(['n1', 'n2', 'n3']);
  });
});
