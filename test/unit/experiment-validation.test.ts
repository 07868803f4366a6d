// Issue 9, part 4: values are checked before anything starts. Durations that would
// overflow Node's timers, built-in program parameters, seeds and other numbers a careful
// user could get wrong are rejected by the loader with one line per problem.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../core/cli/main.js';
import { UNKNOWN_ADDRESS } from '../../core/engine/switch.js';
import { ExperimentError, parseExperiment, parseExperimentText } from '../../core/experiment/load.js';
import { acceptedValues } from '../../core/experiment/params.js';
import { MAX_CLIENTS, MAX_NODES } from '../../core/experiment/schema.js';
import type { Experiment } from '../../core/experiment/types.js';
import { MAX_DURATION_MS, parseDurationMs } from '../../core/experiment/units.js';
import { programInfos, programNames } from '../../core/programs/registry.js';
import { withDefaults } from '../../core/sdk/protocol.js';

const SOURCE = 'experiments/x.yaml';
const OPTS = { source: SOURCE, programs: programNames() };

function parse(text: string): Experiment {
  return parseExperimentText(text, OPTS);
}

/** The lines of the ExperimentError that parsing `text` throws. */
function errorLines(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentError);
    return (error as ExperimentError).message.split('\n');
  }
  throw new Error('expected an ExperimentError, but the text parsed');
}

function file(extra = '', nodes = '{ count: 3, program: echo }', duration = '10s'): string {
  return `name: t\nseed: 1\nduration: ${duration}\nnodes: ${nodes}\n${extra}`;
}

describe('durations are at most 24h, where a timer could overflow', () => {
  it('chooses 24h, well below the largest setTimeout delay (2^31 - 1 ms)', () => {
    expect(MAX_DURATION_MS).toBe(86_400_000);
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1);
    expect(parseDurationMs('24h')).toBe(MAX_DURATION_MS);
    expect(() => parseDurationMs('24.001h')).toThrowError('expected a duration of at most 24h, got "24.001h"');
    expect(() => parseDurationMs(86_400_001)).toThrowError('expected a duration of at most 24h, got 86400001');
  });

  it('rejects the reported duration: 600h', () => {
    expect(errorLines(file('', undefined, '600h'))).toStrictEqual([`${SOURCE}: duration: expected a duration of at most 24h, got "600h"`]);
    expect(errorLines(file('', undefined, '1441m'))).toStrictEqual([`${SOURCE}: duration: expected a duration of at most 24h, got "1441m"`]);
    expect(parse(file('', undefined, '24h')).durationMs).toBe(86_400_000);
    expect(parse(file('', undefined, '1440m')).durationMs).toBe(86_400_000);
  });

  it('bounds fault times, timeouts, latencies and clock skews the same way', () => {
    const lines = errorLines(
      file(
        [
          'faults: [{ at: 25h, heal: true }, { at: 1s, change-link: { latency: 30h } }]',
          'network: { latency: { distribution: normal, mean: 2ms, jitter: 100000000 } }',
          'workload: { kind: echo, timeout: 48h }',
        ].join('\n'),
        '{ count: 3, program: echo, initTimeout: 25h, clock: { skew: -25h } }',
      ),
    );
    expect(lines).toStrictEqual([
      `${SOURCE}: nodes.initTimeout: expected a duration of at most 24h, got "25h"`,
      `${SOURCE}: nodes.clock.skew: expected a skew from -24h to 24h, got "-25h"`,
      `${SOURCE}: network.latency.jitter: expected a duration of at most 24h, got 100000000`,
      `${SOURCE}: faults[0].at: expected a duration of at most 24h, got "25h"`,
      `${SOURCE}: faults[1].change-link.latency: expected a duration of at most 24h, got "30h"`,
      `${SOURCE}: workload.timeout: expected a duration of at most 24h, got "48h"`,
    ]);
  });

  it('rejects a workload rate so low that a client would wait more than 24h between requests', () => {
    expect(errorLines(file('workload: { kind: echo, rate: 0.001, clients: 100 }'))).toStrictEqual([
      `${SOURCE}: workload.rate: expected at least 0.00116 operations per second, so that each of the 100 clients sends a request at least every 24h, got 0.001`,
    ]);
    expect(errorLines(file('workload: { kind: echo, rate: 0.00001 }'))).toStrictEqual([
      `${SOURCE}: workload.rate: expected at least 0.0000116 operations per second, so that the client sends a request at least every 24h, got 0.00001`,
    ]);
    expect(parse(file('workload: { kind: echo, rate: 0.1, clients: 100 }')).workload.rate).toBe(0.1);
  });
});

