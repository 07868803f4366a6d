// distlab replay on a real recorded run: the state at instants before and after a kill and
// a partition, and clear errors for what cannot be answered.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir, lastJsonLine } from './helpers.js';

const yaml = `
name: replay-heartbeats
seed: 4
duration: 3s
nodes: { count: 3, program: heartbeat }
faults:
  - { at: 1500ms, kill: n2 }
  - { at: 2s, partition: [[n1], [n3]] }
`;

let db: string;
/** The instant to replay before the kill, in ms: once every node is up. */
let beforeMs: number;

beforeAll(() => {
  const dir = tempDir();
  db = path.join(dir, 'runs.db');
  const file = path.join(dir, 'replay.yaml');
  writeFileSync(file, yaml);
  const run = runCli(['run', file, '--db', db, '--json']);
  expect(run.code).toBe(0);
  // A loaded machine took over 800 ms to start the nodes: the instant before the kill (at 1.5 s)
  // is halfway from when the record says they were all up.
  const record = new Database(db, { readonly: true });
  const upMs = (record.prepare("select t_us from events where run_id = 1 and kind = 'nodes-up'").pluck().get() as number) / 1000;
  record.close();
  expect(upMs).toBeLessThan(1500);
  beforeMs = Math.round((upMs + 1500) / 2);
});

const replay = (...args: string[]) => runCli(['replay', ...args, '--db', db]);
const json = (at: string) => {
  const out = replay('1', '--at', at, '--json');
  expect(out.code).toBe(0);
  return lastJsonLine(out.stdout);
};

describe('distlab replay', () => {
  it('shows every node up before the kill, and n2 crashed and suspected after it, with the partition', () => {
    const before = json(`${beforeMs}ms`);
    expect(before).toMatchObject({ runId: 1, t: beforeMs, partitions: [], cutLinks: [] });
    expect(Object.values(before.nodes).map((n) => (n as { state: string }).state)).toEqual(['up', 'up', 'up']);
    expect(before.nodes.n1.suspects ?? []).toEqual([]);

    const after = json('2.7s');
    expect(after.t).toBe(2700);
    expect(after.nodes.n2.state).toBe('crashed');
    expect(after.nodes.n1.suspects).toContain('n2');
    expect(after.nodes.n3.suspects).toContain('n2');
    expect(after.partitions).toEqual([[['n1'], ['n3']]]);
    expect(after.blocked).toEqual(expect.arrayContaining([['n1', 'n3'], ['n3', 'n1']]));
    expect(after.lastEvents.length).toBeGreaterThan(0);
  });

  it('prints the same state as text', () => {
    const out = replay('1', '--at', '2700ms');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^run 1 at 2\.700 s/);
    expect(out.stdout).toMatch(/n2\s+crashed/);
    expect(out.stdout).toContain('partitioned {n1} | {n3}');
  });

  it('refuses a time outside the run, an unreadable time and a run that does not exist', () => {
    const late = replay('1', '--at', '10s');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('--at: 10s is after the end of run 1');
    const garbled = replay('1', '--at', 'soon');
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('--at: expected a time in the run like "4.5s" or "4500ms", got "soon"');
    const missing = replay('99', '--at', '1s');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run 99');
  });
});
