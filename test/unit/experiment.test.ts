import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  ExperimentError,
  loadExperimentFile,
  parseExperiment,
  parseExperimentText,
} from '../../core/experiment/load.js';
import type { Experiment } from '../../core/experiment/types.js';
import { programNames } from '../../core/programs/registry.js';

const PROGRAMS = ['echo', 'ping'];
const OPTS = { source: 'experiments/x.yaml', programs: PROGRAMS };
const EXPERIMENTS_DIR = join(import.meta.dirname, '../../resources/experiments');

const FULL_EXAMPLE = `
name: echo-under-loss
seed: 42
duration: 10s
nodes:
  count: 3
  command: [python3, my_echo.py]   # or: program: echo
  params: {}                        # passed to built-in programs (any object)
  initTimeout: 10s                  # optional, default 10s
  env: { FOO: bar }                 # optional, extra env for the node processes
  cwd: some/dir                     # optional
network:
  latency: { distribution: normal, mean: 5ms, jitter: 2ms }
  loss: 0.05          # probability per message
  duplicate: 0.01
  corrupt: 0.001
  reorder: 0.02
  bandwidth: 1MB/s
  queueLimit: 1000
  links:
    - { from: n1, to: n2, loss: 0.5 }
faults:
  - { at: 3s, partition: [[n1], [n2, n3]] }
  - { at: 6s, heal: true }
  - { at: 7s, kill: n2 }
  - { at: 8s, restart: n2 }
workload: { kind: echo, rate: 100, clients: 4 }
`;

const FULL_EXPECTED: Experiment = {
  name: 'echo-under-loss',
  seed: 42,
  seedWasRandom: false,
  durationMs: 10_000,
  nodes: {
    count: 3,
    command: ['python3', 'my_echo.py'],
    params: {},
    initTimeoutMs: 10_000,
    inboxLimitBytes: 8 * 1024 * 1024,
    env: { FOO: 'bar' },
    cwd: 'some/dir',
    clock: { skewMs: 0, driftPpm: 0 },
    clocks: {},
  },
  network: {
    defaults: {
      latency: { distribution: 'normal', meanMs: 5, jitterMs: 2 },
      loss: { kind: 'bernoulli', p: 0.05 },
      duplicate: 0.01,
      corrupt: 0.001,
      reorder: 0.02,
      bandwidthBytesPerSec: 1_000_000,
      queueLimit: 1000,
    },
    links: [{ from: 'n1', to: 'n2', patch: { loss: { kind: 'bernoulli', p: 0.5 } } }],
  },
  faults: [
    { atMs: 3000, action: { kind: 'partition', groups: [['n1'], ['n2', 'n3']] } },
    { atMs: 6000, action: { kind: 'heal' } },
    { atMs: 7000, action: { kind: 'kill', nodes: ['n2'] } },
    { atMs: 8000, action: { kind: 'restart', nodes: ['n2'] } },
  ],
  workload: { kind: 'echo', rate: 100, clients: 4, timeoutMs: 5000, loop: 'closed', keys: 5, mix: { read: 2, write: 2, cas: 1 } },
  switchPort: 0,
};

/** A valid minimal file, plus extra YAML lines. */
function minimal(extra = '', nodes = '{ count: 3, program: echo }'): string {
  return `name: t\nduration: 10s\nnodes: ${nodes}\n${extra}`;
}

function parse(text: string): Experiment {
  return parseExperimentText(text, OPTS);
}

/** The ExperimentError that parsing `text` throws. */
function errorOf(text: string): ExperimentError {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return error as ExperimentError;
  }
  throw new Error('expected an ExperimentError, but the text parsed');
}