describe('built-in program parameters are checked against the program', () => {
  it('rejects the reported ping parameters: interval -5, timeout abc', () => {
    expect(errorLines(file('', '{ count: 3, program: ping, params: { interval: -5, timeout: abc } }'))).toStrictEqual([
      `${SOURCE}: nodes.params.interval: expected a duration from 1ms to 24h, like "500ms" or a number of milliseconds, got -5`,
      `${SOURCE}: nodes.params.timeout: expected a duration from 1ms to 24h, like "500ms" or a number of milliseconds, got "abc"`,
    ]);
  });

  it('accepts durations with units for ms parameters and passes them on in ms', () => {
    const experiment = parse(file('', '{ count: 3, program: ping, params: { interval: 250ms, timeout: 1.5s } }'));
    expect(experiment.nodes.params).toStrictEqual({ interval: 250, timeout: 1500 });
    expect(parse(file('', '{ count: 3, program: ping, params: { interval: 250 } }')).nodes.params).toStrictEqual({ interval: 250 });
  });

  it('rejects durations over 24h and a zero interval', () => {
    expect(errorLines(file('', '{ count: 3, program: ping, params: { interval: 0, timeout: 25h } }'))).toStrictEqual([
      `${SOURCE}: nodes.params.interval: expected a duration from 1ms to 24h, like "500ms" or a number of milliseconds, got 0`,
      `${SOURCE}: nodes.params.timeout: expected a duration from 1ms to 24h, like "500ms" or a number of milliseconds, got "25h"`,
    ]);
  });

  it('rejects unknown parameter names, suggesting the closest', () => {
    expect(errorLines(file('', '{ count: 3, program: ping, params: { intervl: 100, color: red } }'))).toStrictEqual([
      `${SOURCE}: nodes.params.intervl: unknown parameter "intervl" (did you mean "interval"?); ping's parameters are interval, timeout`,
      `${SOURCE}: nodes.params.color: unknown parameter "color"; ping's parameters are interval, timeout`,
    ]);
    expect(errorLines(file('', '{ count: 3, program: echo, params: { fanout: 2 } }'))).toStrictEqual([
      `${SOURCE}: nodes.params.fanout: unknown parameter "fanout"; echo takes no parameters`,
    ]);
  });

  it('checks types, integers and ranges of counts and plain numbers', () => {
    expect(
      errorLines(file('', '{ count: 3, program: flood, params: { count: 0, batch: 2.5, payloadBytes: 2000000, startDelay: "10" } }')),
    ).toStrictEqual([
      `${SOURCE}: nodes.params.count: expected an integer of at least 1, got 0`,
      `${SOURCE}: nodes.params.batch: expected an integer of at least 1, got 2.5`,
      `${SOURCE}: nodes.params.payloadBytes: expected an integer from 0 to 1000000, got 2000000`,
      `${SOURCE}: nodes.params.startDelay: expected a duration from 0ms to 24h, like "500ms" or a number of milliseconds, got "10"`,
    ]);
    expect(errorLines(file('', '{ count: 3, program: phi-accrual, params: { threshold: -1, window: .nan } }'))).toStrictEqual([
      `${SOURCE}: nodes.params.threshold: expected a number of at least 0, got -1`,
      `${SOURCE}: nodes.params.window: expected an integer of at least 1, got NaN`,
    ]);
    expect(errorLines(file('', '{ count: 3, program: lamport, params: { fanout: "2" } }'))).toStrictEqual([
      `${SOURCE}: nodes.params.fanout: expected an integer of at least 0, got "2"`,
    ]);
  });

  it('checks string parameters: a choice, or a node id of the experiment', () => {
    const nodes = (params: string) => `{ count: 3, program: primary-backup, params: ${params} }`;
    expect(errorLines(file('', nodes('{ mode: fast, primary: n9 }')))).toStrictEqual([
      `${SOURCE}: nodes.params.mode: expected one of sync, async, got "fast"`,
      `${SOURCE}: nodes.params.primary: expected elect or a node id (nodes are n1..n3), got "n9"`,
    ]);
    expect(errorLines(file('', nodes('{ primary: 1 }')))).toStrictEqual([
      `${SOURCE}: nodes.params.primary: expected elect or a node id (nodes are n1..n3), got 1`,
    ]);
    expect(parse(file('', nodes('{ mode: async, primary: n3 }'))).nodes.params).toStrictEqual({ mode: 'async', primary: 'n3' });
    expect(parse(file('', nodes('{ primary: elect }'))).nodes.params).toStrictEqual({ primary: 'elect' });
  });

  it('does not check the params of a command node, which are not passed to it', () => {
    expect(parse(file('', '{ count: 3, command: [python3, x.py], params: { anything: -1 } }')).nodes.params).toStrictEqual({ anything: -1 });
  });

  it('declares every built-in parameter so that its own default passes', () => {
    for (const info of programInfos()) {
      for (const spec of info.params) {
        if (typeof spec.default === 'number') {
          expect(spec.min, `${info.name}.${spec.name} has a minimum`).toBeTypeOf('number');
          expect(spec.default, `${info.name}.${spec.name}`).toBeGreaterThanOrEqual(spec.min!);
          if (spec.max !== undefined) expect(spec.default, `${info.name}.${spec.name}`).toBeLessThanOrEqual(spec.max);
          if (spec.integer) expect(Number.isInteger(spec.default), `${info.name}.${spec.name}`).toBe(true);
        }
      }
      // Every default given explicitly is accepted, with 3 nodes (primary n1).
      const params = withDefaults(info, {});
      const experiment = parseExperiment({ name: 't', duration: '1s', nodes: { count: 3, program: info.name, params } }, OPTS);
      expect(experiment.nodes.params).toStrictEqual(params);
    }
  });

  it('lists every parameter with what it accepts in the format reference', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/experiment-format.md'), 'utf8');
    for (const info of programInfos()) {
      for (const spec of info.params) {
        const shownDefault = spec.unit === 'ms' ? `${spec.default}ms` : String(spec.default);
        expect(doc).toContain(`| \`${info.name}\` | \`${spec.name}\` | ${shownDefault} | ${acceptedValues(spec)} |`);
      }
    }
  });
});

