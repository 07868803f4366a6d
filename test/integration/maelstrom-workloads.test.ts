import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { repoRoot, runExperiment } from './helpers.js';

// -S skips site packages: the nodes need none, and Python starts in half the time.
const python = (file: string, ...args: string[]) => ['python3', '-S', path.join(repoRoot, 'test/fixtures/python', file), ...args];

/**
 * A short run of one workload against Python nodes written from Maelstrom's docs. Python
 * takes a while to start on a busy machine, and the duration counts from the spawn: the
 * thresholds below ask for a few operations, not a rate.
 */
function run(kind: string, node: string[], workload: Record<string, unknown> = {}, faults: unknown[] = [], count = 3) {
  return runExperiment({
    faults,
    name: `maelstrom-${kind}`,
    seed: 7,
    duration: '4s',
    nodes: { count, command: node },
    workload: { kind, rate: 150, clients: 3, timeout: '1s', ...workload },
  });
}

function opCounts(db: import('better-sqlite3').Database, runId: number): Record<string, Record<string, number>> {
  const rows = db.prepare('SELECT op, outcome, COUNT(*) AS n FROM operations WHERE run_id = ? GROUP BY op, outcome').all(runId) as Array<{ op: string; outcome: string; n: number }>;
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.op] ??= {})[r.outcome] = r.n;
  return out;
}

