// The hunt's parts on their own: seed ranges, a protocol that throws (listed as an error, the
// hunt goes on), and shrinking to a fixed point against a known failure condition.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { mkdtempSync, existsSync } from 'node:fs';
import os from 'node:os';
import { parseSeedRange, SeedRangeError } from '../../core/simulation/hunt/seed-range.js';
import { Hunt } from '../../core/simulation/hunt/hunt.js';
import { InlineJudges } from '../../core/simulation/hunt/judges.js';
import { shrinkFailure } from '../../core/simulation/hunt/shrink.js';
import { faultEpisodes } from '../../core/experiment/random-faults.js';
import type { SeedVerdict } from '../../core/simulation/hunt/seed-verdict.js';
import { parseExperimentText } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { echo } from '../../core/programs/echo.js';
import type { Experiment } from '../../core/experiment/types.js';
import type { Program } from '../../core/sdk/protocol.js';
import { firstFailureMs } from '../../core/simulation/hunt/first-failure.js';
import { openDatabase } from '../../core/store/database.js';

const parse = (text: string): Experiment => parseExperimentText(text, { source: 'f.yaml', programs: programNames(), mode: 'simulate' });

describe('seed ranges', () => {
  it('takes A..B with both ends, and names --seeds for an empty, reversed or malformed range', () => {
    expect(parseSeedRange('1..10000')).toStrictEqual({ from: 1, to: 10000 });
    expect(parseSeedRange(' 5..5 ')).toStrictEqual({ from: 5, to: 5 });
    expect(() => parseSeedRange('')).toThrow(new SeedRangeError('--seeds: the range is empty; expected seeds like 1..1000 (both ends included), got ""'));
    expect(() => parseSeedRange('..')).toThrow(/^--seeds: the range is empty/);
    expect(() => parseSeedRange('9..3')).toThrow('--seeds: the range "9..3" is reversed, so it holds no seed; write 3..9');
    expect(() => parseSeedRange('1..')).toThrow('--seeds: expected a range of seeds like 1..1000 (both ends included), got "1.."');
    expect(() => parseSeedRange('1..99999999999999999')).toThrow(/^--seeds: expected seeds from 0 to 9007199254740991/);
  });
});

describe('a protocol that throws', () => {
  it('stops that seed with the exception and the step that caused it, and the hunt goes on with the next seed', async () => {
    // Echo, except that on even seeds a node throws on its third echo.
    const throwing: Program = {
      ...echo,
      protocol: {
        init: ({ seed }) => [{ nextId: 1, seed }, []],
        step(state: { nextId: number; seed: number }, input) {
          if (state.seed % 2 === 0 && state.nextId === 3) throw new Error('boom on purpose');
          const [next, out] = echo.protocol.step({ nextId: state.nextId }, input);
          return [{ ...next, seed: state.seed }, out];
        },
      },
    };
    const experiment = parse('name: throws\nduration: 1s\nnodes: { count: 2, program: echo }\nworkload: { kind: echo, rate: 20 }\n');
    const dbPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'distlab-hunt-')), 'runs.db');
    const hunt = new Hunt({ huntId: 1, experiment, seeds: { from: 1, to: 4 }, stopAtFirst: false, dbPath, judges: new InlineJudges(async () => throwing) });
    const view = await hunt.run();
    expect(view).toMatchObject({ done: 4, total: 4, running: false, stoppedEarly: false, failures: [], groups: [], shrunk: null, shortestSeed: null });
    expect(view.errors.map((e) => e.seed)).toStrictEqual([2, 4]);
    for (const error of view.errors) expect(error.message).toMatch(/^n[12]: protocol error in simulation: threw at \d\.\d{6} s of virtual time, on .*echo.*: boom on purpose$/);
    // Nothing failed a check, so nothing was recorded.
    expect(existsSync(dbPath)).toBe(false);
  });
});

describe('shrinking', () => {
  it('keeps only what the failure needs: the one fault, and the shortest duration that still fails', async () => {
    const experiment = parse(`name: shrink
duration: 8s
nodes: { count: 3, program: echo }
faults:
  random: { kill: 0.5, pause: 0.5 }
  lasts: 1s
`);
    const seed = 3;
    const pause = faultEpisodes({ ...experiment, seed }).find((e) => e.kind === 'pause')!.start;
    let trials = 0;
    // A stand-in for a simulation: the check fails when the seed's first pause happens, and the run lasts 500 ms beyond it.
    const judge = async (candidate: Experiment, judged: number): Promise<SeedVerdict> => {
      trials++;
      expect(judged).toBe(seed);
      expect(candidate.randomFaults).toBeUndefined();
      const fails = candidate.durationMs >= pause.atMs + 500 && candidate.faults.some((f) => JSON.stringify(f) === JSON.stringify(pause));
      return { seed, failing: fails ? ['some-check'] : [], firstFailureMs: fails ? { 'some-check': null } : {}, error: null, virtualMs: candidate.durationMs, faults: candidate.faults.length };
    };
    const result = await shrinkFailure(experiment, seed, 'some-check', { judge });
    expect(result.before.faults).toBeGreaterThan(4);
    expect(result.before.durationMs).toBe(8000);
    // The pause alone, left in force (its resume dropped), in a run halved as far as it still fails.
    let shortest = 8000;
    while (shortest / 2 >= pause.atMs + 500) shortest /= 2;
    expect(result.experiment.faults).toStrictEqual([pause]);
    expect(result.after).toStrictEqual({ faults: 1, durationMs: shortest });
    expect(result.trials).toBe(trials);
    expect(trials).toBeLessThan(60);
  });
});

describe('when a check first fails', () => {
  it('is read from what the check names: the second leader of a term, the out-of-order delivery, the replaced entry, the blocking operation', () => {
    const db = openDatabase(':memory:');
    const role = db.prepare("insert into events (run_id, t_us, node, kind, detail_json) values (1, ?, ?, 'role', ?)");
    role.run(100_000, 'n1', JSON.stringify({ role: 'leader', term: 2 }));
    role.run(150_000, 'n1', JSON.stringify({ role: 'leader', term: 2 }));
    role.run(250_500, 'n3', JSON.stringify({ role: 'leader', term: 2 }));
    role.run(300_000, 'n2', JSON.stringify({ role: 'leader', term: 3 }));
    expect(firstFailureMs('leader-per-term', { valid: false, violations: [{ term: 2, nodes: ['n1', 'n3'] }] }, db, 1)).toBe(250.5);
    expect(firstFailureMs('causal-delivery', { valid: false, violations: [{ kind: 'out-of-order', tUs: 900_000 }, { kind: 'duplicate', tUs: 420_000 }] }, db, 1)).toBe(420);
    expect(firstFailureMs('committed-not-lost', { valid: false, violations: [{ index: 4, applied: { tUs: 10_000 }, replacedBy: { tUs: 2_852_121 } }] }, db, 1)).toBe(2852.121);
    expect(firstFailureMs('linearizability', { valid: false, failure: { blockingOp: { invokeUs: 5_000, completeUs: 7_250 } } }, db, 1)).toBe(7.25);
    // A check that judges the final reads as a whole names no time.
    expect(firstFailureMs('broadcast', { valid: false, lostCount: 3 }, db, 1)).toBeNull();
    db.close();
  });
});