describe('parseExperimentText: valid files', () => {
  it('normalizes the full example exactly', () => {
    expect(parse(FULL_EXAMPLE)).toStrictEqual(FULL_EXPECTED);
  });

  it('accepts the same experiment as JSON text', () => {
    const json = JSON.stringify({
      name: 'echo-under-loss',
      seed: 42,
      duration: '10s',
      nodes: {
        count: 3,
        command: ['python3', 'my_echo.py'],
        params: {},
        initTimeout: 10_000,
        env: { FOO: 'bar' },
        cwd: 'some/dir',
      },
      network: {
        latency: { distribution: 'normal', mean: '5ms', jitter: 2 },
        loss: 0.05,
        duplicate: 0.01,
        corrupt: 0.001,
        reorder: 0.02,
        bandwidth: 1_000_000,
        queueLimit: 1000,
        links: [{ from: 'n1', to: 'n2', loss: 0.5 }],
      },
      faults: [
        { at: '8s', restart: 'n2' },
        { at: '3s', partition: [['n1'], ['n2', 'n3']] },
        { at: '6s', heal: true },
        { at: 7000, kill: 'n2' },
      ],
      workload: { kind: 'echo', rate: 100, clients: 4 },
    });
    expect(parseExperimentText(json, { source: 'x.json', programs: PROGRAMS })).toStrictEqual(FULL_EXPECTED);
  });

  it('fills every default for a minimal file', () => {
    const experiment = parse(`name: t\nseed: 0\nduration: 500\nnodes: { count: 1, program: ping }`);
    expect(experiment).toStrictEqual({
      name: 't',
      seed: 0,
      seedWasRandom: false,
      durationMs: 500,
      nodes: { count: 1, program: 'ping', params: {}, initTimeoutMs: 10_000, inboxLimitBytes: 8 * 1024 * 1024, env: {}, clock: { skewMs: 0, driftPpm: 0 }, clocks: {} },
      network: {
        defaults: {
          latency: { distribution: 'constant', meanMs: 0, jitterMs: 0 },
          loss: { kind: 'bernoulli', p: 0 },
          duplicate: 0,
          corrupt: 0,
          reorder: 0,
          bandwidthBytesPerSec: null,
          queueLimit: 1000,
        },
        links: [],
      },
      faults: [],
      workload: { kind: 'none', rate: 0, clients: 0, timeoutMs: 5000, loop: 'closed', keys: 5, mix: { read: 2, write: 2, cas: 1 } },
      switchPort: 0,
    } satisfies Experiment);
  });

  it('draws a random seed when the file has none', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const experiment = parse(minimal());
      expect(experiment.seedWasRandom).toBe(true);
      expect(Number.isInteger(experiment.seed)).toBe(true);
      expect(experiment.seed).toBeGreaterThanOrEqual(0);
      expect(experiment.seed).toBeLessThan(2 ** 31);
      seeds.add(experiment.seed);
    }
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('reads a constant latency given as a plain duration', () => {
    expect(parse(minimal('network: { latency: 20ms }')).network.defaults.latency).toStrictEqual({
      distribution: 'constant',
      meanMs: 20,
      jitterMs: 0,
    });
  });

  it('defaults the latency distribution to normal with jitter and constant without', () => {
    const withJitter = parse(minimal('network: { latency: { mean: 4ms, jitter: 1ms } }'));
    expect(withJitter.network.defaults.latency).toStrictEqual({ distribution: 'normal', meanMs: 4, jitterMs: 1 });
    const withoutJitter = parse(minimal('network: { latency: { mean: 4ms } }'));
    expect(withoutJitter.network.defaults.latency).toStrictEqual({ distribution: 'constant', meanMs: 4, jitterMs: 0 });
  });

  it('accepts a uniform jitter equal to the mean', () => {
    const experiment = parse(minimal('network: { latency: { distribution: uniform, mean: 4ms, jitter: 4ms } }'));
    expect(experiment.network.defaults.latency).toStrictEqual({ distribution: 'uniform', meanMs: 4, jitterMs: 4 });
  });

  it('reads burst loss as Gilbert-Elliott with default state losses', () => {
    const experiment = parse(minimal('network: { loss: { burst: { p: 0.01, r: 0.3, lossBad: 0.9 } } }'));
    expect(experiment.network.defaults.loss).toStrictEqual({
      kind: 'gilbert-elliott',
      p: 0.01,
      r: 0.3,
      lossGood: 0,
      lossBad: 0.9,
    });
    const defaults = parse(minimal('network: { loss: { burst: { p: 0.1, r: 0.2 } } }'));
    expect(defaults.network.defaults.loss).toStrictEqual({ kind: 'gilbert-elliott', p: 0.1, r: 0.2, lossGood: 0, lossBad: 1 });
  });

  it('keeps only the given fields in link patches, and null bandwidth as unlimited', () => {
    const experiment = parse(
      minimal(
        [
          'network:',
          '  bandwidth: 10Mbps',
          '  links:',
          '    - { to: n3, latency: 50ms, bandwidth: null }',
          '    - { from: c1, loss: { burst: { p: 0.5, r: 0.5 } }, queueLimit: 10 }',
          'workload: { kind: echo }',
        ].join('\n'),
      ),
    );
    expect(experiment.network.defaults.bandwidthBytesPerSec).toBe(1_250_000);
    expect(experiment.network.links).toStrictEqual([
      { to: 'n3', patch: { latency: { distribution: 'constant', meanMs: 50, jitterMs: 0 }, bandwidthBytesPerSec: null } },
      { from: 'c1', patch: { loss: { kind: 'gilbert-elliott', p: 0.5, r: 0.5, lossGood: 0, lossBad: 1 }, queueLimit: 10 } },
    ]);
  });

  it('reads every fault action and sorts faults by time, keeping file order on ties', () => {
    const experiment = parse(
      minimal(
        [
          'workload: { kind: echo, clients: 2 }',
          'faults:',
          '  - { at: 9s, change-link: { latency: 100ms } }',
          '  - { at: 2s, kill: [n1, n2] }',
          '  - { at: 1s, stop: n3 }',
          '  - { at: 1s, pause: n1 }',
          '  - { at: 3s, resume: n1 }',
          '  - { at: 4s, partition: majority }',
          '  - { at: 5s, cut: { from: n1, to: [n2, c1] } }',
          '  - { at: 6s, change-link: { from: n1, to: c2, loss: 0.2, duplicate: 0.1 } }',
          '  - { at: 0, heal: true }',
          '  - { at: 10s, restart: [n1, n2, n3] }',
        ].join('\n'),
        '{ count: 3, program: echo }',
      ),
    );
    expect(experiment.faults).toStrictEqual([
      { atMs: 0, action: { kind: 'heal' } },
      { atMs: 1000, action: { kind: 'stop', nodes: ['n3'] } },
      { atMs: 1000, action: { kind: 'pause', nodes: ['n1'] } },
      { atMs: 2000, action: { kind: 'kill', nodes: ['n1', 'n2'] } },
      { atMs: 3000, action: { kind: 'resume', nodes: ['n1'] } },
      { atMs: 4000, action: { kind: 'partition-pattern', pattern: 'majority' } },
      { atMs: 5000, action: { kind: 'cut', from: ['n1'], to: ['n2', 'c1'] } },
      {
        atMs: 6000,
        action: { kind: 'change-link', from: 'n1', to: 'c2', patch: { loss: { kind: 'bernoulli', p: 0.2 }, duplicate: 0.1 } },
      },
      {
        atMs: 9000,
        action: { kind: 'change-link', patch: { latency: { distribution: 'constant', meanMs: 100, jitterMs: 0 } } },
      },
      { atMs: 10_000, action: { kind: 'restart', nodes: ['n1', 'n2', 'n3'] } },
    ]);
  });

  it('fills echo workload defaults and reads the switch port', () => {
    const experiment = parse(minimal('workload: { kind: echo }\nswitch: { port: 7070 }'));
    expect(experiment.workload).toStrictEqual({ kind: 'echo', rate: 10, clients: 1, timeoutMs: 5000, loop: 'closed', keys: 5, mix: { read: 2, write: 2, cas: 1 } });
    expect(experiment.switchPort).toBe(7070);
    const timed = parse(minimal('workload: { kind: echo, timeout: 1.5s, rate: 2.5 }'));
    expect(timed.workload).toStrictEqual({ kind: 'echo', rate: 2.5, clients: 1, timeoutMs: 1500, loop: 'closed', keys: 5, mix: { read: 2, write: 2, cas: 1 } });
  });

  it('accepts an already parsed object', () => {
    const experiment = parseExperiment(
      { name: 'obj', seed: 5, duration: '1m', nodes: { count: 2, program: 'ping', params: { interval: '2s' } } },
      OPTS,
    );
    expect(experiment.durationMs).toBe(60_000);
    expect(experiment.nodes).toStrictEqual({ count: 2, program: 'ping', params: { interval: 2000 }, initTimeoutMs: 10_000, inboxLimitBytes: 8 * 1024 * 1024, env: {}, clock: { skewMs: 0, driftPpm: 0 }, clocks: {} });
  });
});

