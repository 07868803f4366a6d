import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { readMaelstromFlags, type MaelstromFlags } from '../../core/cli/maelstrom-options.js';
import { maelstromExperiment, NEMESIS_RECOVERY_MS } from '../../core/cli/maelstrom-experiment.js';
import { nemesisSchedule } from '../../core/cli/maelstrom-nemesis.js';
import { parseExperiment } from '../../core/experiment/load.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const bin = 'test/fixtures/python/maelstrom_cli_echo.py';
/** The flags as commander hands them over with its defaults (Maelstrom's). */
const defaults: MaelstromFlags = { workload: 'lin-kv', bin, timeLimit: '60', rate: '5', concurrency: '1n', latency: '0', latencyDist: 'constant', nemesisInterval: '10', topology: 'grid', testCount: '1' };
const read = (flags: Partial<MaelstromFlags>, args: string[] = []) => readMaelstromFlags({ ...defaults, ...flags }, args, repoRoot);

describe('maelstrom test flags', () => {
  it("takes Maelstrom's defaults: 5 nodes, 60 s, 5 requests per second, one client per node, no latency", () => {
    const o = read({ workload: 'echo' }, ['--verbose']);
    expect(o).toMatchObject({ workload: 'echo', nodeCount: 5, timeLimitMs: 60_000, rate: 5, concurrency: 5, latency: { meanMs: 0, distribution: 'constant' }, nemesis: [], testCount: 1, logStderr: false });
    expect(o.command).toEqual([path.join(repoRoot, bin), '--verbose']);
  });

  it('reads counts, multiples of the node count, tree shapes and availability as Maelstrom does', () => {
    const o = read({ nodeCount: '4', concurrency: '2n', topology: 'tree3', availability: 'total', timeLimit: '2.5', nemesis: 'partition, kill' });
    expect(o).toMatchObject({ nodeCount: 4, concurrency: 8, topology: { shape: 'tree', branching: 3 }, availability: 1, timeLimitMs: 2500, nemesis: ['partition', 'kill'] });
    expect(read({ nodes: 'n1,n2,n3' }).nodeCount).toBe(3);
    expect(read({ nodes: 'a,b' }).notes).toEqual(['--nodes: Distlab names the 2 nodes n1, n2']);
    expect(read({ topology: 'tree' }).topology).toEqual({ shape: 'tree', branching: 2 });
    expect(read({ availability: '0.99' }).availability).toBe(0.99);
  });

  it('names the flag of every bad value', () => {
    expect(() => read({ bin: undefined })).toThrow(/^--bin: expected the path of the program that runs a node/);
    expect(() => read({ bin: 'README.md' })).toThrow('--bin README.md: not executable');
    expect(() => read({ bin: 'no-such-node.py' })).toThrow('--bin no-such-node.py: no such file');
    expect(() => read({ workload: 'echoes' })).toThrow('-w/--workload: expected one of echo, unique-ids, broadcast');
    expect(() => read({ nodeCount: 'three' })).toThrow('--node-count: expected an integer from 1 to 1000, got "three"');
    expect(() => read({ rate: '-1' })).toThrow('--rate: expected a number of at least 0, got "-1"');
    expect(() => read({ rate: '0' })).toThrow(/^--rate: expected a rate above 0/);
    expect(() => read({ concurrency: '2x' })).toThrow('--concurrency: expected a number of clients');
    expect(() => read({ nemesis: 'partition,clock' })).toThrow('--nemesis: expected one of partition, kill, pause, got "clock"');
    expect(() => read({ nemesis: 'partition', nodeCount: '1' })).toThrow('--nemesis partition: a partition needs at least 2 nodes');
    expect(() => read({ latencyDist: 'normal' })).toThrow('--latency-dist: expected one of constant, uniform, exponential');
    expect(() => read({ availability: 'most' })).toThrow('--availability: expected total or a fraction from 0 to 1, got "most"');
    expect(() => read({ consistencyModels: 'serializable,linearish' })).toThrow('--consistency-models: expected one of read-uncommitted');
    expect(() => read({ timeLimit: '0' })).toThrow('--time-limit: expected a number above 0, got "0"');
  });
});

