import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { lastJsonLine, runCli, tempDir } from './helpers.js';

const raftYaml = `name: sim-raft-cli
mode: simulate
seed: 5
duration: 10s
nodes: { count: 5, program: raft }
network:
  latency: { distribution: normal, mean: 5ms, jitter: 2ms }
  loss: 0.02
faults:
  - { at: 3s, partition: leader }
  - { at: 5s, heal: true }
workload: { kind: kv, rate: 40, clients: 2, timeout: 1s }
`;

function file(dir: string, text: string): string {
  const at = path.join(dir, 'sim.yaml');
  writeFileSync(at, text);
  return at;
}

describe('distlab run with mode: simulate', () => {
  it('completes, says simulated, and records a run that runs and export read', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = runCli(['run', file(dir, raftYaml), '--db', db]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^run 1 completed, simulated: 10\.\d\d s of virtual time, simulated and recorded in \d+\.\d\d s, \d+\.\d\d s with the checks /);
    expect(out.stdout).toContain('check     linearizability: valid');
    expect(out.stderr).toContain('simulated, recording to');

    const json = lastJsonLine(runCli(['run', file(dir, raftYaml), '--db', db, '--json']).stdout);
    expect(json).toMatchObject({ mode: 'simulate', status: 'completed', simulation: { events: expect.any(Number), recordedMs: expect.any(Number) } });

    const runs = runCli(['runs', '--db', db]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(/sim-raft-cli\s+completed\s+.*10\.\d?s simulated/);
    const listed = lastJsonLine(runCli(['runs', '--db', db, '--json']).stdout);
    expect(listed.map((r: { simulated?: boolean }) => r.simulated)).toEqual([true, true]);

    const outDir = path.join(dir, 'export');
    const exported = runCli(['export', '1', '--out', outDir, '--db', db]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readdirSync(outDir)).toEqual(expect.arrayContaining(['messages.csv', 'events.csv', 'operations.csv']));
  });

  it('rejects nodes.command in a simulation with exit code 2, naming the field, and records nothing', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = runCli(['run', file(dir, 'name: ext\nmode: simulate\nduration: 1s\nnodes: { count: 2, command: [python3, node.py] }\n'), '--db', db]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/nodes\.command: .*cannot be simulated/);
    expect(existsSync(db)).toBe(false);
  });

  it('rejects a mode other than real or simulate with exit code 2, naming the field, and records nothing', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = runCli(['run', file(dir, 'name: m\nmode: virtual\nduration: 1s\nnodes: { count: 2, program: echo }\n'), '--db', db]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/mode: expected "real" .* or "simulate"/);
    expect(existsSync(db)).toBe(false);
  });
});
