// The Lab's methods that need no node processes: validation, argument errors, presets,
// programs, recorded runs and their experiment text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { errorOf, freshLabs, PRESETS_DIR } from '../fresh-labs.js';
import { experimentYaml, faultActionFile } from '../../core/api/experiment-text.js';
import { leadingComment } from '../../core/api/presets.js';
import { parseExperiment, parseExperimentText } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { openDatabase } from '../../core/store/database.js';
import { createRun, finishRun } from '../../core/store/runs.js';

const newLab = freshLabs();
const ECHO = 'name: echo-t\nseed: 4\nduration: 1s\nnodes: { count: 3, program: echo }\nworkload: { kind: echo, rate: 50, clients: 2 }\n';


describe('Lab: experiments', () => {
  it('validates a good experiment: name, node ids and client ids', async () => {
    const { lab } = newLab();
    expect(await lab.call('experiment.validate', { text: ECHO })).toEqual({ ok: true, name: 'echo-t', nodes: ['n1', 'n2', 'n3'], clients: ['c1', 'c2'] });
  });

  it('returns the loader’s problems for a bad experiment, each with its path', async () => {
    const { lab } = newLab();
    const result = await lab.invoke('experiment.validate', { text: 'name: x\nduration: 2 seconds\nnodes: { count: 0, program: nope }\n' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(['duration', 'nodes.count']);
    expect(result.problems[1].message).toMatch(/expected an integer from 1 to 1000, got 0/);
    const yaml = await lab.invoke('experiment.validate', { text: 'name: [unclosed' });
    expect(yaml.ok).toBe(false);
    if (!yaml.ok) expect(yaml.problems[0].message).toMatch(/^invalid YAML at line 1/);
  });

  it('refuses to start an invalid experiment with an input error listing the problems', async () => {
    const { lab } = newLab();
    const error = await errorOf(lab.call('run.start', { text: 'name: x\nduration: 1s\nnodes: { count: 2, program: nope }\n' }));
    expect(error.kind).toBe('input');
    // The editor can point at the line: the problem carries it, and says it.
    expect(error.problems).toEqual([{ path: 'nodes.program', line: 3, message: expect.stringMatching(/^unknown program "nope"; known programs are echo, .* \(line 3\)$/) }]);
  });
});

describe('Lab: arguments are checked before any handler runs', () => {
  it('names the bad field for each method', async () => {
    const { lab } = newLab();
    const cases: Array<[string, unknown, string]> = [
      ['run.stop', { runId: 'one' }, 'runId'],
      ['run.stop', { runId: 0 }, 'runId'],
      ['run.stop', {}, 'runId'],
      ['experiment.validate', { text: 42 }, 'text'],
      ['run.fault', { runId: 1, fault: 'kill n2' }, 'fault'],
      ['runs.messages', { runId: 1, fromMs: 10, toMs: 5, limit: 10 }, 'toMs'],
      ['runs.messages', { runId: 1, fromMs: 0, toMs: 5, limit: 0 }, 'limit'],
      ['runs.export', { runId: 1, dir: '' }, 'dir'],
      ['runs.get', { runId: 1, extra: true }, ''],
      ['runs.operations', { runId: 1, ids: [0] }, 'ids[0]'],
      ['runs.operations', { runId: 1, ids: 'all' }, 'ids'],
    ];
    for (const [method, arg, path] of cases) {
      const error = await errorOf(lab.call(method, arg));
      expect(error.kind, `${method} ${JSON.stringify(arg)}`).toBe('input');
      expect(error.problems?.[0].path, `${method} ${JSON.stringify(arg)}`).toBe(path);
      expect(error.message).toContain(method);
    }
    const extra = await errorOf(lab.call('runs.get', { runId: 1, extra: true }));
    expect(extra.message).toMatch(/extra/);
  });

  it('refuses an unknown method and an argument where none is taken', async () => {
    const { lab } = newLab();
    const unknown = await errorOf(lab.call('run.explode', null));
    expect(unknown).toMatchObject({ kind: 'input', message: expect.stringMatching(/^unknown method "run\.explode"; the methods are lab\.info, /) });
    expect((await errorOf(lab.call('runs.list', { all: true }))).kind).toBe('input');
    // null and a missing argument are the same for methods without one.
    expect(await lab.call('run.active', undefined)).toEqual([]);
  });

  it('reports runs that do not exist or are not running as input errors', async () => {
    const { lab } = newLab();
    const missing = await errorOf(lab.call('runs.get', { runId: 99 }));
    expect(missing).toMatchObject({ kind: 'input', problems: [{ path: 'runId' }] });
    expect(missing.message).toMatch(/no run 99/);
    expect(await errorOf(lab.call('run.stop', { runId: 99 }))).toMatchObject({ kind: 'input', message: 'run 99 is not running (see run.active)' });
    expect(await errorOf(lab.call('run.fault', { runId: 99, fault: { kill: 'n1' } }))).toMatchObject({ kind: 'input', problems: [{ path: 'runId' }] });
    expect(await errorOf(lab.call('runs.export', { runId: 99, dir: 'relative/dir' }))).toMatchObject({ kind: 'input', problems: [{ path: 'dir' }] });
  });
});

describe('Lab: the app’s catalogue', () => {
  it('lists every preset with its lesson as description', async () => {
    const { lab } = newLab();
    const presets = await lab.invoke('presets.list', null);
    const files = readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(presets.map((p) => p.id)).toEqual(files);
    const raft = presets.find((p) => p.id === 'raft-leader-faults.yaml')!;
    expect(raft.name).toBe('raft-leader-faults');
    expect(raft.description).toMatch(/^Raft with a key-value workload: the leader is killed at 5 s, and whoever leads next is cut off/);
    expect(raft.description).not.toContain('#');
    expect(raft.text).toBe(readFileSync(join(PRESETS_DIR, 'raft-leader-faults.yaml'), 'utf8'));
    for (const preset of presets) {
      expect(preset.description.length, preset.id).toBeGreaterThan(20);
      expect((await lab.invoke('experiment.validate', { text: preset.text })).ok, preset.id).toBe(true);
    }
  });

  it('reads a comment block into paragraphs and stops at the first other line', () => {
    expect(leadingComment('# one\n# two\n#\n# three\nname: x\n# not this')).toBe('one two\n\nthree');
    expect(leadingComment('name: x\n')).toBe('');
  });

  it('lists the programs and describes itself', async () => {
    const { lab, dbPath } = newLab();
    const programs = await lab.invoke('programs.list', null);
    expect(programs.map((p) => p.name)).toEqual(programNames());
    expect(programs.find((p) => p.name === 'phi-accrual')!.params.some((p) => p.name === 'threshold')).toBe(true);
    const info = await lab.invoke('lab.info', null);
    expect(info).toEqual({ version: JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version, dbPath, shell: 'browser' });
  });

  it('reports a presets folder it cannot read as an internal error naming it', async () => {
    const { lab } = newLab('/nonexistent/presets');
    expect(await errorOf(lab.call('presets.list', null))).toMatchObject({ kind: 'internal', message: expect.stringContaining('/nonexistent/presets') });
  });
});

describe('Lab: runs recorded elsewhere', () => {
  it('gives back a run started from the CLI with its experiment written as a loadable file', async () => {
    const { lab, dbPath } = newLab();
    const text = readFileSync(join(PRESETS_DIR, 'raft-leader-faults.yaml'), 'utf8');
    const experiment = parseExperimentText(text, { source: 'x', programs: programNames() });
    const db = openDatabase(dbPath);
    const runId = createRun(db, { name: experiment.name, experiment, seed: experiment.seed, startedAtMs: 1_700_000_000_000, enginePid: process.pid, engineStartTime: null });
    finishRun(db, runId, { status: 'completed', endedAtMs: 1_700_000_022_000, durationMs: 22_000, summary: { checks: { leaderPerTerm: { valid: true } } } });
    db.close();

    const listed = await lab.invoke('runs.list', null);
    expect(listed).toEqual([{ id: runId, name: 'raft-leader-faults', status: 'completed', startedAtMs: 1_700_000_000_000, endedAtMs: 1_700_000_022_000, durationMs: 22_000, seed: 17, checks: { total: 1, passed: 1, failed: 0 }, messages: null, warnings: [], originRunId: null, label: null, note: null, differs: null }]);
    const got = await lab.invoke('runs.get', { runId });
    expect(got.run).toEqual(listed[0]);
    expect(got.summary).toEqual({ checks: { leaderPerTerm: { valid: true } } });
    const reloaded = parseExperimentText(got.experimentText, { source: 'y', programs: programNames() });
    expect(reloaded).toEqual(experiment);
    expect(got.experimentText).toContain('kill: leader');

    const data = await lab.invoke('runs.data', { runId });
    expect(data).toMatchObject({ runId, untilMs: 22_000, traffic: [], messages: [], nodes: {}, blocked: [] });
  });

  it('writes every preset back to a file that loads as the same experiment', () => {
    for (const file of readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.yaml'))) {
      const experiment = parseExperimentText(readFileSync(join(PRESETS_DIR, file), 'utf8'), { source: file, programs: programNames() });
      expect(parseExperimentText(experimentYaml(experiment), { source: file, programs: programNames() }), file).toEqual(experiment);
    }
  });

  it('writes every kind of link setting, clock and fault back faithfully', () => {
    const file = {
      name: 'everything',
      seed: 9,
      duration: '1500ms',
      nodes: { count: 4, command: ['python3', 'x.py'], params: { a: 1 }, initTimeout: '2s', env: { A: 'b' }, cwd: '/tmp', clock: { skew: '-20ms', drift: 50 }, clocks: { n2: { skew: '250us' } } },
      network: {
        latency: { distribution: 'pareto', mean: '30ms', jitter: '60ms' },
        loss: { burst: { p: 0.01, r: 0.4 } },
        duplicate: 0.01,
        corrupt: 0.001,
        reorder: 0.2,
        bandwidth: '10Mbps',
        queueLimit: 50,
        links: [{ from: 'n1', loss: 0.5 }, { to: 'c1', latency: '7ms' }],
      },
      faults: [
        { at: '100ms', partition: [['n1'], ['n2', 'n3']] },
        { at: '200ms', partition: 'majorities-ring' },
        { at: '300ms', cut: { from: 'n1', to: ['n2', 'n3'] } },
        { at: '400ms', 'change-link': { from: 'n2', latency: { mean: '5ms', jitter: '1ms' } } },
        { at: '500ms', heal: true },
        { at: '600ms', pause: ['n1', 'n2'] },
        { at: '700ms', resume: ['n1', 'n2'] },
        { at: '800ms', stop: 'n4' },
        { at: '900ms', restart: 'n4' },
        { at: '1s', kill: 'leader' },
      ],
      workload: { kind: 'kv', rate: 40, clients: 3, keys: 7, mix: { read: 1, write: 3, cas: 0 }, loop: 'open', timeout: '1s' },
      switch: { port: 45001 },
    };
    const experiment = parseExperiment(file, { source: 'x', programs: programNames() });
    expect(parseExperimentText(experimentYaml(experiment), { source: 'y', programs: programNames() })).toEqual(experiment);
    expect(faultActionFile({ kind: 'kill', nodes: ['n2'] })).toEqual({ kill: 'n2' });
  });
});

describe('Lab: closing', () => {
  it('refuses new runs once it is closing, and closing twice is harmless', async () => {
    const { lab } = newLab();
    await lab.close();
    expect(await errorOf(lab.call('run.start', { text: ECHO }))).toEqual({ kind: 'internal', message: 'the lab is shutting down; no new runs' });
    await lab.close();
  });
});