describe('parseExperimentText: errors name the path and the bad value', () => {
  it('reports a wrong type with the source, path and value', () => {
    const error = errorOf(minimal('', '{ count: three, program: echo }'));
    expect(error.message).toBe('experiments/x.yaml: nodes.count: expected an integer from 1 to 1000, got "three"');
    expect(error.source).toBe('experiments/x.yaml');
    expect(error.problems).toStrictEqual([{ path: 'nodes.count', message: 'expected an integer from 1 to 1000, got "three"' }]);
  });

  it('reports a missing required field', () => {
    expect(errorOf('name: t\nnodes: { count: 1, program: echo }').message).toBe(
      'experiments/x.yaml: duration: missing; expected a duration like "500ms", "10s", "2m", "1.5s", "250us", "1h" or a number of milliseconds',
    );
  });

  it('reports an unknown top-level key with a suggestion and the known keys', () => {
    expect(errorOf(minimal('sede: 4')).message).toBe(
      'experiments/x.yaml: unknown key "sede" (did you mean "seed"?); known keys are name, lesson, seed, mode, duration, nodes, network, faults, workload, switch, steps',
    );
  });

  it('reports an unknown nested key with its path', () => {
    expect(errorOf(minimal('network: { latency: 1ms, links: [{ from: n1, los: 0.5 }] }')).problems).toStrictEqual([
      {
        path: 'network.links[0]',
        message:
          'unknown key "los" (did you mean "loss"?); known keys are from, to, latency, loss, duplicate, corrupt, reorder, bandwidth, queueLimit',
      },
    ]);
  });

  it('reports a bad duration', () => {
    expect(errorOf('name: t\nduration: 5 sec\nnodes: { count: 1, program: echo }').message).toBe(
      'experiments/x.yaml: duration: expected a duration like "500ms", "10s", "2m", "1.5s", "250us", "1h" or a number of milliseconds, got "5 sec"',
    );
    expect(errorOf('name: t\nduration: 0s\nnodes: { count: 1, program: echo }').message).toBe(
      'experiments/x.yaml: duration: expected a duration greater than 0, got "0s"',
    );
    expect(errorOf(minimal('faults: [{ at: -1s, heal: true }]')).message).toBe(
      'experiments/x.yaml: faults[0].at: expected a duration that is not negative, got "-1s"',
    );
  });

  it('reports both program and command, and neither', () => {
    expect(errorOf(minimal('', '{ count: 2, program: echo, command: [node, x.js] }')).message).toBe(
      'experiments/x.yaml: nodes: expected exactly one of "program" (a built-in) or "command" (a process to run), got both',
    );
    expect(errorOf(minimal('', '{ count: 2 }')).message).toBe(
      'experiments/x.yaml: nodes: expected exactly one of "program" (a built-in) or "command" (a process to run), got neither',
    );
  });

  it('reports an empty command and empty arguments', () => {
    expect(errorOf(minimal('', '{ count: 2, command: [] }')).message).toBe(
      'experiments/x.yaml: nodes.command: expected a command as a non-empty list like [python3, node.py], got []',
    );
    expect(errorOf(minimal('', '{ count: 2, command: [python3, ""] }')).message).toBe(
      'experiments/x.yaml: nodes.command[1]: expected a non-empty string, got ""',
    );
  });

  it('reports an unknown program and lists the known ones', () => {
    expect(errorOf(minimal('', '{ count: 2, program: raft }')).message).toBe(
      'experiments/x.yaml: nodes.program: unknown program "raft"; known programs are echo, ping',
    );
  });

  it('reports an unknown node in a fault with the valid range', () => {
    expect(errorOf(minimal('faults: [{ at: 1s, kill: n1 }, { at: 1s, heal: true }, { at: 2s, kill: [n2, n9] }]')).message).toBe(
      'experiments/x.yaml: faults[2].kill: unknown node "n9" (nodes are n1..n3)',
    );
  });

  it('reports a client where a fault needs a node', () => {
    expect(errorOf(minimal('workload: { kind: echo }\nfaults: [{ at: 1s, pause: c1 }]')).message).toBe(
      'experiments/x.yaml: faults[0].pause: unknown node "c1" ("c1" is a client, and this fault acts on nodes; nodes are n1..n3)',
    );
  });

  it('reports an unknown endpoint in a link', () => {
    expect(errorOf(minimal('workload: { kind: echo, clients: 2 }\nnetwork: { links: [{ from: c3, loss: 0.1 }] }')).message).toBe(
      'experiments/x.yaml: network.links[0].from: unknown node or client "c3" (nodes are n1..n3; clients are c1..c2)',
    );
    expect(errorOf(minimal('network: { links: [{ to: c1, loss: 0.1 }] }')).message).toBe(
      'experiments/x.yaml: network.links[0].to: unknown node or client "c1" (nodes are n1..n3; the workload has no clients)',
    );
  });

  it('reports a link without endpoints or parameters', () => {
    expect(errorOf(minimal('network: { links: [{ loss: 0.1 }] }')).message).toBe(
      'experiments/x.yaml: network.links[0]: expected "from" or "to" (or both); to change every link, set the parameter under network itself, got {"loss":0.1}',
    );
    expect(errorOf(minimal('network: { links: [{ from: n1 }] }')).message).toBe(
      'experiments/x.yaml: network.links[0]: expected at least one link parameter (latency, loss, duplicate, corrupt, reorder, bandwidth, queueLimit), got {"from":"n1"}',
    );
  });

  it('reports two actions in one fault, and none', () => {
    expect(errorOf(minimal('faults: [{ at: 1s, kill: n1, heal: true }]')).message).toBe(
      'experiments/x.yaml: faults[0]: expected exactly one action (kill, stop, pause, resume, restart, partition, heal, cut, change-link, join, leave) besides "at", got kill and heal; put each action in its own entry, with the same "at" if they happen together',
    );
    expect(errorOf(minimal('faults: [{ at: 1s }]')).message).toBe(
      'experiments/x.yaml: faults[0]: expected exactly one action (kill, stop, pause, resume, restart, partition, heal, cut, change-link, join, leave) besides "at", got none',
    );
  });

  it('reports a misspelled fault action as an unknown key', () => {
    expect(errorOf(minimal('faults: [{ at: 1s, kil: n1 }]')).message).toBe(
      'experiments/x.yaml: faults[0]: unknown key "kil" (did you mean "kill"?); known keys are at, kill, stop, pause, resume, restart, partition, heal, cut, change-link, join, leave',
    );
  });

  it('reports a bad partition', () => {
    expect(errorOf(minimal('faults: [{ at: 1s, partition: [[n1, n2], [n2, n3]] }]')).message).toBe(
      'experiments/x.yaml: faults[0].partition[1]: node "n2" is already in group 1; each node may be in at most one group',
    );
    expect(errorOf(minimal('faults: [{ at: 1s, partition: [[n1, n2, n3]] }]')).message).toBe(
      'experiments/x.yaml: faults[0].partition: expected at least two groups, got [["n1","n2","n3"]]',
    );
    expect(errorOf(minimal('faults: [{ at: 1s, partition: halves }]')).message).toBe(
      'experiments/x.yaml: faults[0].partition: expected a list of groups like [[n1], [n2, n3]] or one of one, majority, majorities-ring, bridge, leader, got "halves"',
    );
  });

  it('reports heal with a value other than true', () => {
    expect(errorOf(minimal('faults: [{ at: 1s, heal: false }]')).message).toBe(
      'experiments/x.yaml: faults[0].heal: expected true, got false',
    );
  });

  it('reports a uniform jitter larger than the mean', () => {
    expect(errorOf(minimal('network: { latency: { distribution: uniform, mean: 5ms, jitter: 8ms } }')).message).toBe(
      'experiments/x.yaml: network.latency.jitter: expected at most the mean (5ms) for a uniform distribution, since delays cannot be negative, got "8ms"',
    );
  });

  it('reports jitter on a distribution that ignores it', () => {
    expect(errorOf(minimal('network: { latency: { distribution: constant, mean: 5ms, jitter: 1ms } }')).message).toBe(
      'experiments/x.yaml: network.latency.jitter: expected no jitter for a constant distribution, which ignores it, got "1ms"',
    );
  });

  it('reports probabilities out of range, at the top and in links', () => {
    expect(errorOf(minimal('network: { loss: 1.5 }')).message).toBe(
      'experiments/x.yaml: network.loss: expected a probability from 0 to 1, got 1.5',
    );
    expect(errorOf(minimal('network: { links: [{ from: n1, loss: 0.1 }, { to: n2, duplicate: -0.1 }] }')).message).toBe(
      'experiments/x.yaml: network.links[1].duplicate: expected a probability from 0 to 1, got -0.1',
    );
    expect(errorOf(minimal('network: { loss: { burst: { p: 0.1, r: 2 } } }')).message).toBe(
      'experiments/x.yaml: network.loss.burst.r: expected a probability from 0 to 1, got 2',
    );
  });

  it('reports a bad bandwidth', () => {
    expect(errorOf(minimal('network: { bandwidth: 10 furlongs }')).message).toBe(
      'experiments/x.yaml: network.bandwidth: expected a bandwidth like "1MB/s", "512KiB/s", "10Mbit/s", "10Mbps", "1Gbps" or a number of bytes per second, got "10 furlongs"',
    );
  });

  it('reports a fault after the end of the experiment', () => {
    expect(errorOf(minimal('faults: [{ at: 10s, heal: true }, { at: 12s, kill: n1 }]')).message).toBe(
      "experiments/x.yaml: faults[1].at: expected a time within the experiment's duration (10s), got 12s; it would never happen",
    );
  });

  it('reports a duplicated node, and a partition pattern on a single node', () => {
    expect(errorOf(minimal('faults: [{ at: 1s, stop: [n1, n2, n1] }]')).message).toBe(
      'experiments/x.yaml: faults[0].stop: node "n1" is listed twice',
    );
    expect(errorOf(minimal('faults: [{ at: 1s, partition: one }, { at: 2s, kill: n2 }]', '{ count: 1, program: echo }')).message).toBe(
      [
        'experiments/x.yaml: faults[0].partition: a partition needs at least 2 nodes, and there is 1',
        'experiments/x.yaml: faults[1].kill: unknown node "n2" (the only node is n1)',
      ].join('\n'),
    );
  });

  it('reports one problem per path, the first', () => {
    // "" is not a list, and would also be reported as too short.
    expect(errorOf(minimal('faults: [{ at: 1s, partition: ["", [n1]] }]')).problems).toStrictEqual([
      { path: 'faults[0].partition[0]', message: 'expected a group: a list of node ids, got ""' },
    ]);
  });

  it('quotes keys that are not plain names in paths', () => {
    expect(errorOf(minimal('', '{ count: 1, program: echo, env: { "A.B": 1 } }')).problems).toStrictEqual([
      { path: 'nodes.env["A.B"]', message: 'expected a string (quote numbers and booleans in YAML), got 1' },
    ]);
  });

  it('does not suggest a key for an unrelated short typo', () => {
    expect(errorOf(minimal('workload: { kind: echo, x: 1 }')).message).toBe(
      'experiments/x.yaml: workload: unknown key "x"; known keys are kind, rate, clients, timeout, loop, keys, mix, topology, branching, availability, maxTxnLength, consistencyModels, final, retry, attempts, backoff',
    );
    expect(errorOf(minimal('nmae: t')).problems[0].message).toMatch(/^unknown key "nmae" \(did you mean "name"\?\)/);
  });

  it('lists at most 20 problems in the message but keeps them all', () => {
    const faults = Array.from({ length: 25 }, (_, i) => `  - { at: ${i}ms, kill: n${i + 10} }`).join('\n');
    const error = errorOf(minimal(`faults:\n${faults}`));
    expect(error.problems).toHaveLength(25);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('experiments/x.yaml: …and 5 more problems');
  });

  it('reports workload settings that kind none would ignore', () => {
    expect(errorOf(minimal('workload: { kind: none, clients: 3 }')).message).toBe(
      'experiments/x.yaml: workload.clients: expected nothing: workload kind "none" sends no requests, got 3',
    );
  });

  it('reports every problem, one line each', () => {
    const error = errorOf('name: ""\nduration: 1s\nnodes: { count: 0, program: echo }\nswitch: { port: 70000 }\nseed: 1.5');
    expect(error.message.split('\n')).toStrictEqual([
      'experiments/x.yaml: name: expected a non-empty name, got ""',
      'experiments/x.yaml: seed: expected an integer from 0 to 9007199254740991 (2^53 - 1), got 1.5',
      'experiments/x.yaml: nodes.count: expected an integer from 1 to 1000, got 0',
      'experiments/x.yaml: switch.port: expected a port from 0 to 65535 (0 picks a free one), got 70000',
    ]);
  });

  it('reports a top level that is not an object', () => {
    expect(errorOf('- just\n- a list').message).toBe(
      'experiments/x.yaml: expected an object with keys name, lesson, seed, mode, duration, nodes, network, faults, workload, switch, steps, got ["just","a list"]',
    );
  });

  it('reports an empty file', () => {
    expect(errorOf('# nothing here\n').message).toBe(
      'experiments/x.yaml: the file is empty; an experiment needs at least name, duration and nodes',
    );
  });

  it('reports invalid YAML with its line', () => {
    expect(errorOf('name: t\nduration: 1s\nnodes: { count: 3, program: echo\n').message).toBe(
      'experiments/x.yaml: invalid YAML at line 4, column 1: Flow map in block collection must be sufficiently indented and end with a }',
    );
    expect(errorOf('name: t\nname: u\n').message).toBe(
      'experiments/x.yaml: invalid YAML at line 2, column 1: Map keys must be unique',
    );
  });

  it('reports invalid JSON with its line', () => {
    const error = errorOf('{\n  "name": "t",\n  "duration": 1000,,\n}');
    expect(error.message).toMatch(/^experiments\/x\.yaml: invalid YAML at line 3, column \d+: /);
  });

  it('reports an unresolved YAML alias', () => {
    expect(errorOf(minimal('seed: *nope')).message).toBe(
      'experiments/x.yaml: invalid YAML: Unresolved alias (the anchor must be set before the alias): nope',
    );
  });
});

