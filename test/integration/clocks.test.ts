import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { count, repoRoot, runExperiment } from './helpers.js';

const broadcastRun = (nodes: Record<string, unknown>, network: Record<string, unknown> = {}) => ({
  name: 'clocks',
  seed: 8,
  duration: '3s',
  nodes: { count: 4, ...nodes },
  network: { latency: { distribution: 'uniform', mean: '6ms', jitter: '5ms' }, reorder: 0.3, ...network },
  workload: { kind: 'broadcast', rate: 30, clients: 2, timeout: '1s' },
});

describe('logical clock programs on real processes', () => {
  it('lamport: every receive is later than its send, per the recorded bodies', async () => {
    const { summary, db, run } = await runExperiment(broadcastRun({ program: 'lamport' }));
    expect(summary.status).toBe('completed');
    const check = summary.checks['clock-condition'] as Record<string, number> & { valid: boolean };
    expect(check.valid).toBe(true);
    expect(check.pairsChecked).toBeGreaterThan(100);
    expect(check.unmatchedReceives).toBe(0);
    // Each node's deliveries carry its Lamport value, and the runtime recorded clocks on them.
    const delivers = db.prepare("select node, lamport, detail_json from events where run_id = ? and kind = 'deliver'").all(run.runId) as Array<{ node: string; lamport: number; detail_json: string }>;
    expect(delivers.length).toBeGreaterThan(50);
    expect(delivers.every((d) => typeof d.lamport === 'number' && typeof JSON.parse(d.detail_json).clock === 'number')).toBe(true);
  });

  it('vector: messages carry vector clocks and deliveries record them', async () => {
    const { summary, db, run } = await runExperiment(broadcastRun({ program: 'vector' }));
    expect(summary.checks['clock-condition'].valid).toBe(true);
    const body = JSON.parse(db.prepare("select body from messages where run_id = ? and type = 'gossip' limit 1").pluck().get(run.runId) as string);
    expect(Object.keys(body.vc).every((k) => /^n\d$/.test(k))).toBe(true);
    expect(typeof body.lamport).toBe('number');
    const vc = db.prepare("select vc_json from events where run_id = ? and kind = 'deliver' and vc_json is not null limit 1").pluck().get(run.runId) as string;
    expect(Object.values(JSON.parse(vc)).every((v) => typeof v === 'number')).toBe(true);
  });

  it('causal broadcast delivers exactly once in causal order under duplication, reordering and loss', async () => {
    const { summary, db, run } = await runExperiment(broadcastRun({ program: 'causal-broadcast' }, { duplicate: 0.2, loss: 0.05 }));
    const check = summary.checks['causal-delivery'] as Record<string, number | boolean>;
    expect(check.valid).toBe(true);
    expect(check.duplicates).toBe(0);
    expect(check.outOfOrder).toBe(0);
    expect(check.deliveries).toBeGreaterThan(100);
    expect(summary.messages.duplicated).toBeGreaterThan(10);
    // The buffer did its job at least once: something arrived before what it depends on.
    expect(count(db, "select count(*) from events where run_id = ? and kind = 'buffer'", run.runId)).toBeGreaterThan(0);
  });
});

describe('the checks can fail', () => {
  const fixture = (name: string) => [process.execPath, path.join(repoRoot, 'test/fixtures', name)];
  // Heavy reordering so that causal order is violated whenever the delivery rule is ignored.
  const network = { latency: { distribution: 'uniform', mean: '20ms', jitter: '19ms' }, reorder: 0.5 };

  it('a broken causal broadcast, delivering on arrival, is reported invalid', async () => {
    const { summary } = await runExperiment(broadcastRun({ command: fixture('broken-causal-node.mjs') }, network));
    const check = summary.checks['causal-delivery'] as Record<string, number | boolean>;
    expect(check.valid).toBe(false);
    expect(check.outOfOrder).toBeGreaterThan(0);
  });

  it('the correct one, run the same way over stdio, is valid', async () => {
    const { summary } = await runExperiment(broadcastRun({ command: fixture('sdk-causal-node.mjs') }, network));
    expect(summary.checks['causal-delivery'].valid).toBe(true);
    expect((summary.checks['causal-delivery'] as Record<string, number>).deliveries).toBeGreaterThan(100);
  });
});