describe('maelstrom test flags as an experiment', () => {
  it('runs the binary with its arguments, the workload of the same name, and the latency', () => {
    const file = maelstromExperiment(read({ workload: 'broadcast', nodeCount: '3', timeLimit: '10', rate: '20', latency: '40', latencyDist: 'uniform', topology: 'line', availability: '0.9' }, ['fast']), 7);
    expect(file).toEqual({
      name: 'maelstrom broadcast: maelstrom_cli_echo.py fast',
      seed: 7,
      duration: '10s',
      nodes: { count: 3, command: [path.join(repoRoot, bin), 'fast'] },
      network: { latency: { distribution: 'uniform', mean: '40ms', jitter: '40ms' } },
      workload: { kind: 'broadcast', rate: 20, clients: 3, topology: 'line', availability: 0.9 },
    });
    const experiment = parseExperiment(file, { source: 'test', programs: [] });
    expect(experiment.network.defaults.latency).toEqual({ distribution: 'uniform', meanMs: 40, jitterMs: 40 });
    expect(experiment.workload).toMatchObject({ kind: 'broadcast', topology: 'line', availability: 0.9, clients: 3 });
  });

  it('maps every workload to the kind of the same name, with the options that belong to it', () => {
    const kind = (workload: string) => (maelstromExperiment(read({ workload, keyCount: '3', maxTxnLength: '2', consistencyModels: 'read-committed' }), 1).workload as Record<string, unknown>);
    expect(kind('lin-kv')).toMatchObject({ kind: 'lin-kv', keys: 3 });
    expect(kind('g-counter')).toEqual({ kind: 'g-counter', rate: 5, clients: 5 });
    expect(kind('txn-list-append')).toMatchObject({ kind: 'txn-list-append', keys: 3, maxTxnLength: 2, consistencyModels: ['read-committed'] });
    expect(kind('echo')).not.toHaveProperty('keys');
  });
});

describe('the --nemesis schedule', () => {
  const plan = { faults: ['partition', 'kill', 'pause'] as const, intervalMs: 2000, timeLimitMs: 30_000, nodeCount: 5, seed: 3 };
  const atMs = (at: string) => (at.endsWith('ms') ? Number(at.slice(0, -2)) : Number(at.slice(0, -1)) * 1000);

  it('alternates start and stop per fault, within the time limit, and ends with everything healed and running', () => {
    const entries = nemesisSchedule({ ...plan, faults: [...plan.faults] });
    expect(entries.length).toBeGreaterThan(6);
    const state = { partition: false, held: { kill: [] as unknown[], pause: [] as unknown[] } };
    for (const entry of entries) {
      expect(atMs(entry.at)).toBeLessThanOrEqual(30_000);
      if (entry.partition || entry.heal) {
        expect(state.partition).toBe(Boolean(entry.heal));
        state.partition = Boolean(entry.partition);
      }
      for (const [start, stop] of [['kill', 'restart'], ['pause', 'resume']] as const) {
        if (entry[start]) {
          expect(state.held[start]).toEqual([]);
          state.held[start] = entry[start] as unknown[];
        }
        if (entry[stop]) {
          expect(entry[stop]).toEqual(state.held[start]);
          state.held[start] = [];
        }
      }
    }
    expect(state).toEqual({ partition: false, held: { kill: [], pause: [] } });
    expect(new Set(entries.map((e) => Object.keys(e).find((k) => k !== 'at')))).toEqual(new Set(['partition', 'heal', 'kill', 'restart', 'pause', 'resume']));
  });

  it('spaces operations by the interval on average, and is reproduced by its seed', () => {
    const many = nemesisSchedule({ ...plan, faults: ['partition'], timeLimitMs: 600_000 });
    const gaps = many.slice(1).map((e, i) => atMs(e.at) - atMs(many[i].at));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(1500);
    expect(mean).toBeLessThan(2500);
    expect(nemesisSchedule({ ...plan, faults: ['kill'] })).toEqual(nemesisSchedule({ ...plan, faults: ['kill'] }));
    expect(nemesisSchedule({ ...plan, faults: ['kill'] })).not.toEqual(nemesisSchedule({ ...plan, faults: ['kill'], seed: 4 }));
  });

  it('becomes faults the experiment accepts, and the run lasts the recovery period longer', () => {
    const file = maelstromExperiment(read({ workload: 'echo', nemesis: 'partition,kill,pause', nemesisInterval: '1', timeLimit: '20' }), 9);
    expect(file.duration).toBe(`${(20_000 + NEMESIS_RECOVERY_MS) / 1000}s`);
    const experiment = parseExperiment(file, { source: 'test', programs: [] });
    expect(experiment.faults.length).toBeGreaterThan(5);
    expect(experiment.faults.every((f) => f.atMs <= 20_000)).toBe(true);
  });
});