// Three at a time (vitest's maxConcurrency): each run mostly waits on its clock and its nodes.
describe.concurrent('Maelstrom’s workloads against Python nodes, judged by their checkers', () => {
  it('unique-ids: every id distinct', async () => {
    const { summary } = await run('unique-ids', python('unique_ids_node.py'), {}, [], 2);
    expect(summary.status).toBe('completed');
    expect(summary.checks['unique-ids']).toMatchObject({ valid: true, duplicates: [] });
    expect(summary.checks['unique-ids'].acknowledged).toBeGreaterThan(5);
  }, 30_000);

  it('unique-ids: a node whose ids repeat across nodes fails, with the duplicates named', async () => {
    const { summary } = await run('unique-ids', python('unique_ids_repeating_node.py'));
    const check = summary.checks['unique-ids'] as { valid: boolean; duplicates: Array<{ id: unknown; opIds: number[] }> };
    expect(check.valid).toBe(false);
    expect(check.duplicates.length).toBeGreaterThan(0);
    expect(check.duplicates[0].opIds.length).toBeGreaterThan(1);
  }, 30_000);

  it('broadcast: with gossip along the topology, every message reaches every node by the final reads', async () => {
    const { summary, db, run: r } = await run('broadcast', python('broadcast_node.py'), { topology: 'line', final: { quiet: '1s' } });
    expect(summary.checks.broadcast).toMatchObject({ valid: true, lostCount: 0, unexpected: [], finalReads: 3 });
    expect(summary.checks.broadcast.stableLatencyMs).toMatchObject({ p50: expect.any(Number) });
    expect(summary.checks.broadcast.messagesPerOp).toBeGreaterThan(0);
    expect(summary.checks.broadcast.acknowledged).toBeGreaterThan(5);
    expect(summary.finalPhase).toMatchObject({ quietMs: 1000, readNodes: ['n1', 'n2', 'n3'], interrupted: false });
    const finals = db.prepare("SELECT node FROM operations WHERE run_id = ? AND op = 'read' AND json_extract(detail_json, '$.final') = 1 ORDER BY node").pluck().all(r.runId);
    expect(finals).toEqual(['n1', 'n2', 'n3']);
  }, 30_000);

  it('g-set: after a partition heals, the final reads hold every acknowledged element', async () => {
    // The partition never heals in the schedule: the final phase heals it.
    const { summary, db, run: r } = await run('g-set', python('g_set_node.py'), { final: { quiet: '400ms' } }, [{ at: '1500ms', partition: [['n1'], ['n2', 'n3']] }]);
    expect(summary.checks['g-set']).toMatchObject({ valid: true, lostCount: 0, finalReads: 3 });
    expect(db.prepare('SELECT kind FROM faults WHERE run_id = ? ORDER BY t_us').pluck().all(r.runId)).toEqual(['partition', 'heal']);
    expect(summary.checks['g-set'].acknowledged).toBeGreaterThan(5);
  }, 30_000);

  it('g-counter and pn-counter: final reads within the bounds; a counter that forgets adds fails', async () => {
    const g = await run('g-counter', python('g_counter_node.py'), { final: { quiet: '400ms' } });
    expect(g.summary.checks['g-counter']).toMatchObject({ valid: true, errors: [] });
    const pn = await run('pn-counter', python('pn_counter_node.py'), { final: { quiet: '400ms' } });
    expect(pn.summary.checks['pn-counter']).toMatchObject({ valid: true, errors: [] });
    expect(pn.summary.checks['pn-counter'].reads).toHaveLength(3);
    const lossy = await run('g-counter', python('g_counter_node.py', '--lose-every', '3'), { final: { quiet: '400ms' } });
    const check = lossy.summary.checks['g-counter'] as { valid: boolean; bounds: { lower: number; upper: number }; errors: Array<{ value: number }> };
    expect(check.valid).toBe(false);
    expect(check.errors).toHaveLength(3);
    for (const e of check.errors) expect(e.value).toBeLessThan(check.bounds.lower);
  }, 40_000);

  it('kafka: sends, polls and commits through one owner node pass the kafka check', async () => {
    const { summary, db, run: r } = await run('kafka', python('kafka_node.py'), { keys: 2 }, [], 2);
    expect(summary.checks.kafka).toMatchObject({ valid: true, lost: [], skips: [], committedBackwards: [] });
    const ops = opCounts(db, r.runId);
    for (const op of ['send', 'poll']) expect(ops[op]?.ok ?? 0).toBeGreaterThan(0);
    expect((ops.commit_offsets?.ok ?? 0) + (ops.list_committed_offsets?.ok ?? 0)).toBeGreaterThan(0);
  }, 30_000);

  it('lin-kv and the txn workloads: answered in Maelstrom’s shapes and recorded for their checkers', async () => {
    const kv = await run('lin-kv', python('lin_kv_node.py'), { keys: 2 }, [], 2);
    const kvOps = opCounts(kv.db, kv.run.runId);
    expect(kvOps.write.ok).toBeGreaterThan(2);
    expect(kv.summary.ops.ok).toBeGreaterThan(5);
    for (const [kind, node] of [['txn-rw-register', 'txn_rw_register_node.py'], ['txn-list-append', 'txn_list_append_node.py']]) {
      const { summary, db, run: r } = await run(kind, python(node), { keys: 3, maxTxnLength: 3 }, [], 2);
      expect(summary.ops.ok).toBeGreaterThan(5);
      expect(summary.ops.fail).toBe(0);
      const op = db.prepare("SELECT detail_json FROM operations WHERE run_id = ? AND op = 'txn' AND outcome = 'ok' LIMIT 1").pluck().get(r.runId) as string;
      const detail = JSON.parse(op) as { txn: unknown[][]; result: unknown[][] };
      expect(detail.result.map((m) => m.slice(0, 2))).toEqual(detail.txn.map((m) => m.slice(0, 2)));
    }
  }, 40_000);

  it('bad replies fail their operations with the reason, count as unknown, and a missing topology_ok is reported once', async () => {
    const ids = await run('unique-ids', python('unique_ids_misbehaving_node.py'), {}, [], 2);
    expect(ids.summary.status).toBe('completed');
    const reasons = ids.db.prepare("SELECT DISTINCT json_extract(detail_json, '$.reason') FROM operations WHERE run_id = ? AND outcome = 'fail' ORDER BY 1").pluck().all(ids.run.runId) as string[];
    expect(reasons).toContain('expected generate_ok, got generated');
    expect(reasons).toContain('generate_ok without id');
    expect(reasons.some((r) => /^in_reply_to \d+ names no request of c\d/.test(r))).toBe(true);
    expect(ids.summary.checks['unique-ids']).toMatchObject({ valid: true });

    const b = await run('broadcast', python('unique_ids_misbehaving_node.py'), { final: { quiet: '100ms' } });
    expect(b.summary.status).toBe('completed');
    const lines = b.summary.warnings.filter((w) => w.includes('topology'));
    expect(lines).toEqual(['n1, n2, n3 did not answer topology with topology_ok (waited up to 1000 ms); broadcasts go on']);
    // The run went on to its end: the final reads were sent and answered.
    expect(opCounts(b.db, b.run.runId).read.ok).toBeGreaterThanOrEqual(3);
  }, 40_000);
});