describe('loadExperimentFile', () => {
  it('loads a file from disk, naming it as source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'distlab-experiment-'));
    const path = join(dir, 'x.yaml');
    writeFileSync(path, FULL_EXAMPLE);
    expect(loadExperimentFile(path, { programs: PROGRAMS })).toStrictEqual(FULL_EXPECTED);
    writeFileSync(path, minimal('', '{ count: nine, program: echo }'));
    expect(() => loadExperimentFile(path, { programs: PROGRAMS })).toThrowError(
      `${path}: nodes.count: expected an integer from 1 to 1000, got "nine"`,
    );
  });

  it('reports a missing file as an ExperimentError', () => {
    const path = join(tmpdir(), 'distlab-no-such-experiment.yaml');
    try {
      loadExperimentFile(path, { programs: PROGRAMS });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ExperimentError);
      expect((error as ExperimentError).message).toMatch(`${path}: cannot read the file: ENOENT`);
    }
  });

  const shipped = readdirSync(EXPERIMENTS_DIR).filter((file) => file.endsWith('.yaml'));

  it('ships the documented examples and the protocol presets', () => {
    expect(shipped.sort()).toStrictEqual([
      'cap-ap-quorum.yaml',
      'cap-cp-raft.yaml',
      'causal-broadcast-duplication.yaml',
      'echo-basic.yaml',
      'echo-under-loss.yaml',
      'external-echo.yaml',
      'fd-heartbeat-pause.yaml',
      'fd-phi-accrual-pause.yaml',
      'maelstrom-broadcast.yaml',
      'maelstrom-g-counter-lossy.yaml',
      'maelstrom-g-counter.yaml',
      'maelstrom-g-set.yaml',
      'maelstrom-kafka.yaml',
      'maelstrom-lin-kv-raft.yaml',
      'maelstrom-lin-kv-stale.yaml',
      'maelstrom-pn-counter.yaml',
      'maelstrom-txn-list-append.yaml',
      'maelstrom-txn-rw-register.yaml',
      'maelstrom-txn-write-cycle.yaml',
      'maelstrom-unique-ids.yaml',
      'pacelc-cp-raft.yaml',
      'pacelc-el-quorum.yaml',
      'ping-partition.yaml',
      'primary-backup-async-loss.yaml',
      'primary-backup-sync-loss.yaml',
      'quorum-kv-strict.yaml',
      'raft-leader-faults.yaml',
      'sharded-kv-modulo-join.yaml',
      'sharded-kv-ring-join.yaml',
      'swim-20-crash.yaml',
      'throttle-backoff.yaml',
      'throttle-distributed-partition.yaml',
      'throttle-retry-storm.yaml',
      'vector-clocks-reordering.yaml',
    ]);
  });

  it.each(shipped)('parses the shipped example %s, within 30s', (file) => {
    const experiment = loadExperimentFile(join(EXPERIMENTS_DIR, file), { programs: programNames() });
    expect(`${experiment.name}.yaml`).toBe(file);
    expect(experiment.seedWasRandom).toBe(false);
    expect(experiment.durationMs).toBeLessThanOrEqual(25_000);
  });

  it('ships echo-under-loss as the full example with the built-in echo program', () => {
    const experiment = loadExperimentFile(join(EXPERIMENTS_DIR, 'echo-under-loss.yaml'), { programs: PROGRAMS });
    const { command: _command, env: _env, cwd: _cwd, ...nodes } = FULL_EXPECTED.nodes;
    // The shipped copy gives up on an echo after 500 ms, so that a lost message blocks a client only briefly.
    expect(experiment).toStrictEqual({ ...FULL_EXPECTED, nodes: { ...nodes, program: 'echo', env: {} }, workload: { ...FULL_EXPECTED.workload, timeoutMs: 500 } });
  });
});

