// A sweep: one experiment file run many times, over the cross product of the values its
// `sweep` section lists for paths in the experiment, each combination `repeat` times.
// Every combination is checked against the schema before anything starts.
import type { Experiment } from './types.js';
import { ExperimentError, parseExperiment, type ParseOptions, type ExperimentProblem } from './load.js';

export interface SweepAxis {
  /** A dotted path in the experiment file, such as network.loss or nodes.params.threshold. */
  path: string;
  values: unknown[];
}

export interface SweepCombination {
  /** Path → the value this combination gives it. */
  values: Record<string, unknown>;
  /** One experiment per repeat, with seeds seed, seed + 1, …: every combination meets the same random draws. */
  experiments: Experiment[];
}

export interface SweepPlan {
  name: string;
  axes: SweepAxis[];
  repeat: number;
  seed: number;
  combinations: SweepCombination[];
}

export const MAX_SWEEP_RUNS = 1000;
const MAX_REPEAT = 100;

export function planSweep(input: unknown, opts: ParseOptions): SweepPlan {
  const source = opts.source;
  if (!isObject(input)) throw new ExperimentError(source, [{ path: '', message: 'expected an experiment with a sweep section' }]);
  const { sweep, ...base } = input;
  if (sweep === undefined) throw new ExperimentError(source, [{ path: 'sweep', message: 'missing: a sweep needs a section like sweep: { network.loss: [0, 0.05, 0.1], repeat: 3 }' }]);
  if (!isObject(sweep)) throw new ExperimentError(source, [{ path: 'sweep', message: 'expected an object of paths to lists of values, and repeat' }]);

  const problems: ExperimentProblem[] = [];
  const repeat = sweep.repeat ?? 1;
  if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) problems.push({ path: 'sweep.repeat', message: `expected an integer from 1 to ${MAX_REPEAT}, got ${JSON.stringify(repeat)}` });
  const axes: SweepAxis[] = [];
  for (const [path, values] of Object.entries(sweep)) {
    if (path === 'repeat') continue;
    if (!Array.isArray(values) || values.length === 0) problems.push({ path: `sweep.${path}`, message: `expected a non-empty list of values, got ${JSON.stringify(values)}` });
    else axes.push({ path, values });
  }
  if (axes.length === 0 && problems.length === 0) problems.push({ path: 'sweep', message: 'expected at least one path with a list of values, like network.loss: [0, 0.1]' });
  if (problems.length) throw new ExperimentError(source, problems);

  const runs = axes.reduce((n, axis) => n * axis.values.length, 1) * (repeat as number);
  if (runs > MAX_SWEEP_RUNS) throw new ExperimentError(source, [{ path: 'sweep', message: `expected at most ${MAX_SWEEP_RUNS} runs, but ${runs} combinations × repeats were asked for` }]);

  // One seed for the whole sweep: the file's, or the one drawn for the first combination.
  let seed: number | undefined;
  const combinations: SweepCombination[] = [];
  for (const indices of crossProduct(axes.map((a) => a.values.length))) {
    const values = Object.fromEntries(axes.map((axis, i) => [axis.path, axis.values[indices[i]]]));
    const file = withValues(base, axes, indices);
    let experiment: Experiment;
    try {
      experiment = parseExperiment(file, opts);
    } catch (error) {
      if (!(error instanceof ExperimentError)) throw error;
      const at = Object.entries(values).map(([p, v]) => `${p} = ${JSON.stringify(v)}`).join(', ');
      throw new ExperimentError(
        source,
        error.problems.map((p) => ({ path: `sweep (${at})`, message: `${p.path || 'the experiment'}: ${p.message}${unknownPathHint(p, axes)}` })),
      );
    }
    seed ??= experiment.seed;
    const label = Object.entries(values).map(([p, v]) => `${p}=${JSON.stringify(v)}`).join(' ');
    combinations.push({
      values,
      experiments: Array.from({ length: repeat as number }, (_, r) => ({ ...experiment, name: `${experiment.name} [${label}]`, seed: seed! + r, seedWasRandom: false })),
    });
  }
  return { name: String(base.name ?? 'sweep'), axes, repeat: repeat as number, seed: seed!, combinations };
}

/** A copy of the file with each axis's chosen value written at its path (objects made as needed). */
function withValues(base: Record<string, unknown>, axes: SweepAxis[], indices: number[]): unknown {
  const file = structuredClone(base);
  axes.forEach((axis, i) => {
    const keys = axis.path.split('.');
    let at: Record<string, unknown> = file;
    for (const key of keys.slice(0, -1)) {
      if (!isObject(at[key])) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]] = axis.values[indices[i]];
  });
  return file;
}

function* crossProduct(sizes: number[]): Generator<number[]> {
  const indices = sizes.map(() => 0);
  for (;;) {
    yield [...indices];
    let i = sizes.length - 1;
    while (i >= 0 && ++indices[i] === sizes[i]) indices[i--] = 0;
    if (i < 0) return;
  }
}

function unknownPathHint(problem: ExperimentProblem, axes: SweepAxis[]): string {
  const swept = axes.find((a) => problem.message.includes(`"${a.path.split('.').at(-1)}"`));
  return swept ? ` (the sweep sets ${swept.path}, which is not a field of the experiment)` : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
