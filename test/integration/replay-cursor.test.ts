// The lab's replay cursor on a real recorded Raft run: the state the page folds from the data
// it is sent equals `stateAt` (what `distlab replay` prints) at every instant tried; the
// seeks that make a cursor fast on long runs (clocks, messages in flight, metrics) give the
// answers of plain whole-table queries; and runs.stateAt refuses what it cannot answer.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { runExperiment, tempDir } from './helpers.js';
import { stateAt } from '../../core/analysis/state-at.js';
import { clockAt, inFlightAt } from '../../core/analysis/replay-seek.js';
import { metricsAt } from '../../core/analysis/metrics-at.js';
import { recordedRunData } from '../../core/api/recorded-data.js';
import { Lab } from '../../core/api/lab.js';
import { ApiError } from '../../core/api/errors.js';
import { localStateAt, trackOf, nodeViewsAt } from '../../renderer/src/components/replay/replay-fold.js';
import { marksOf } from '../../renderer/src/components/replay/replay-marks.js';
import { blockedLinks } from '../../renderer/src/components/replay/blocked-links.js';

const experiment = {
  name: 'replay-cursor-raft',
  seed: 23,
  duration: '4500ms',
  nodes: { count: 3, program: 'raft' },
  network: { latency: { distribution: 'normal', mean: '3ms', jitter: '1ms' }, loss: 0.02 },
  faults: [
    { at: '2s', kill: 'n2' },
    { at: '3s', partition: [['n1'], ['n2', 'n3']] },
    { at: '3500ms', heal: true },
    { at: '3700ms', pause: 'n1' },
    { at: '4s', resume: 'n1' },
  ],
  workload: { kind: 'kv', rate: 30, clients: 2, keys: 3, timeout: '500ms' },
};

let db: Database.Database;
let dbPath: string;
let runId: number;
let spanMs: number;
let killedNode: string;
let killMs: number;

beforeAll(async () => {
  const run = await runExperiment(experiment, path.join(tempDir(), 'replay.db'));
  db = run.db;
  dbPath = run.dbPath;
  runId = run.summary.runId;
  spanMs = run.summary.durationMs;
  const kill = db.prepare("SELECT t_us, detail_json FROM faults WHERE run_id = ? AND kind = 'kill'").get(runId) as { t_us: number; detail_json: string };
  killedNode = (JSON.parse(kill.detail_json) as { nodes: string[] }).nodes[0];
  killMs = kill.t_us / 1000;
}, 60_000);

afterAll(() => db?.close());

/** Instants across the run, and each recorded event or fault's own instant and the µs around it. */
function instants(): number[] {
  const out: number[] = [];
  for (let t = 0; t <= spanMs; t += 25) out.push(t);
  const times = db.prepare("SELECT t_us FROM events WHERE run_id = ? AND kind <> 'recv' UNION SELECT t_us FROM faults WHERE run_id = ?").pluck().all(runId, runId) as number[];
  for (const us of times) for (const d of [-1, 0, 1]) if (us + d >= 0 && (us + d) / 1000 <= spanMs) out.push((us + d) / 1000);
  return out;
}

