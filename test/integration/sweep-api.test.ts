// The lab's sweep queries on a sweep recorded by `distlab sweep`: sweeps.list and
// sweeps.get give the same combinations, runs and measurements as `--json`. And the lab's
// runs.export in every format, with a clear error for a folder that cannot be written.
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Lab } from '../../core/api/lab.js';
import { ApiError } from '../../core/api/errors.js';
import { runCli, tempDir, lastJsonLine } from './helpers.js';
import { sweepSeries } from '../../renderer/src/components/sweep/sweep-series.js';

const PRESETS_DIR = path.join(import.meta.dirname, '../../resources/experiments');

describe('the lab’s sweep queries and exports', () => {
  const dir = tempDir();
  const db = path.join(dir, 'runs.db');
  let lab: Lab;
  let cliResult: { sweepId: number; combinations: Array<{ values: Record<string, unknown>; runIds: number[]; measurements: Record<string, { median: number; min: number; max: number }> }> };

  beforeAll(() => {
    const file = path.join(dir, 'sweep.yaml');
    writeFileSync(file, 'name: sweep-api\nseed: 7\nduration: 3s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 30, clients: 2, timeout: 300ms }\nsweep:\n  network.loss: [0, 0.4]\n  nodes.count: [2]\n  repeat: 2\n');
    const out = runCli(['sweep', file, '--db', db, '--json'], { timeoutMs: 120_000 });
    expect(out.code, out.stderr).toBe(0);
    cliResult = lastJsonLine(out.stdout);
    lab = new Lab({ dbPath: db, shell: 'browser', presetsDir: PRESETS_DIR });
  }, 150_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('lists the sweep with its axes and run counts', async () => {
    const sweeps = await lab.invoke('sweeps.list', null);
    expect(sweeps).toHaveLength(1);
    expect(sweeps[0]).toMatchObject({ id: cliResult.sweepId, name: 'sweep-api', status: 'completed', repeat: 2, seed: 7, runs: 4, plannedRuns: 4, axes: [{ path: 'network.loss', values: [0, 0.4] }, { path: 'nodes.count', values: [2] }] });
  });

  it('gives each combination the runs and measurements of distlab sweep --json', async () => {
    const sweep = await lab.invoke('sweeps.get', { sweepId: cliResult.sweepId });
    expect(sweep.combinations.map((c) => c.values)).toEqual([
      { 'network.loss': 0, 'nodes.count': 2 },
      { 'network.loss': 0.4, 'nodes.count': 2 },
    ]);
    sweep.combinations.forEach((c, i) => {
      expect(c.runIds).toEqual(cliResult.combinations[i].runIds);
      expect(c.measurements).toEqual(cliResult.combinations[i].measurements);
      expect(c.runs.map((r) => r.repeat)).toEqual([0, 1]);
      // The spread is the spread of the runs' own values.
      const ok = c.runs.map((r) => r.measurements.opsOk);
      expect(c.measurements.opsOk).toMatchObject({ min: Math.min(...ok), max: Math.max(...ok) });
    });
    expect(sweep.measures.map((m) => m.key)).toContain('opsOk');
    // What the sweep view plots: one point per combination, at its value, with its spread;
    // one line per value of the other parameter, named by it.
    const lines = sweepSeries(sweep, 'network.loss', 'opsOk');
    expect(lines.map((l) => l.name)).toEqual(['nodes.count=2']);
    const [series] = lines;
    expect(series.points.map((p) => [p.x, p.median, p.min, p.max, p.combination, p.runs])).toEqual(
      sweep.combinations.map((c, i) => [c.values['network.loss'], c.measurements.opsOk.median, c.measurements.opsOk.min, c.measurements.opsOk.max, i, 2]),
    );
    expect(sweep.measures.find((m) => m.key === 'latencyP50Ms')).toMatchObject({ unit: 'ms', lowerIsBetter: true });
    // With the other parameter on x: one point, at its value, of the two combinations each on its own line.
    const byCount = sweepSeries(sweep, 'nodes.count', 'opsOk');
    expect(byCount.map((l) => [l.name, l.points.map((p) => [p.x, p.combination])])).toEqual([
      ['network.loss=0', [[2, 0]]],
      ['network.loss=0.4', [[2, 1]]],
    ]);
  });

  it('names a sweep that does not exist', async () => {
    await expect(lab.call('sweeps.get', { sweepId: 99 })).rejects.toMatchObject({ payload: { kind: 'input', problems: [{ path: 'sweepId' }] } });
    await expect(lab.call('sweeps.get', { sweepId: 'one' })).rejects.toBeInstanceOf(ApiError);
  });

  it('exports a run in each format through the same code as the CLI', async () => {
    const runId = cliResult.combinations[0].runIds[0];
    const expected: Record<string, string> = { shiviz: 'run.shiviz.log', perfetto: 'run.trace.json', jsonl: 'run.jsonl', csv: 'messages.csv' };
    for (const [format, name] of Object.entries(expected)) {
      const out = path.join(dir, `export-${format}`);
      const result = await lab.invoke('runs.export', { runId, dir: out, format: format as 'csv' });
      expect(result.files).toContain(path.join(out, name));
      expect(existsSync(path.join(out, name))).toBe(true);
    }
    expect(readFileSync(path.join(dir, 'export-shiviz', 'run.shiviz.log'), 'utf8')).toMatch(/^n1 \{"n1":1\}$/m);
    expect(JSON.parse(readFileSync(path.join(dir, 'export-perfetto', 'run.trace.json'), 'utf8')).traceEvents.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'export-jsonl', 'run.jsonl'), 'utf8').split('\n')[0])).toMatchObject({ table: 'runs', id: runId });
    await expect(lab.call('runs.export', { runId, dir: path.join(dir, 'x'), format: 'pdf' })).rejects.toMatchObject({ payload: { kind: 'input', problems: [{ path: 'format' }] } });
  });

  it('says clearly that a folder cannot be written, in every format, and writes nothing', async () => {
    const runId = cliResult.combinations[0].runIds[0];
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    for (const format of ['csv', 'shiviz', 'perfetto', 'jsonl'] as const) {
      const target = path.join(blocker, 'inside');
      await expect(lab.call('runs.export', { runId, dir: target, format })).rejects.toMatchObject({
        payload: { kind: 'input', message: `the folder ${target} cannot be created: a part of the path is a file, not a folder`, problems: [{ path: 'dir' }] },
      });
    }
    expect(readFileSync(blocker, 'utf8')).toBe('not a folder');
  });
});

