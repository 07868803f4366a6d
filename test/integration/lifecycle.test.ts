import { describe, it, expect } from 'vitest';
import { count, pidAlive, runExperiment } from './helpers.js';

describe('node lifecycle faults on real processes', () => {
  it('kills, pauses, resumes and restarts nodes, recording each with its exit', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'lifecycle',
      seed: 2,
      duration: '3s',
      nodes: { count: 3, program: 'ping', params: { interval: 50, timeout: 200 } },
      faults: [
        { at: '600ms', kill: 'n2' },
        { at: '1200ms', restart: 'n2' },
        { at: '1800ms', pause: 'n3' },
        { at: '2300ms', resume: 'n3' },
      ],
    });
    expect(summary.status).toBe('completed');
    const nodes = db.prepare('select node, incarnation, pid, t_start_us, t_exit_us, exit_code, signal from nodes where run_id = ? order by node, incarnation').all(run.runId) as Array<Record<string, any>>;
    expect(nodes.map((n) => `${n.node}#${n.incarnation}`)).toEqual(['n1#1', 'n2#1', 'n2#2', 'n3#1']);
    const [, n2first, n2second] = nodes;
    expect(n2first.signal).toBe('SIGKILL');
    expect(n2first.t_exit_us).toBeGreaterThanOrEqual(600_000);
    expect(n2first.t_exit_us).toBeLessThan(900_000);
    expect(n2second.pid).not.toBe(n2first.pid);
    expect(n2second.t_start_us).toBeGreaterThanOrEqual(1_200_000);
    for (const n of nodes) expect(pidAlive(n.pid)).toBe(false);

    const faults = db.prepare('select kind, t_us, source from faults where run_id = ? order by t_us').all(run.runId) as Array<Record<string, any>>;
    expect(faults.map((f) => f.kind)).toEqual(['kill', 'restart', 'pause', 'resume']);
    expect(faults.every((f) => f.source === 'schedule')).toBe(true);
    expect(Math.abs(faults[0].t_us - 600_000)).toBeLessThan(50_000);

    // While n2 was dead, messages to it were undeliverable; after the restart it answers again.
    const toDeadN2 = count(db, "select count(*) from messages where run_id = ? and dest = 'n2' and fate = 'undeliverable' and t_send_us between 700000 and 1200000", run.runId);
    expect(toDeadN2).toBeGreaterThan(5);
    const fromNewN2 = count(db, "select count(*) from messages where run_id = ? and src = 'n2' and fate = 'delivered' and t_send_us > ?", run.runId, n2second.t_start_us);
    expect(fromNewN2).toBeGreaterThan(5);
    // The paused n3 answered nothing while stopped, then caught up after SIGCONT.
    const fromPausedN3 = count(db, "select count(*) from messages where run_id = ? and src = 'n3' and t_send_us between 1850000 and 2250000", run.runId);
    expect(fromPausedN3).toBe(0);
    const fromResumedN3 = count(db, "select count(*) from messages where run_id = ? and src = 'n3' and t_send_us > 2350000", run.runId);
    expect(fromResumedN3).toBeGreaterThan(5);
  });

  it('partitions and cuts block exactly the links they name, and heal restores them', async () => {
    const { db, run } = await runExperiment({
      name: 'partition',
      seed: 4,
      duration: '2500ms',
      nodes: { count: 3, program: 'ping', params: { interval: 20 } },
      faults: [
        { at: '500ms', partition: [['n1'], ['n2', 'n3']] },
        { at: '1000ms', heal: true },
        { at: '1500ms', cut: { from: 'n1', to: 'n2' } },
        { at: '2000ms', heal: true },
      ],
    });
    const fates = (from: number, to: number) =>
      Object.fromEntries(
        (db.prepare("select src || '->' || dest as link, count(*) as n from messages where run_id = ? and t_send_us between ? and ? and fate = 'partitioned' group by link").all(run.runId, from, to) as Array<{ link: string; n: number }>).map((r) => [r.link, r.n]),
      );
    const duringPartition = fates(550_000, 950_000);
    expect(Object.keys(duringPartition).sort()).toEqual(['n1->n2', 'n1->n3', 'n2->n1', 'n3->n1']);
    const duringCut = fates(1_550_000, 1_950_000);
    expect(Object.keys(duringCut)).toEqual(['n1->n2']);
    expect(fates(1_050_000, 1_450_000)).toEqual({});
    expect(fates(2_050_000, 2_400_000)).toEqual({});
    // Across the cut, n2 still reaches n1.
    expect(count(db, "select count(*) from messages where run_id = ? and src = 'n2' and dest = 'n1' and fate = 'delivered' and t_send_us between 1550000 and 1950000", run.runId)).toBeGreaterThan(10);
  });
});
