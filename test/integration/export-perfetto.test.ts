// distlab export --format perfetto: Chrome trace-event JSON of a real run, checked for the
// structure Perfetto and chrome://tracing read: tracks per node, states as slices, flows
// from each send to its receive, faults as instants, metrics as counters.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from './helpers.js';

type Ev = { ph: string; name: string; pid: number; tid?: number; ts?: number; dur?: number; id?: number; cat?: string; bp?: string; args?: Record<string, unknown> };

describe('distlab export --format perfetto', () => {
  it('writes states, message flows, faults and counters that match the record', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const file = path.join(dir, 'p.yaml');
    writeFileSync(file, 'name: perfetto\nseed: 2\nduration: 2s\nnodes: { count: 3, program: heartbeat }\nnetwork: { loss: 0.1 }\nfaults:\n  - { at: 800ms, kill: n2 }\n  - { at: 1200ms, partition: [[n1], [n3]] }\n');
    expect(runCli(['run', file, '--db', db, '--json']).code).toBe(0);
    const out = path.join(dir, 'trace');
    expect(runCli(['export', '1', '--format', 'perfetto', '--out', out, '--db', db]).code).toBe(0);
    const trace = JSON.parse(readFileSync(path.join(out, 'run.trace.json'), 'utf8')) as { traceEvents: Ev[] };
    const events = trace.traceEvents;
    const read = new Database(db, { readonly: true });
    const count = (sql: string) => read.prepare(sql).pluck().get() as number;

    const processes = new Map(events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [String(e.args!.name), e.pid]));
    expect([...processes.keys()].slice(0, 4)).toEqual(['network', 'n1', 'n2', 'n3']);

    const n2States = events.filter((e) => e.ph === 'X' && e.cat === 'state' && e.pid === processes.get('n2')).sort((a, b) => a.ts! - b.ts!);
    expect(n2States.map((e) => e.name)).toEqual(['starting', 'up', 'crashed']);
    const kill = count("select t_us from faults where run_id = 1 and kind = 'kill'");
    expect(n2States[2].ts).toBeGreaterThanOrEqual(kill);

    const starts = events.filter((e) => e.ph === 's');
    const ends = events.filter((e) => e.ph === 'f');
    expect(starts).toHaveLength(count("select count(*) from messages where run_id = 1 and t_deliver_us is not null"));
    expect(ends).toHaveLength(starts.length);
    // Every flow step binds to a message slice on its own track at its own time.
    const slices = new Set(events.filter((e) => e.ph === 'X' && e.cat === 'message').map((e) => `${e.pid}/${e.tid}/${e.ts}`));
    for (const f of [...starts, ...ends]) expect(slices.has(`${f.pid}/${f.tid}/${f.ts}`)).toBe(true);
    expect(ends.every((e) => e.bp === 'e')).toBe(true);
    const lost = events.filter((e) => e.ph === 'X' && e.cat === 'message' && String(e.name).endsWith('(lost)'));
    expect(lost).toHaveLength(count("select count(*) from messages where run_id = 1 and fate = 'lost'"));

    expect(events.filter((e) => e.ph === 'i' && e.cat === 'fault').map((e) => e.name)).toEqual(['kill n2', 'partition']);
    expect(events.filter((e) => e.ph === 'C')).toHaveLength(count('select count(*) from metrics where run_id = 1'));
    expect(events.filter((e) => e.ph === 'i' && e.cat === 'event' && e.name === 'dead').length).toBeGreaterThan(0);
    read.close();
  });
});
