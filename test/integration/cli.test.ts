import { describe, it, expect } from 'vitest';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { childPids, pidAlive, runCli, sleep, startCli, tempDir, lastJsonLine } from './helpers.js';

function experimentFile(dir: string, yaml: string): string {
  const file = path.join(dir, 'experiment.yaml');
  writeFileSync(file, yaml);
  return file;
}

const echoYaml = (duration: string) => `
name: cli-echo
seed: 9
duration: ${duration}
nodes: { count: 2, program: echo }
workload: { kind: echo, rate: 40, clients: 2 }
`;

describe('the distlab CLI', () => {
  it('runs an experiment and prints the JSON summary as the last line of stdout', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = runCli(['run', experimentFile(dir, echoYaml('800ms')), '--db', db, '--json']);
    expect(out.code).toBe(0);
    const last = lastJsonLine(out.stdout);
    expect(last).toMatchObject({ runId: 1, status: 'completed', nodes: 2, checks: { echo: { valid: true } } });
    expect(Object.keys(last.messages).sort()).toEqual(['corrupted', 'delivered', 'duplicated', 'inFlightAtEnd', 'lost', 'overflow', 'partitioned', 'sent', 'undeliverable']);
    expect(Object.keys(last.ops)).toEqual(['total', 'ok', 'fail', 'timeout']);
    expect(Object.keys(last.latencyMs)).toEqual(['p50', 'p95', 'p99', 'max']);
    expect(last.ops.ok).toBeGreaterThan(10);

    const runs = runCli(['runs', '--db', db, '--json']);
    expect(runs.code).toBe(0);
    expect(JSON.parse(runs.stdout)[0]).toMatchObject({ id: 1, name: 'cli-echo', status: 'completed' });
    expect(runCli(['runs', '--db', db]).stdout).toMatch(/^id\s+name\s+status/);
  });

  it('honours --seed and --duration', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const out = runCli(['run', experimentFile(dir, echoYaml('10s')), '--db', db, '--json', '--seed', '123', '--duration', '600ms']);
    const last = lastJsonLine(out.stdout);
    expect(last.seed).toBe(123);
    expect(last.durationMs).toBeGreaterThanOrEqual(600);
    expect(last.durationMs).toBeLessThan(2000);
  });

  it('rejects an invalid file with exit code 2, naming the file and the field, and starts nothing', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const file = experimentFile(dir, 'name: bad\nduration: 1s\nnodes: { count: three, program: echo }\n');
    const out = runCli(['run', file, '--db', db]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(file);
    expect(out.stderr).toContain('nodes.count');
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a foreign database with exit code 2 and leaves it untouched', () => {
    const dir = tempDir();
    const db = path.join(dir, 'other.db');
    const foreign = new Database(db);
    foreign.exec('create table users (id integer primary key, name text); insert into users (name) values (\'ada\')');
    foreign.close();
    const before = readFileSync(db);
    const out = runCli(['run', experimentFile(dir, echoYaml('500ms')), '--db', db]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('not a Distlab database');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('gives usage errors exit code 2 without a stack trace', () => {
    const out = runCli(['export', 'abc', '--out', tempDir(), '--db', path.join(tempDir(), 'x.db')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('RUN_ID');
    expect(runCli(['frobnicate']).code).toBe(2);
  });

  it('exports a run as CSV files with header rows', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    // 2 s: a loaded machine can take 1 s to start the nodes, and the workload starts after them.
    expect(runCli(['run', experimentFile(dir, echoYaml('2s')), '--db', db]).code).toBe(0);
    const outDir = path.join(dir, 'csv');
    const out = runCli(['export', '1', '--out', outDir, '--db', db]);
    expect(out.code).toBe(0);
    const messages = readFileSync(path.join(outDir, 'messages.csv'), 'utf8').trim().split(/\r?\n/);
    expect(messages[0].split(',').slice(0, 8)).toEqual(['id', 'src', 'dest', 'type', 't_send_ms', 't_deliver_ms', 'fate', 'bytes']);
    expect(messages.length).toBeGreaterThan(10);
    // Every recorded message is exported, one line each.
    const recorded = new Database(db, { readonly: true });
    const messageRows = (recorded.prepare('select count(*) as n from messages where run_id = 1').get() as { n: number }).n;
    recorded.close();
    expect(messages.length - 1).toBe(messageRows);
    const operations = readFileSync(path.join(outDir, 'operations.csv'), 'utf8').trim().split(/\r?\n/);
    expect(operations[0]).toMatch(/^client,node,op,t_invoke_ms,t_complete_ms/);
    for (const file of ['events.csv', 'metrics.csv']) expect(existsSync(path.join(outDir, file))).toBe(true);
    expect(runCli(['export', '7', '--out', outDir, '--db', db]).stderr).toContain('no run 7');
  });

  it('on Ctrl-C stops the nodes, keeps the record and marks the run interrupted', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const cli = startCli(['run', experimentFile(dir, echoYaml('30s')), '--db', db, '--json']);
    let stdout = '';
    cli.stdout.on('data', (d) => (stdout += d));
    await sleep(1500);
    const nodes = childPids(cli.pid!);
    expect(nodes.length).toBe(2);
    cli.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    expect(code).toBe(130);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!).status).toBe('interrupted');
    for (const pid of nodes) expect(pidAlive(pid)).toBe(false);
    const reader = new Database(db, { readonly: true });
    expect(reader.prepare('select status from runs').pluck().get()).toBe('interrupted');
    expect(reader.prepare("select count(*) from operations where outcome = 'ok'").pluck().get()).toBeGreaterThan(10);
  });

  it('on Ctrl-C while the nodes are still coming up, ends the run at once instead of waiting out their init timeout', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    // A node that never answers init: bring-up would wait 30 s for it.
    const silent = `
name: cli-silent
seed: 9
duration: 30s
nodes: { count: 2, command: [${JSON.stringify(process.execPath)}, -e, "setInterval(() => {}, 1000)"], initTimeout: 30s }
`;
    const cli = startCli(['run', experimentFile(dir, silent), '--db', db, '--json']);
    let stdout = '';
    cli.stdout.on('data', (d) => (stdout += d));
    await sleep(1500);
    const nodes = childPids(cli.pid!);
    expect(nodes.length).toBe(2);
    const stopped = Date.now();
    cli.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect(code).toBe(130);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!).status).toBe('interrupted');
    for (const pid of nodes) expect(pidAlive(pid)).toBe(false);
  });

  it('after the engine is killed, its nodes exit by themselves and the next open marks the run interrupted', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const cli = startCli(['run', experimentFile(dir, echoYaml('30s')), '--db', db]);
    await sleep(1500);
    const nodes = childPids(cli.pid!);
    expect(nodes.length).toBe(2);
    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.on('exit', resolve));
    // Built-in nodes notice the broken link to the switch and exit within a second.
    await sleep(1000);
    for (const pid of nodes) expect(pidAlive(pid)).toBe(false);
    // What was flushed before the kill is kept: at most 250 ms behind.
    const reader = new Database(db, { readonly: true });
    expect(reader.prepare('select status from runs').pluck().get()).toBe('running');
    expect(reader.prepare('select count(*) from operations').pluck().get()).toBeGreaterThan(10);
    reader.close();
    const list = runCli(['runs', '--db', db, '--json']);
    expect(JSON.parse(list.stdout)[0].status).toBe('interrupted');
  });

  it('reaps a paused node left behind by a killed engine, verifying its start time', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    const yaml = `
name: paused-orphan
duration: 30s
nodes: { count: 2, program: ping }
faults: [{ at: 500ms, pause: n2 }]
`;
    const cli = startCli(['run', experimentFile(dir, yaml), '--db', db]);
    await sleep(1500);
    const nodes = childPids(cli.pid!);
    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.on('exit', resolve));
    await sleep(1000);
    // The stopped node cannot notice anything: it is still there.
    const survivors = nodes.filter(pidAlive);
    expect(survivors).toHaveLength(1);
    runCli(['runs', '--db', db]);
    await sleep(100);
    expect(survivors.filter(pidAlive)).toEqual([]);
  });

  it('falls back to a free port when the configured switch port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const dir = tempDir();
      const yaml = echoYaml('600ms') + `switch: { port: ${port} }\n`;
      const out = runCli(['run', experimentFile(dir, yaml), '--db', path.join(dir, 'runs.db'), '--json']);
      expect(out.code).toBe(0);
      expect(out.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(lastJsonLine(out.stdout).ops.ok).toBeGreaterThan(0);
    } finally {
      blocker.close();
    }
  });
});

