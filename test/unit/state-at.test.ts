// The state of a recorded run at chosen instants, against answers worked out by hand from
// a small record written here row by row.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../core/store/database.js';
import { createRun, finishRun } from '../../core/store/runs.js';
import { runSpanMs, stateAt, stateIntervals } from '../../core/analysis/state-at.js';
import { tempDir } from '../integration/helpers.js';

let db: Database.Database;
let runId: number;
const ms = (t: number) => t * 1000;

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'state.db'));
  runId = createRun(db, { name: 'hand-made', experiment: { name: 'hand-made', nodes: { count: 3 } }, seed: 1, startedAtMs: 1, enginePid: 1, engineStartTime: null });
  const event = db.prepare('INSERT INTO events (run_id, t_us, node, kind, detail_json, lamport, vc_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const fault = db.prepare("INSERT INTO faults (run_id, t_us, kind, detail_json, source) VALUES (?, ?, ?, ?, 'schedule')");
  const message = db.prepare("INSERT INTO messages (run_id, id, src, dest, type, body, bytes, t_send_us, t_deliver_us, fate, dup_of, corrupted) VALUES (?, ?, ?, ?, 't', '{}', 2, ?, ?, ?, NULL, 0)");
  const e = (t: number, node: string, kind: string, detail: unknown = null, lamport: number | null = null, vc: unknown = null) =>
    event.run(runId, ms(t), node, kind, detail === null ? null : JSON.stringify(detail), lamport, vc === null ? null : JSON.stringify(vc));
  for (const n of ['n1', 'n2', 'n3']) {
    e(0, n, 'start', { incarnation: 1 });
    e(100, n, 'up', { incarnation: 1 });
  }
  e(500, 'n1', 'role', { role: 'leader', term: 1 }, 5, { n1: 5 });
  e(510, 'n2', 'role', { role: 'follower', term: 1 }, 3, { n1: 2, n2: 3 });
  e(520, 'n2', 'leader', { leader: 'n1', term: 1 });
  e(800, 'n3', 'suspect', { peer: 'n1' });
  fault.run(runId, ms(900), 'pause', JSON.stringify({ nodes: ['n3'], signal: 'SIGSTOP' }));
  fault.run(runId, ms(1000), 'partition', JSON.stringify({ groups: [['n1'], ['n2', 'n3']], blocked: [['n1', 'n2'], ['n1', 'n3'], ['n2', 'n1'], ['n3', 'n1']] }));
  fault.run(runId, ms(1100), 'resume', JSON.stringify({ nodes: ['n3'], signal: 'SIGCONT' }));
  e(1200, 'n3', 'alive', { peer: 'n1' });
  fault.run(runId, ms(1300), 'cut', JSON.stringify({ from: ['n2'], to: ['n3'] }));
  fault.run(runId, ms(1500), 'heal', JSON.stringify({ blocked: [] }));
  fault.run(runId, ms(2000), 'kill', JSON.stringify({ nodes: ['n1'], signal: 'SIGKILL' }));
  e(2001, 'n1', 'exit', { code: null, signal: 'SIGKILL', incarnation: 1 });
  e(2300, 'n2', 'role', { role: 'candidate', term: 2 }, 7, { n1: 2, n2: 7 });
  e(2400, 'n2', 'role', { role: 'leader', term: 2 }, 9, { n1: 2, n2: 9 });
  e(2450, 'n2', 'recv', { from: 'n3' }, 12, { n1: 2, n2: 12, n3: 4 });
  message.run(runId, 1, 'n1', 'n2', ms(400), ms(402), 'delivered');
  message.run(runId, 2, 'n2', 'n1', ms(1999), null, 'undeliverable');
  message.run(runId, 3, 'n2', 'n3', ms(2500), ms(2510), 'delivered');
  message.run(runId, 4, 'n3', 'n2', ms(2990), null, 'in-flight-at-end');
  finishRun(db, runId, { status: 'completed', endedAtMs: 3001, durationMs: 3000, summary: null });
});

describe('stateAt', () => {
  it('knows nothing before the nodes start', () => {
    const s = stateAt(db, runId, 0);
    expect(Object.keys(s.nodes)).toEqual(['n1', 'n2', 'n3']);
    expect(s.nodes.n1.state).toBe('starting');
    expect(s.nodes.n1.role).toBeUndefined();
  });

  it('gives roles, terms, beliefs, suspicions and clocks, leaving out what was not recorded', () => {
    const s = stateAt(db, runId, 850);
    expect(s.nodes).toEqual({
      n1: { state: 'up', role: 'leader', term: 1, lamport: 5, vector: { n1: 5 } },
      n2: { state: 'up', role: 'follower', term: 1, leader: 'n1', lamport: 3, vector: { n1: 2, n2: 3 } },
      n3: { state: 'up', suspects: ['n1'] },
    });
    expect(s).toMatchObject({ runId, t: 850, partitions: [], cutLinks: [], inFlight: 0 });
    expect(s.lastEvents.at(-1)).toEqual({ tMs: 800, node: 'n3', kind: 'suspect', detail: { peer: 'n1' } });
  });

  it('sees a pause, then the partition with its blocked links', () => {
    expect(stateAt(db, runId, 950).nodes.n3.state).toBe('paused');
    const s = stateAt(db, runId, 1050);
    expect(s.partitions).toEqual([[['n1'], ['n2', 'n3']]]);
    expect(s.blocked).toHaveLength(4);
  });

  it('adds a one-way cut to the partition, and a heal clears both', () => {
    const s = stateAt(db, runId, 1350);
    expect(s.nodes.n3).toEqual({ state: 'up', suspects: [] });
    expect(s.partitions).toEqual([[['n1'], ['n2', 'n3']]]);
    expect(s.cutLinks).toEqual([['n2', 'n3']]);
    const healed = stateAt(db, runId, 1600);
    expect(healed).toMatchObject({ partitions: [], cutLinks: [], blocked: [] });
  });

  it('calls a killed node crashed, and follows a new leader', () => {
    const s = stateAt(db, runId, 2505);
    expect(s.nodes.n1.state).toBe('crashed');
    expect(s.nodes.n2).toMatchObject({ state: 'up', role: 'leader', term: 2, lamport: 12, vector: { n1: 2, n2: 12, n3: 4 } });
    expect(s.inFlight).toBe(1);
    expect(stateAt(db, runId, 2515).inFlight).toBe(0);
    expect(stateAt(db, runId, 2995).inFlight).toBe(1);
  });

  it('gives each node’s process states as back-to-back intervals', () => {
    const intervals = stateIntervals(db, runId, ms(3000));
    const shape = (node: string) => intervals[node].map((i) => [i.state, i.fromUs / 1000, i.toUs / 1000]);
    expect(shape('n1')).toEqual([['starting', 0, 100], ['up', 100, 2001], ['crashed', 2001, 3000]]);
    expect(shape('n3')).toEqual([['starting', 0, 100], ['up', 100, 900], ['paused', 900, 1100], ['up', 1100, 3000]]);
  });

  it('knows the run’s span', () => {
    expect(runSpanMs(db, runId)).toBe(3000);
    expect(runSpanMs(db, runId + 1)).toBeNull();
  });
});
