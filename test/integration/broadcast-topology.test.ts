import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { repoRoot, runExperiment } from './helpers.js';

describe('the broadcast workload with a node written from Maelstrom’s spec', () => {
  it('tells every node its neighbours first, so a node that needs its topology serves every broadcast', async () => {
    const { summary, db, run } = await runExperiment({
      name: 'broadcast-line',
      seed: 4,
      duration: '3s',
      nodes: { count: 4, command: [process.execPath, path.join(repoRoot, 'test/fixtures/maelstrom-broadcast-node.mjs')] },
      workload: { kind: 'broadcast', rate: 40, clients: 2, timeout: '1s', topology: 'line' },
    });
    expect(summary.status).toBe('completed');
    const topology = db.prepare("SELECT node, outcome, detail_json FROM operations WHERE run_id = ? AND op = 'topology' ORDER BY node").all(run.runId) as Array<{ node: string; outcome: string; detail_json: string }>;
    expect(topology.map((t) => [t.node, t.outcome, JSON.parse(t.detail_json).neighbours])).toEqual([
      ['n1', 'ok', ['n2']],
      ['n2', 'ok', ['n1', 'n3']],
      ['n3', 'ok', ['n2', 'n4']],
      ['n4', 'ok', ['n3']],
    ]);
    // No broadcast reached a node before its topology did: none failed.
    const failed = db.prepare("SELECT COUNT(*) FROM operations WHERE run_id = ? AND op = 'broadcast' AND outcome <> 'ok'").pluck().get(run.runId) as number;
    const ok = db.prepare("SELECT COUNT(*) FROM operations WHERE run_id = ? AND op = 'broadcast' AND outcome = 'ok'").pluck().get(run.runId) as number;
    expect(ok).toBeGreaterThan(20);
    expect(failed).toBe(0);
    // The gossip went only along the line.
    const pairs = db.prepare("SELECT DISTINCT src || '>' || dest FROM messages WHERE run_id = ? AND type = 'gossip' ORDER BY 1").pluck().all(run.runId);
    expect(pairs).toEqual(['n1>n2', 'n2>n1', 'n2>n3', 'n3>n2', 'n3>n4', 'n4>n3']);
  }, 60_000);
});