describe('seeds and other numbers', () => {
  const SEED_EXPECTED = 'expected an integer from 0 to 9007199254740991 (2^53 - 1)';

  it.each([
    ['9007199254740993', '9007199254740992'],
    ['-1', '-1'],
    ['1.5', '1.5'],
    ['.inf', 'Infinity'],
    ['.nan', 'NaN'],
    ['"42"', '"42"'],
  ])('rejects the seed %s naming the field', (seed, shown) => {
    expect(errorLines(`name: t\nseed: ${seed}\nduration: 1s\nnodes: { count: 1, program: echo }`)).toStrictEqual([
      `${SOURCE}: seed: ${SEED_EXPECTED}, got ${shown}`,
    ]);
  });

  it('accepts the largest safe integer as a seed', () => {
    expect(parse(`name: t\nseed: 9007199254740991\nduration: 1s\nnodes: { count: 1, program: echo }`).seed).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects NaN and infinities in numeric fields', () => {
    expect(
      errorLines(
        file(
          [
            'network: { loss: .nan, duplicate: .inf, queueLimit: -1 }',
            'workload: { kind: kv, rate: .inf, clients: -2, keys: 0, mix: { read: .inf } }',
          ].join('\n'),
          '{ count: 3, program: echo, clock: { drift: .nan } }',
        ),
      ),
    ).toStrictEqual([
      `${SOURCE}: nodes.clock.drift: expected a drift in ppm (parts per million), e.g. 100 or -50, got NaN`,
      `${SOURCE}: network.loss: expected a probability from 0 to 1, got NaN`,
      `${SOURCE}: network.duplicate: expected a probability from 0 to 1, got Infinity`,
      `${SOURCE}: network.queueLimit: expected a non-negative integer, got -1`,
      `${SOURCE}: workload.rate: expected a rate in operations per second greater than 0, got Infinity`,
      `${SOURCE}: workload.clients: expected an integer from 1 to 1000, got -2`,
      `${SOURCE}: workload.keys: expected an integer from 1 to 1000000, got 0`,
      `${SOURCE}: workload.mix.read: expected a weight of 0 or more, got Infinity`,
    ]);
  });

  it('keeps nodes and clients within what the switch can address (u16, one address reserved)', () => {
    // Address 0 is the engine, then the nodes, then the clients; 0xffff means unknown.
    expect(1 + MAX_NODES + MAX_CLIENTS).toBeLessThan(UNKNOWN_ADDRESS);
    expect(errorLines(file('', '{ count: 1001, program: echo }'))).toStrictEqual([`${SOURCE}: nodes.count: expected an integer from 1 to 1000, got 1001`]);
    expect(errorLines(file('workload: { kind: echo, clients: 1001 }'))).toStrictEqual([
      `${SOURCE}: workload.clients: expected an integer from 1 to 1000, got 1001`,
    ]);
  });
});

