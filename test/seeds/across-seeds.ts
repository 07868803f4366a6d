// Simulates one experiment for many seeds in a scratch store and collects the seeds whose run
// failed or whose checks did not hold, each with what failed: the assertion message lists them.
import { expect } from 'vitest';
import { parseExperiment } from '../../core/experiment/load.js';
import { programNames } from '../../core/programs/registry.js';
import { ScratchStore, simulateSeed, type SeedOutcome } from '../../core/simulation/simulate-seed.js';
import type { SeedExperiment } from './experiments.js';

/** The issue's number: each built-in protocol's checks hold across this many seeds. */
export const SEEDS = 1000;
/** A protocol's thousand seeds take 3–20 s on a quiet machine; more when the suite shares it. */
export const SEEDS_TIMEOUT_MS = 180_000;

export interface AcrossSeeds {
  seeds: number;
  failures: string[];
  /** Checks that ran, by name, with the number of seeds they held on: a check that never ran proves nothing. */
  checksRun: Record<string, number>;
  wallMs: number;
}

export async function acrossSeeds(name: string, file: Record<string, unknown>, seeds: number): Promise<AcrossSeeds> {
  const experiment = parseExperiment({ name, mode: 'simulate', seed: 1, ...file }, { source: name, programs: programNames() });
  const scratch = new ScratchStore();
  const failures: string[] = [];
  const checksRun: Record<string, number> = {};
  const started = performance.now();
  try {
    for (let seed = 1; seed <= seeds; seed++) {
      const outcome = await simulateSeed(experiment, seed, scratch);
      for (const [check, result] of Object.entries(outcome.checks)) if (result.valid) checksRun[check] = (checksRun[check] ?? 0) + 1;
      if (outcome.status !== 'completed' || outcome.failing.length > 0) failures.push(describe(outcome));
    }
  } finally {
    scratch.close();
  }
  return { seeds, failures, checksRun, wallMs: performance.now() - started };
}

function describe(o: SeedOutcome): string {
  const checks = o.failing.map((name) => `${name} ${JSON.stringify(o.checks[name]).slice(0, 300)}`);
  return `seed ${o.seed}: ${o.status}${checks.length ? `; failing ${checks.join('; ')}` : ''}${o.problems.length ? `; problems ${o.problems.join(' | ')}` : ''}`;
}

/** Simulates a built-in protocol's seed experiment for `seeds` seeds and asserts every one held. */
export async function expectHoldsAcrossSeeds(name: string, experiment: SeedExperiment, seeds = SEEDS): Promise<void> {
  const result = await acrossSeeds(name, experiment.file, seeds);
  expect(result.failures, `${name}: ${result.failures.length} of ${seeds} seeds failed:\n${result.failures.join('\n')}`).toEqual([]);
  // A check that did not run on a seed proved nothing there (a seed whose writes all failed has no logs to compare).
  for (const check of ['record-consistent', ...experiment.checks]) expect(result.checksRun[check] ?? 0, `${name}: seeds where ${check} ran and held`).toBeGreaterThanOrEqual(seeds * 0.99);
}