describe('the replay cursor on a recorded Raft run', () => {
  it('shows the killed node up before the kill and crashed after it, as the fault row says', () => {
    const data = recordedRunData(db, runId);
    const track = trackOf(data.events, data.faults, ['n1', 'n2', 'n3']);
    const before = localStateAt(track, killMs - 1);
    expect(killedNode).toBe('n2');
    expect(before.nodes.n2.state).toBe('up');
    const exitUs = db.prepare("SELECT MIN(t_us) FROM events WHERE run_id = ? AND node = ? AND kind = 'exit' AND t_us >= ?").pluck().get(runId, killedNode, killMs * 1000) as number;
    const after = localStateAt(track, exitUs / 1000);
    expect(after.nodes[killedNode].state).toBe('crashed');
    // Drawn as the topology draws it: crashed.
    const views = nodeViewsAt(['n1', 'n2', 'n3'], after, () => []);
    expect(views.find((v) => v.id === killedNode)).toMatchObject({ look: 'crashed', state: 'crashed' });
  });

  it('shows the partition from 3 s to the heal at 3.5 s, and n1 paused from 3.7 s to 4 s', () => {
    const data = recordedRunData(db, runId);
    const track = trackOf(data.events, data.faults, ['n1', 'n2', 'n3']);
    expect(localStateAt(track, 2900).network.partitions).toEqual([]);
    const cut = localStateAt(track, 3200).network;
    expect(cut.partitions).toEqual([[['n1'], ['n2', 'n3']]]);
    expect(blockedLinks(cut, ['n1', 'n2', 'n3'])).toEqual(expect.arrayContaining([['n1', 'n2'], ['n2', 'n1'], ['n1', 'n3'], ['n3', 'n1']]));
    expect(localStateAt(track, 3600).network.partitions).toEqual([]);
    expect(localStateAt(track, 3800).nodes.n1.state).toBe('paused');
    expect(localStateAt(track, 4100).nodes.n1.state).toBe('up');
  });

  it('folds in the page exactly what stateAt folds from the record, at every instant', () => {
    const data = recordedRunData(db, runId);
    const track = trackOf(data.events, data.faults, ['n1', 'n2', 'n3']);
    const list = instants();
    expect(list.length).toBeGreaterThan(150);
    for (const t of list) {
      const server = stateAt(db, runId, t);
      const page = localStateAt(track, t);
      const withoutClocks = Object.fromEntries(Object.entries(server.nodes).map(([id, n]) => {
        const { lamport: _l, vector: _v, ...rest } = n;
        return [id, rest];
      }));
      expect({ t, nodes: page.nodes }).toEqual({ t, nodes: withoutClocks });
      expect(page.network).toEqual({ partitions: server.partitions, cutLinks: server.cutLinks, ...(server.blocked && { blocked: server.blocked }) });
    }
  });

  it('marks the kill and the elections on the timeline', () => {
    const data = recordedRunData(db, runId);
    const marks = marksOf(data.events, data.faults, null);
    expect(marks.filter((m) => m.kind === 'fault').map((m) => m.ms)).toContain(killMs);
    const elections = marks.filter((m) => m.kind === 'election');
    expect(elections.length).toBeGreaterThanOrEqual(1);
    // A second election follows the kill when the killed node was the leader (timing decides which node leads).
    const ledAtKill = stateAt(db, runId, killMs - 0.001).nodes[killedNode]?.role === 'leader';
    if (ledAtKill) expect(elections.some((m) => m.ms > killMs)).toBe(true);
    expect(elections.length).toBe(db.prepare("SELECT COUNT(*) FROM events WHERE run_id = ? AND kind = 'role' AND json_extract(detail_json, '$.role') = 'leader'").pluck().get(runId));
  });

  it('seeks clocks, messages in flight and metrics as whole-table queries answer them', () => {
    const clock = db.prepare('SELECT lamport, vc_json FROM events WHERE run_id = ? AND node = ? AND lamport IS NOT NULL AND t_us <= ? ORDER BY t_us DESC, rowid DESC LIMIT 1');
    const flying = db.prepare(`SELECT COUNT(*) FROM messages WHERE run_id = ? AND t_send_us <= ? AND (t_deliver_us > ? OR fate = 'in-flight-at-end')`).pluck();
    const metric = db.prepare('SELECT value FROM metrics WHERE run_id = ? AND node = ? AND name = ? AND t_us <= ? ORDER BY t_us DESC LIMIT 1').pluck();
    const series = db.prepare('SELECT DISTINCT node, name FROM metrics WHERE run_id = ?').all(runId) as Array<{ node: string; name: string }>;
    let inFlightSeen = 0;
    for (let t = 0; t <= spanMs; t += 37) {
      const us = Math.round(t * 1000);
      for (const node of ['n1', 'n2', 'n3']) expect(clockAt(db, runId, node, us)).toEqual(clock.get(runId, node, us));
      const n = inFlightAt(db, runId, us);
      expect(n).toBe(flying.get(runId, us, us));
      inFlightSeen += n;
      const m = metricsAt(db, runId, t);
      for (const { node, name } of series) expect(m[node]?.[name]).toBe(metric.get(runId, node, name, us) ?? undefined);
    }
    expect(inFlightSeen).toBeGreaterThan(0);
    // A crashed node keeps its last clocks: found through the keyframes, far behind the cursor.
    const late = stateAt(db, runId, spanMs);
    expect(late.nodes[killedNode].lamport).toBe((clock.get(runId, killedNode, Math.round(spanMs * 1000)) as { lamport: number }).lamport);
  });

  it('answers runs.stateAt as distlab replay does, and refuses a time after the end or an unknown run', async () => {
    const lab = new Lab({ dbPath, shell: 'browser', presetsDir: path.join(import.meta.dirname, '../../resources/experiments') });
    try {
      const at = await lab.invoke('runs.stateAt', { runId, tMs: 3200, node: 'n2' });
      const { spanMs: span, metrics, ...state } = at;
      expect(state).toEqual(stateAt(db, runId, 3200));
      expect(span).toBe(spanMs);
      expect(Object.keys(metrics)).toEqual(['n2']);
      expect(metrics.n2.commit_index).toBeGreaterThan(0);
      const late = await lab.invoke('runs.stateAt', { runId, tMs: spanMs + 1000 }).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(ApiError);
      expect((late as ApiError).payload).toMatchObject({ kind: 'input', problems: [{ path: 'tMs' }] });
      expect((late as ApiError).message).toMatch(/after the end of run/);
      const unknown = await lab.invoke('runs.stateAt', { runId: 999, tMs: 0 }).catch((e: unknown) => e);
      expect((unknown as ApiError).payload).toMatchObject({ kind: 'input' });
      expect((unknown as ApiError).message).toMatch(/no run 999/);
      const negative = await lab.call('runs.stateAt', { runId, tMs: -5 }).catch((e: unknown) => e);
      expect((negative as ApiError).payload.problems?.[0]).toMatchObject({ path: 'tMs' });
    } finally {
      await lab.close();
    }
  });
});
