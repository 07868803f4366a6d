// Run again and compare, through the lab's API and the CLI, on real Raft runs: the compare
// answer carries the same numbers as `distlab compare --json`, the overlaid series come from
// the recording, a repeated run keeps its seed and names its origin, and bad input is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../core/api/lab.js';
import { ApiError } from '../../core/api/errors.js';
import type { CompareData } from '../../core/api/compare-data.js';
import { bestIndex, diffFromFirst } from '../../core/analysis/compare-table.js';
import { runCli } from './helpers.js';

const raft = (heartbeat: number) => `name: raft-compare
seed: 23
duration: 4s
nodes:
  count: 3
  program: raft
  params: { heartbeatInterval: ${heartbeat} }
network:
  latency: { distribution: normal, mean: 3ms, jitter: 1ms }
faults:
  - { at: 1.5s, kill: leader }
workload: { kind: kv, rate: 30, clients: 2, keys: 3, timeout: 1s }
`;

function ended(lab: Lab, runId: number): Promise<void> {
  return new Promise((resolve) => {
    const stop = lab.on('run.status', (e) => {
      if (e.runId === runId && e.summary) {
        stop();
        resolve();
      }
    });
  });
}

async function record(lab: Lab, start: () => Promise<{ runId: number }>): Promise<number> {
  let id = 0;
  const done = new Promise<void>((resolve) => {
    const stop = lab.on('run.status', (e) => {
      if (e.summary && (id === 0 || e.runId === id)) {
        stop();
        resolve();
      }
    });
  });
  id = (await start()).runId;
  await done;
  return id;
}

async function inputError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).payload.kind).toBe('input');
    return (error as ApiError).message;
  }
  throw new Error('expected an input error');
}