describe('clocks and the richer workloads', () => {
  const opts = { source: 'x.yaml', programs: ['echo', 'raft'] };
  const base = { name: 't', duration: '1s', nodes: { count: 3, program: 'raft' } };

  it('reads a clock for every node and per-node overrides, with negative skews', () => {
    const e = parseExperiment({ ...base, nodes: { ...base.nodes, clock: { drift: 100 }, clocks: { n2: { skew: '-50ms', drift: -20 }, n3: { skew: 5 } } } }, opts);
    expect(e.nodes.clock).toStrictEqual({ skewMs: 0, driftPpm: 100 });
    expect(e.nodes.clocks).toStrictEqual({ n2: { skewMs: -50, driftPpm: -20 }, n3: { skewMs: 5, driftPpm: 0 } });
  });

  it('rejects a clock for an unknown node and a bad skew', () => {
    expect(() => parseExperiment({ ...base, nodes: { ...base.nodes, clocks: { n7: { skew: '1ms' } } } }, opts)).toThrow(/nodes\.clocks: unknown node "n7"/);
    expect(() => parseExperiment({ ...base, nodes: { ...base.nodes, clock: { skew: 'soon' } } }, opts)).toThrow(/nodes\.clock\.skew/);
  });

  it('reads a kv workload with keys, mix and an open loop', () => {
    const e = parseExperiment({ ...base, workload: { kind: 'kv', rate: 50, clients: 3, keys: 8, loop: 'open', mix: { cas: 0 } } }, opts);
    expect(e.workload).toStrictEqual({ kind: 'kv', rate: 50, clients: 3, timeoutMs: 5000, loop: 'open', keys: 8, mix: { read: 2, write: 2, cas: 0 } });
  });

  it('rejects kv settings on another workload and an all-zero mix', () => {
    expect(() => parseExperiment({ ...base, workload: { kind: 'echo', keys: 3 } }, opts)).toThrow(/workload\.keys: expected nothing: keys belongs to the lin-kv, kv, kafka, txn-rw-register and txn-list-append workloads, not echo/);
    expect(() => parseExperiment({ ...base, workload: { kind: 'kv', mix: { read: 0, write: 0, cas: 0 } } }, opts)).toThrow(/workload\.mix: expected at least one weight above 0/);
  });
});
