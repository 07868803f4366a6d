import { describe, expect, it } from 'vitest';
import { recordedRunData } from '../../core/api/recorded-data.js';
import { deriveLeadership } from '../../renderer/src/components/charts/derive/leadership.js';
import { runExperiment } from './helpers.js';

// The leader chart's lanes against the record: a Raft run whose leader is killed, then whose
// next leader is cut off (a stale leader beside the new one) until the heal.
describe('leader and term lanes of a recorded Raft run', () => {
  it('draw, for every role event, that belief from its time until the node’s next role event or its end', async () => {
    const { db, run } = await runExperiment({
      name: 'lanes',
      seed: 17,
      duration: '7s',
      nodes: { count: 5, program: 'raft' },
      network: { latency: { distribution: 'normal', mean: '5ms', jitter: '2ms' } },
      faults: [{ at: '2s', kill: 'leader' }, { at: '4s', partition: 'leader' }, { at: '6s', heal: true }],
      workload: { kind: 'kv', rate: 20, clients: 2, keys: 3, timeout: '1s' },
    });
    const data = recordedRunData(db, run.runId);
    const lanes = deriveLeadership(data.events, data.faults, data.untilMs)!;

    // From the database alone: role events, and when each process ended.
    const roles = db.prepare("SELECT t_us / 1000.0 AS ms, node, detail_json FROM events WHERE run_id = ? AND kind = 'role' ORDER BY t_us, rowid").all(run.runId) as Array<{ ms: number; node: string; detail_json: string }>;
    const ends = db.prepare("SELECT t_us / 1000.0 AS ms, kind, detail_json FROM faults WHERE run_id = ? AND kind = 'kill'").all(run.runId) as Array<{ ms: number; detail_json: string }>;
    const endOf = (node: string, after: number) => Math.min(data.untilMs, ...ends.filter((k) => k.ms >= after && (JSON.parse(k.detail_json).nodes as string[]).includes(node)).map((k) => k.ms));
    expect(roles.length).toBeGreaterThan(4);
    for (const [i, e] of roles.entries()) {
      const { role, term } = JSON.parse(e.detail_json) as { role: string; term: number };
      const next = roles.slice(i + 1).find((r) => r.node === e.node);
      const toMs = Math.min(next?.ms ?? Infinity, endOf(e.node, e.ms));
      if (toMs <= e.ms) continue;
      // The lane holds this belief from the event on; a term event in between may split it.
      const drawn = lanes.roles.filter((s) => s.node === e.node && s.fromMs >= e.ms && s.toMs <= toMs);
      expect(drawn.length, `${e.node} ${role} at ${e.ms}`).toBeGreaterThan(0);
      expect(drawn[0].fromMs).toBe(e.ms);
      expect(drawn[0].role).toBe(role);
      expect(drawn[0].term).toBe(term);
      expect(drawn[drawn.length - 1].toMs).toBeCloseTo(toMs, 3);
      for (const s of drawn) expect(s.role).toBe(role);
    }
    // The lesson of the preset: the stale leader and the new one both lead for a while.
    const leaders = lanes.roles.filter((s) => s.role === 'leader');
    const overlap = leaders.some((a) => leaders.some((b) => a.node !== b.node && a.term !== b.term && a.fromMs < b.toMs && b.fromMs < a.toMs));
    expect(overlap).toBe(true);
  }, 60_000);
});