describe('a sweep run by the lab (Run on a sweep file in the editor)', () => {
  it('checks the file as a sweep, runs every combination under one sweep id, and can be stopped', async () => {
    const dir = tempDir();
    const lab = new Lab({ dbPath: path.join(dir, 'runs.db'), shell: 'browser', presetsDir: PRESETS_DIR });
    try {
      const text = 'name: lab-sweep\nseed: 3\nduration: 2s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 20, clients: 1 }\nsweep:\n  nodes.count: [2, 3]\n';
      expect(await lab.invoke('experiment.validate', { text })).toEqual({ ok: true, name: 'lab-sweep', nodes: ['n1', 'n2'], clients: ['c1'], sweep: { combinations: 2, repeat: 1, runs: 2 } });
      // A bad sweep names the field, and nothing is recorded.
      const bad = text.replace('nodes.count: [2, 3]', 'nodes.cunt: [2, 3]');
      const checked = await lab.invoke('experiment.validate', { text: bad });
      expect(checked.ok).toBe(false);
      expect(JSON.stringify(checked)).toContain('unknown key \\"cunt\\"');
      await expect(lab.call('sweep.start', { text: bad })).rejects.toMatchObject({ payload: { kind: 'input' } });
      expect(await lab.invoke('sweeps.list', null)).toEqual([]);

      const { sweepId, runs } = await lab.invoke('sweep.start', { text });
      expect(runs).toBe(2);
      expect(await lab.invoke('sweep.active', null)).toEqual([sweepId]);
      const deadline = Date.now() + 90_000;
      let detail = await lab.invoke('sweeps.get', { sweepId });
      while (detail.status === 'running' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        detail = await lab.invoke('sweeps.get', { sweepId });
      }
      expect(detail.status).toBe('completed');
      expect(detail.combinations.map((c) => [c.values, c.runs.length, c.statuses])).toEqual([
        [{ 'nodes.count': 2 }, 1, ['completed']],
        [{ 'nodes.count': 3 }, 1, ['completed']],
      ]);
      const second = await lab.invoke('runs.get', { runId: detail.combinations[1].runIds[0] });
      expect(second.run.name).toBe('lab-sweep [nodes.count=3]');
      expect(second.experimentText).toMatch(/count: 3/);
      expect(await lab.invoke('sweep.active', null)).toEqual([]);
      await expect(lab.call('sweep.stop', { sweepId })).rejects.toMatchObject({ payload: { kind: 'input', problems: [{ path: 'sweepId' }] } });

      // Stopped half-way: the run under way ends, no more start, and the sweep says so.
      const long = await lab.invoke('sweep.start', { text: text.replace('duration: 2s', 'duration: 20s') });
      for (let i = 0; i < 200 && (await lab.invoke('sweeps.get', { sweepId: long.sweepId })).runs === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      await lab.invoke('sweep.stop', { sweepId: long.sweepId });
      let stopped = await lab.invoke('sweeps.get', { sweepId: long.sweepId });
      for (let i = 0; i < 300 && stopped.status === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        stopped = await lab.invoke('sweeps.get', { sweepId: long.sweepId });
      }
      expect(stopped.status).toBe('interrupted');
      expect(stopped.runs).toBe(1);
      expect(stopped.combinations[0].statuses).toEqual(['interrupted']);
    } finally {
      await lab.close();
    }
  }, 150_000);
});