describe('compare and run again, on recorded Raft runs', () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'distlab-compare-')), 'runs.db');
  let lab: Lab;
  let a = 0;
  let b = 0;
  let again = 0;
  let echo = 0;
  let data: CompareData;

  beforeAll(async () => {
    lab = new Lab({ dbPath, shell: 'browser', presetsDir: join(import.meta.dirname, '../../resources/experiments') });
    a = await record(lab, () => lab.invoke('run.start', { text: raft(50) }));
    b = await record(lab, () => lab.invoke('run.start', { text: raft(20) }));
    again = await record(lab, () => lab.invoke('run.again', { runId: a }));
    echo = await record(lab, () => lab.invoke('run.start', { text: 'name: echo-compare\nseed: 5\nduration: 1s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 40, clients: 1 }\n' }));
    data = await lab.invoke('runs.compare', { runIds: [a, b] });
  }, 120_000);

  afterAll(() => lab?.close());

  it('gives the numbers of distlab compare --json, labelled by what differs', () => {
    const cli = runCli(['compare', String(a), String(b), '--db', dbPath, '--json']);
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(JSON.stringify(data.runs)));
    expect(data.runs.map((r) => r.label['params.heartbeatInterval'])).toEqual([50, 20]);
    expect(data.table.find((r) => r.key === 'latency.p99')?.values ?? [null, null]).toEqual(data.runs.map((r) => r.latencyMs?.p99 ?? null));
    const perNode = data.table.find((r) => r.key === 'msgs.perNodePerSec')!;
    const costs = data.runs.map((r) => r.measurements.messagesPerNodePerSec);
    expect(perNode.values).toEqual(costs);
    expect(diffFromFirst(perNode)[1]).toBeCloseTo(((costs[1] - costs[0]) / costs[0]) * 100, 0);
    // The cheaper run is the best (lowest) of the row.
    expect(bestIndex(perNode)).toBe(costs.indexOf(Math.min(...costs)));
    expect(data.csv.split('\n')[0]).toBe(`measurement,run ${a} raft-compare,run ${b} raft-compare`);
    expect(data.csv).toMatch(new RegExp(`^messages per node per second \\(/s\\),${costs[0]},${costs[1]}$`, 'm'));
  });

  it('overlays series read from the recording, with the first kill to align on', () => {
    for (const [i, s] of data.series.entries()) {
      expect(s.runId).toBe([a, b][i]);
      expect(s.firsts.kill).toBeGreaterThanOrEqual(1500);
      expect(s.firsts.kill).toBeLessThan(2500);
      expect(s.latency?.count ?? 0).toBe(data.runs[i].ops!.ok);
      if (s.latency) expect(s.latency.cdf.at(-1)).toEqual([data.runs[i].latencyMs!.max, 1]);
      // Per second over 500 ms steps: the steps add up to every ok operation.
      expect(s.throughput.ops.reduce((sum, [, perSec]) => sum + perSec / 2, 0)).toBe(data.runs[i].ops!.ok);
      expect(s.throughput.messages.reduce((sum, [, perSec]) => sum + perSec / 2, 0)).toBeGreaterThanOrEqual(data.runs[i].ops!.ok);
      // One labelled point per leader the elections measured, on a term line that only rises.
      expect(s.leadership!.leaders.length).toBeGreaterThanOrEqual(1);
      expect(s.leadership!.terms.at(-1)![1]).toBeGreaterThanOrEqual(1);
      expect(s.leadership!.terms.every(([, term], k, all) => k === 0 || term > all[k - 1][1])).toBe(true);
      expect(s.leadership!.leaders.length).toBe(data.runs[i].measurements.elections!.leaders);
      if (s.leadership!.leaders.length > 1) expect(s.firsts['leader-change']).toBe(s.leadership!.leaders[1][0]);
    }
    expect(data.info.map((i) => i.nodes)).toEqual([['n1', 'n2', 'n3'], ['n1', 'n2', 'n3']]);
    expect(data.info[1].experimentYaml).toMatch(/heartbeatInterval: 20/);
  });

  it('runs again with the same seed, linked to its origin, and lists the link', async () => {
    const runs = await lab.invoke('runs.list', null);
    const repeat = runs.find((r) => r.id === again)!;
    expect(repeat.seed).toBe(23);
    expect(repeat.originRunId).toBe(a);
    expect(runs.find((r) => r.id === a)!.originRunId).toBeNull();
    expect((await lab.invoke('runs.get', { runId: again })).run.originRunId).toBe(a);
    const listed = runCli(['runs', '--db', dbPath]).stdout.split('\n');
    expect(listed[0]).toMatch(/\bfrom$/);
    expect(listed.find((l) => l.startsWith(`${again} `))).toMatch(new RegExp(`#${a}$`));
    const pair = await lab.invoke('runs.compare', { runIds: [a, again] });
    // Same experiment, same seed: nothing but the program names the runs.
    expect(Object.keys(pair.runs[0].label)).toEqual(['program']);
  });

  it('compares runs of different programs, a run without a measurement showing none', async () => {
    const mixed = await lab.invoke('runs.compare', { runIds: [a, echo] });
    expect(mixed.runs.map((r) => r.label.program)).toEqual(['raft', 'echo']);
    const elections = mixed.table.find((r) => r.key === 'elections.count')!;
    expect(elections.values[0]).toBe(mixed.runs[0].measurements.elections!.elections);
    expect(elections.values[1]).toBeNull();
    expect(mixed.table.find((r) => r.key === 'latency.p50')?.values ?? [null, null]).toEqual(mixed.runs.map((r) => r.latencyMs?.p50 ?? null));
    expect(mixed.series[1].leadership).toBeNull();
    expect(mixed.series[1].lag).toBeNull();
    expect(mixed.series[1].latency?.count ?? 0).toBe(mixed.runs[1].ops!.ok);
  });

  it('refuses bad comparisons with a message naming the problem', async () => {
    expect(await inputError(lab.call('runs.compare', { runIds: [a, a] }))).toMatch(new RegExp(`run ${a} is given twice: a run cannot be compared with itself`));
    expect(await inputError(lab.call('runs.compare', { runIds: [a, b, again, a + 100, a + 101] }))).toMatch(/at most 4 runs; got 5/);
    expect(await inputError(lab.call('runs.compare', { runIds: [a] }))).toMatch(/at least 2 runs/);
    expect(await inputError(lab.call('runs.compare', { runIds: [a, 999] }))).toMatch(/no run 999/);
    expect(await inputError(lab.call('run.again', { runId: 999 }))).toMatch(/no run 999/);
    expect(await inputError(lab.call('run.start', { text: raft(50), originRunId: 999 }))).toMatch(/no run 999/);
    expect((await lab.invoke('runs.list', null)).length).toBe(4);
    for (const [args, message] of [
      [[String(a), String(a)], `run ${a} is given twice`],
      [['1', '2', '3', '4', '5'], 'at most 4 runs; got 5'],
      [[String(a), '999'], 'no run 999'],
    ] as const) {
      const out = runCli(['compare', ...args, '--db', dbPath]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(message);
    }
  });
});
