// distlab export --format shiviz on a real run with loss, extra copies and a kill: the log
// parses with ShiViz's expression, and its vector clocks obey ShiViz's rules (each host's
// own entry starts at 1 and grows by exactly 1 per event, no entry points past a host's
// last event) and are the vector clocks of the recorded sends and receives.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from './helpers.js';
import { SHIVIZ_REGEX } from '../../core/export/shiviz.js';
import { EXIT } from '../../core/cli/user-error.js';

interface LogEvent {
  host: string;
  clock: Record<string, number>;
  text: string;
}

/** The log as ShiViz reads it: its expression (named groups are JS syntax too), global and multi-line. */
function parseShiviz(log: string): LogEvent[] {
  const events: LogEvent[] = [];
  for (const match of log.matchAll(new RegExp(SHIVIZ_REGEX, 'gm'))) {
    events.push({ host: match.groups!.host, clock: JSON.parse(match.groups!.clock), text: match.groups!.event });
  }
  return events;
}

const dominates = (a: Record<string, number>, b: Record<string, number>) => Object.entries(b).every(([host, t]) => (a[host] ?? 0) >= t);

describe('distlab export --format shiviz', () => {
  it('writes a log of valid vector clocks computed from the recorded messages', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const file = path.join(dir, 's.yaml');
    writeFileSync(
      file,
      'name: shiviz\nseed: 4\nduration: 6s\nnodes: { count: 4, program: vector, params: { fanout: 2 } }\n' +
        'network: { latency: { distribution: uniform, mean: 8ms, jitter: 6ms }, loss: 0.05, duplicate: 0.1, reorder: 0.3 }\n' +
        'workload: { kind: broadcast, rate: 30, clients: 2, timeout: 1s }\nfaults:\n  - { at: 4s, kill: n2 }\n',
    );
    // The vector program gossips without retransmission: with loss, the broadcast check may
    // rightly find a message lost on some node (exit 1). The export is what is tested here.
    expect([EXIT.ok, EXIT.checkFailed]).toContain(runCli(['run', file, '--db', db]).code);
    const out = path.join(dir, 'shiviz');
    const exported = runCli(['export', '1', '--format', 'shiviz', '--out', out, '--db', db]);
    expect(exported.code).toBe(0);
    const log = readFileSync(path.join(out, 'run.shiviz.log'), 'utf8');

    // What ShiViz's "Select a file" reads: the expression, then an empty delimiter line.
    const [first, second] = log.split('\n', 2);
    expect(first).toBe(SHIVIZ_REGEX);
    expect(second).toBe('');

    const events = parseShiviz(log);
    // Every line after the header is part of exactly one event.
    expect(events.length * 2).toBe(log.split('\n').length - 3);

    // Own entry: 1, 2, 3, … per host, in file order.
    const counts = new Map<string, number>();
    for (const e of events) {
      const next = (counts.get(e.host) ?? 0) + 1;
      expect(e.clock[e.host]).toBe(next);
      counts.set(e.host, next);
    }
    // No entry names an unknown host or a time past that host's last event.
    for (const e of events) {
      for (const [host, t] of Object.entries(e.clock)) {
        expect(counts.has(host)).toBe(true);
        expect(t).toBeGreaterThanOrEqual(1);
        expect(t).toBeLessThanOrEqual(counts.get(host)!);
      }
    }

    // Recompute the clocks from the happens-before edges the log describes (a host's previous
    // event, and for a receive its send): ShiViz's own check, and receives dominate sends.
    const sends = new Map<number, Record<string, number>>();
    const last = new Map<string, Record<string, number>>();
    let receives = 0;
    let copies = 0;
    for (const e of events) {
      const expected: Record<string, number> = { ...(last.get(e.host) ?? {}) };
      const recv = /receive \S+ from \S+ \(message (\d+)(?:, a copy the network made of message (\d+))?/.exec(e.text);
      if (recv) {
        const sent = sends.get(Number(recv[2] ?? recv[1]));
        expect(sent, `the send of ${e.text}`).toBeDefined();
        expect(dominates(e.clock, sent!)).toBe(true);
        expect(e.clock[e.host]).toBeGreaterThan(sent![e.host] ?? 0);
        for (const [host, t] of Object.entries(sent!)) expected[host] = Math.max(expected[host] ?? 0, t);
        receives++;
        if (recv[2]) copies++;
      }
      expected[e.host] = (expected[e.host] ?? 0) + 1;
      expect(e.clock).toEqual(expected);
      last.set(e.host, e.clock);
      const send = /send \S+ to \S+ \(message (\d+)/.exec(e.text);
      if (send) sends.set(Number(send[1]), e.clock);
    }

    // One send per message a host sent (copies are the network's), one receive per delivery.
    const read = new Database(db, { readonly: true });
    const count = (sql: string) => read.prepare(sql).pluck().get() as number;
    expect(sends.size).toBe(count('select count(*) from messages where run_id = 1 and dup_of is null'));
    expect(receives).toBe(count('select count(*) from messages where run_id = 1 and t_deliver_us is not null'));
    expect(copies).toBe(count('select count(*) from messages where run_id = 1 and dup_of is not null and t_deliver_us is not null'));
    expect(copies).toBeGreaterThan(0);
    expect(events.some((e) => /, lost\)$/.test(e.text))).toBe(true);
    // The kill shows on the killed node's lane.
    expect(events.some((e) => e.host === 'n2' && / exit .*SIGKILL/.test(e.text))).toBe(true);
    expect([...counts.keys()]).toEqual(expect.arrayContaining(['n1', 'n2', 'n3', 'n4', 'c1', 'c2']));
    read.close();
  });

  it('refuses a folder that cannot be written, and leaves the record as it was', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const file = path.join(dir, 'e.yaml');
    writeFileSync(file, 'name: tiny\nseed: 1\nduration: 500ms\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 20, clients: 1 }\n');
    expect(runCli(['run', file, '--db', db]).code).toBe(0);
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    for (const format of ['shiviz', 'perfetto', 'jsonl', 'csv']) {
      const out = runCli(['export', '1', '--format', format, '--out', path.join(blocker, 'inside'), '--db', db]);
      expect(out.code, format).toBe(2);
      expect(out.stderr).toContain('cannot be created: a part of the path is a file, not a folder');
    }
    expect(runCli(['runs', '--db', db]).stdout).toContain('tiny');
  });
});
