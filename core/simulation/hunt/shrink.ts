// Shrinking a failing seed, as QuickCheck and Hypothesis do: on the seed's concrete fault
// schedule, try halving the duration, thinning each random kind (every other fault of it
// dropped: its rate halved), and removing faults one at a time (a fault with what ends it).
// A change is kept when the same check still fails with the same seed; the passes repeat
// until none changes anything (or the trial budget runs out).
import type { Experiment } from '../../experiment/types.js';
import { faultEpisodes, withEpisodes, type FaultEpisode } from '../../experiment/random-faults.js';
import type { SeedVerdict } from './seed-verdict.js';

/** Halving stops here: shorter runs hardly get past start-up. */
const MIN_DURATION_MS = 100;
/** Each trial is one simulated seed; a hunt's shrinking stays within this many. */
export const MAX_SHRINK_TRIALS = 120;

export interface ShrinkCase {
  episodes: FaultEpisode[];
  durationMs: number;
}

export interface ShrinkResult {
  seed: number;
  check: string;
  before: { faults: number; durationMs: number };
  after: { faults: number; durationMs: number };
  /** The smallest failing experiment found: concrete faults, the seed set. */
  experiment: Experiment;
  trials: number;
}

export interface ShrinkOptions {
  judge(experiment: Experiment, seed: number): Promise<SeedVerdict>;
  stopped?: () => boolean;
  maxTrials?: number;
}

/** The experiment a case stands for: faults that no longer fit the duration are dropped, an end past it too. */
export function caseExperiment(base: Experiment, seed: number, shrinkCase: ShrinkCase): Experiment {
  const { durationMs } = shrinkCase;
  const episodes = shrinkCase.episodes
    .filter((e) => e.start.atMs < durationMs)
    .map((e) => (e.end && e.end.atMs > durationMs ? { kind: e.kind, start: e.start } : e));
  return withEpisodes({ ...base, seed, seedWasRandom: false, durationMs }, episodes);
}

export async function shrinkFailure(experiment: Experiment, seed: number, check: string, options: ShrinkOptions): Promise<ShrinkResult> {
  const maxTrials = options.maxTrials ?? MAX_SHRINK_TRIALS;
  const stopped = options.stopped ?? (() => false);
  const seeded = { ...experiment, seed, seedWasRandom: false };
  let best: ShrinkCase = { episodes: faultEpisodes(seeded), durationMs: experiment.durationMs };
  const before = { faults: caseExperiment(seeded, seed, best).faults.length, durationMs: best.durationMs };
  let trials = 0;
  const budgetLeft = () => trials < maxTrials && !stopped();

  /** Keeps the candidate when the same check still fails with this seed. */
  const tryCase = async (candidate: ShrinkCase): Promise<boolean> => {
    if (!budgetLeft()) return false;
    trials++;
    const verdict = await options.judge(caseExperiment(seeded, seed, candidate), seed);
    if (verdict.error !== null || !verdict.failing.includes(check)) return false;
    best = candidate;
    return true;
  };

  for (let changed = true; changed && budgetLeft(); ) {
    changed = false;
    const half = Math.floor(best.durationMs / 2);
    if (half >= MIN_DURATION_MS && (await tryCase({ ...best, durationMs: half }))) {
      changed = true;
      continue;
    }
    for (const kind of new Set(best.episodes.map((e) => e.kind))) {
      const ofKind = best.episodes.filter((e) => e.kind === kind);
      if (ofKind.length < 2) continue;
      const dropped = new Set(ofKind.filter((_, i) => i % 2 === 1));
      if (await tryCase({ ...best, episodes: best.episodes.filter((e) => !dropped.has(e)) })) changed = true;
    }
    // From the last fault back: late faults are the likelier to be irrelevant, and indexes stay valid.
    for (let i = best.episodes.length - 1; i >= 0 && budgetLeft(); i--) {
      if (await tryCase({ ...best, episodes: best.episodes.filter((_, j) => j !== i) })) changed = true;
    }
  }
  const smallest = caseExperiment(seeded, seed, best);
  return { seed, check, before, after: { faults: smallest.faults.length, durationMs: best.durationMs }, experiment: smallest, trials };
}