describe('distlab programs and compare', () => {
  it('lists every built-in program with its parameters, defaults and units', () => {
    const out = runCli(['programs', '--json']);
    expect(out.code).toBe(0);
    const programs = JSON.parse(out.stdout) as Array<{ name: string; description: string; params: Array<{ name: string; default: unknown; unit?: string }> }>;
    const names = programs.map((p) => p.name);
    for (const name of ['echo', 'ping', 'heartbeat', 'phi-accrual', 'swim', 'lamport', 'vector', 'causal-broadcast', 'raft-election', 'raft'])
      expect(names).toContain(name);
    const phi = programs.find((p) => p.name === 'phi-accrual')!;
    expect(phi.params.find((p) => p.name === 'interval')).toMatchObject({ default: 100, unit: 'ms' });
    expect(phi.params.find((p) => p.name === 'threshold')?.default).toBe(8);
    expect(programs.every((p) => p.description.length > 10 && !p.description.includes('\n'))).toBe(true);
    expect(runCli(['programs']).stdout).toMatch(/^phi-accrual\n/m);
  });

  it('compares runs side by side, labelled by what differs', () => {
    const dir = tempDir();
    const db = path.join(dir, 'runs.db');
    for (const interval of [50, 150]) {
      const yaml = `name: hb-${interval}\nseed: 1\nduration: 1500ms\nnodes: { count: 3, program: heartbeat, params: { interval: ${interval} } }\nfaults: [{ at: 700ms, kill: n2 }]\n`;
      expect(runCli(['run', experimentFile(dir, yaml), '--db', db]).code).toBe(0);
    }
    const json = runCli(['compare', '1', '2', '--db', db, '--json']);
    expect(json.code).toBe(0);
    const [a, b] = JSON.parse(json.stdout);
    expect(a.label).toEqual({ program: 'heartbeat', 'params.interval': 50 });
    expect(b.label).toEqual({ program: 'heartbeat', 'params.interval': 150 });
    expect(a.measurements.detection.detections[0].node).toBe('n2');
    expect(b.measurements.messagesPerNodePerSec).toBeLessThan(a.measurements.messagesPerNodePerSec);
    const table = runCli(['compare', '1', '2', '--db', db]).stdout;
    expect(table).toMatch(/^params\.interval\s+50\s+150$/m);
    expect(table).toMatch(/^detection first p50 ms/m);
    expect(runCli(['compare', '1', '--db', db]).code).toBe(2);
    expect(runCli(['compare', '1', '9', '--db', db]).stderr).toContain('no run 9');
  });
});
