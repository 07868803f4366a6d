import path from 'node:path';
import { describe, it, expect } from 'vitest';
import type Database from 'better-sqlite3';
import { repoRoot, runExperiment } from './helpers.js';

const proxy = path.join(repoRoot, 'test/fixtures/python/service_kv_proxy.py');

const kvOverService = (service: string, extra: Record<string, unknown> = {}) => ({
  name: `kv-over-${service}`,
  seed: 12,
  duration: '2s',
  nodes: { count: 3, command: ['python3', proxy, service], initTimeout: '5s' },
  network: { latency: '1ms' },
  workload: { kind: 'kv', rate: 100, clients: 3, timeout: '500ms', keys: 2 },
  ...extra,
});

type Row = { src: string; dest: string; type: string; fate: string; body: string; t_send_us: number };

describe('services as endpoints of the switch (a Python node on lin-kv)', () => {
  it('routes a node’s requests to lin-kv and its replies back, every one recorded as a message', async () => {
    const { summary, db, run } = await runExperiment(kvOverService('lin-kv'));
    expect(summary.status).toBe('completed');
    expect(summary.ops.ok).toBeGreaterThan(50);
    expect(summary.ops.timeout).toBe(0);
    const rows = db.prepare("select src, dest, type, fate, body from messages where run_id = ? and (src = 'lin-kv' or dest = 'lin-kv')").all(run.runId) as Row[];
    const requests = rows.filter((r) => r.dest === 'lin-kv');
    const replies = rows.filter((r) => r.src === 'lin-kv');
    expect(new Set(requests.map((r) => r.src))).toEqual(new Set(['n1', 'n2', 'n3']));
    expect(requests.every((r) => r.fate === 'delivered')).toBe(true);
    // One reply per request, each answering it: read_ok, write_ok, cas_ok, or error 20 / 22.
    expect(replies).toHaveLength(requests.length);
    for (const reply of replies) {
      const body = JSON.parse(reply.body) as { type: string; code?: number; in_reply_to?: number };
      expect(['read_ok', 'write_ok', 'cas_ok', 'error']).toContain(body.type);
      if (body.type === 'error') expect([20, 22]).toContain(body.code);
      expect(typeof body.in_reply_to).toBe('number');
    }
    expect(replies.some((r) => r.type === 'read_ok')).toBe(true);
    // Services are not nodes: the run's node list (the topology view's) is unchanged.
    expect(db.prepare('select distinct node from nodes where run_id = ? order by node').pluck().all(run.runId)).toEqual(['n1', 'n2', 'n3']);
    expect(summary.checks['record-consistent'].valid).toBe(true);
  });

  it('applies a partition between a node and the service: n1’s requests are cut off, the others’ go through', async () => {
    // 5 s: the workload waits for the nodes, and Python takes about 1 s to start here (more under load); each
    // client then waits out a request n1 never answers (500 ms). 2 s left room for exactly 5 on a loaded machine.
    const { summary, db, run } = await runExperiment(kvOverService('lin-kv', { duration: '5s', faults: [{ at: '800ms', partition: [['n1'], ['lin-kv']] }] }));
    expect(summary.status).toBe('completed');
    const after = (src: string, dest: string) =>
      db.prepare('select fate, count(*) as n from messages where run_id = ? and src = ? and dest = ? and t_send_us > 850000 group by fate').all(run.runId, src, dest) as Array<{ fate: string; n: number }>;
    const n1 = after('n1', 'lin-kv');
    expect(n1.map((r) => r.fate)).toEqual(['partitioned']);
    expect(n1[0].n).toBeGreaterThan(5);
    expect(after('n2', 'lin-kv').map((r) => r.fate)).toEqual(['delivered']);
    expect(after('lin-kv', 'n1')).toEqual([]);
    // The clients' requests to n1 find no answer from then on.
    expect(summary.ops.timeout).toBeGreaterThan(0);
    const fault = db.prepare("select detail_json from faults where run_id = ? and kind = 'partition'").pluck().get(run.runId) as string;
    expect(JSON.parse(fault).blocked).toEqual(expect.arrayContaining([['n1', 'lin-kv'], ['lin-kv', 'n1']]));
  });

  it('serves seq-kv and lww-kv too, through the same node pointed at another service', async () => {
    for (const service of ['seq-kv', 'lww-kv']) {
      const { summary, db, run } = await runExperiment(kvOverService(service));
      expect(summary.ops.timeout).toBe(0);
      const replies = db.prepare("select count(*) from messages where run_id = ? and src = ? and fate = 'delivered'").pluck().get(run.runId, service) as number;
      expect(replies).toBeGreaterThan(20);
    }
  });

  it('shows lww-kv’s weakness through a node: reads of values overwritten before they began; lin-kv has none', async () => {
    const oneKey = (service: string) => kvOverService(service, { workload: { kind: 'kv', rate: 200, clients: 4, timeout: '500ms', keys: 1, mix: { read: 1, write: 1, cas: 0 } } });
    const lww = await runExperiment(oneKey('lww-kv'));
    expect(staleReads(lww.db, lww.run.runId)).toBeGreaterThan(0);
    const lin = await runExperiment(oneKey('lin-kv'));
    expect(lin.summary.ops.ok).toBeGreaterThan(100);
    expect(staleReads(lin.db, lin.run.runId)).toBe(0);
  });
});

/**
 * Reads that returned v although a write of another value began after v's write had
 * completed, and itself completed before the read began: impossible in any linearizable store.
 */
function staleReads(db: Database.Database, runId: number): number {
  type Op = { op: string; start: number; end: number; value: unknown };
  const ops = (db.prepare("select op, t_invoke_us as start, t_complete_us as end, detail_json from operations where run_id = ? and outcome = 'ok'").all(runId) as Array<Op & { detail_json: string }>).map(
    (o) => ({ ...o, value: (JSON.parse(o.detail_json) as { value?: unknown }).value }),
  );
  const writes = ops.filter((o) => o.op === 'write');
  const completedWriteOf = new Map(writes.map((w) => [w.value, w]));
  return ops.filter((read) => {
    if (read.op !== 'read') return false;
    const source = completedWriteOf.get(read.value);
    return source !== undefined && writes.some((w) => w.value !== read.value && w.start > source.end && w.end < read.start);
  }).length;
}