describe('distlab run', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('exits 2 with one line per bad parameter, before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'distlab-validation-'));
    const path = join(dir, 'ping.yaml');
    writeFileSync(path, 'name: p\nduration: 1s\nnodes: { count: 2, program: ping, params: { interval: -5, timeout: abc } }\n');
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    await main(['run', path, '--db', join(dir, 'runs.db')]);
    expect(process.exitCode).toBe(2);
    expect(stderr.join('')).toBe(
      [
        `distlab: ${path}: nodes.params.interval: expected a duration from 1ms to 24h, like "500ms" or a number of milliseconds, got -5 (line 3)`,
        `${path}: nodes.params.timeout: expected a duration from 1ms to 24h, like "500ms" or a number of milliseconds, got "abc" (line 3)`,
        '',
      ].join('\n'),
    );
  });
});


describe('nodes.inboxLimit', () => {
  const withLimit = (inboxLimit: unknown) => ({ name: 't', seed: 1, duration: '1s', nodes: { count: 2, program: 'echo', inboxLimit } });
  it('takes a size with units, and refuses one too small, too large or unreadable', async () => {
    const { parseExperiment } = await import('../../core/experiment/load.js');
    const { programNames } = await import('../../core/programs/registry.js');
    const opts = { source: 'x.yaml', programs: programNames() };
    expect(parseExperiment(withLimit('16MiB'), opts).nodes.inboxLimitBytes).toBe(16 * 1024 * 1024);
    expect(parseExperiment(withLimit('512KB'), opts).nodes.inboxLimitBytes).toBe(512_000);
    expect(() => parseExperiment(withLimit('1KiB'), opts)).toThrow(/nodes\.inboxLimit: expected a size from 64KiB to 1GiB/);
    expect(() => parseExperiment(withLimit('2GiB'), opts)).toThrow(/nodes\.inboxLimit: expected a size from 64KiB to 1GiB/);
    expect(() => parseExperiment(withLimit('lots'), opts)).toThrow(/nodes\.inboxLimit: expected a size like "8MiB"/);
  });
});

describe('value problems name their line, as syntax errors do', () => {
  const text = 'name: x\nduration: 5s\nnodes:\n  count: 0\n  program: ping\nnetwork:\n  links:\n    - { from: n1, to: n2, loss: 3 }\n';
  it('points each problem at the line of its field (or of the nearest parent the file has)', async () => {
    const { parseExperimentTextWithLines, ExperimentError } = await import('../../core/experiment/load.js');
    let caught: unknown;
    try {
      parseExperimentTextWithLines(text, { source: 'bad.yaml', programs: ['ping'] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ExperimentError);
    const problems = (caught as InstanceType<typeof ExperimentError>).problems;
    expect(problems.map((p) => [p.path, p.line])).toEqual([['nodes.count', 4], ['network.links[0].loss', 8]]);
    expect(problems[0].message).toMatch(/\(line 4\)$/);
    // A missing field points at its parent.
    try {
      parseExperimentTextWithLines('name: x\nnodes:\n  count: 2\n  program: ping\n', { source: 'bad.yaml', programs: ['ping'] });
    } catch (e) {
      expect((e as InstanceType<typeof ExperimentError>).problems.find((p) => p.path === 'duration')?.line).toBeUndefined();
    }
  });

  it('reads paths back as formatPath writes them', async () => {
    const { parsePath, formatPath } = await import('../../core/experiment/load.js');
    for (const path of [['network', 'links', 0, 'loss'], ['nodes', 'params', 'odd key']]) expect(parsePath(formatPath(path))).toEqual(path);
  });
});

describe('mode: simulate refuses what it cannot simulate, naming the field', () => {
  it('refuses a node joining or leaving a simulated run', () => {
    const text = file('mode: simulate\nfaults:\n  - { at: 1s, join: n4 }\n  - { at: 2s, leave: n1 }\n', '{ count: 3, program: sharded-kv }');
    const lines = errorLines(text).join('\n');
    expect(lines).toMatch(/faults\[0\]\.join: nodes that join a running experiment are not simulated yet/);
    expect(lines).toMatch(/faults\[1\]\.leave: nodes that leave a running experiment are not simulated yet/);
    // The same schedule runs as real processes.
    expect(parse(file('faults:\n  - { at: 1s, join: n4 }\n  - { at: 2s, leave: n1 }\n', '{ count: 3, program: sharded-kv }')).faults).toHaveLength(2);
  });
});
