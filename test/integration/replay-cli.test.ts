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
/** Instants to replay, in ms: between the nodes being up and the kill, and after the partition. */
let beforeMs: number;
let afterMs: number;

beforeAll(() => {
  const dir = tempDir();
  db = path.join(dir, 'runs.db');
  const file = path.join(dir, 'replay.yaml');
  writeFileSync(file, yaml);
  const run = runCli(['run', file, '--db', db, '--json']);
  expect(run.code).toBe(0);
  // Nodes take longer to start on a loaded machine, and faults wait for them: the instants come from the record.
  const record = new Database(db, { readonly: true });
  const atUs = (sql: string) => record.prepare(sql).pluck().get() as number;
  const upMs = atUs("select t_us from events where run_id = 1 and kind = 'nodes-up'") / 1000;
  const killMs = atUs("select t_us from faults where run_id = 1 and kind = 'kill'") / 1000;
  const partitionMs = atUs("select t_us from faults where run_id = 1 and kind = 'partition'") / 1000;
  record.close();
  expect(upMs).toBeLessThan(killMs);
  beforeMs = Math.round((upMs + killMs) / 2);
  afterMs = Math.round(partitionMs + 700);
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

    const after = json(`${afterMs / 1000}s`);
    expect(after.t).toBe(afterMs);
    expect(after.nodes.n2.state).toBe('crashed');
    expect(after.nodes.n1.suspects).toContain('n2');
    expect(after.nodes.n3.suspects).toContain('n2');
    expect(after.partitions).toEqual([[['n1'], ['n3']]]);
    expect(after.blocked).toEqual(expect.arrayContaining([['n1', 'n3'], ['n3', 'n1']]));
    expect(after.lastEvents.length).toBeGreaterThan(0);
  });

  it('prints the same state as text', () => {
    const out = replay('1', '--at', `${afterMs}ms`);
    expect(out.code).toBe(0);
    expect(out.stdout.startsWith(`run 1 at ${(afterMs / 1000).toFixed(3)} s`)).toBe(true);
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
