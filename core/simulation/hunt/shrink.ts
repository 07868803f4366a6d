// Shrinking a failing seed, as QuickCheck and Hypothesis do: on the seed's concrete fault
// schedule, try halving the duration (or cutting it to just after the check fails), thinning
// each random kind (every other fault of it dropped: its rate halved), removing faults one at
// a time (a fault with what ends it), and leaving a fault in force (dropping its end).
// A change is kept when the same check still fails with the same seed; the passes repeat
// until none changes anything (or the trial budget runs out).
import type { Experiment } from '../../experiment/types.js';
import { endAfterRun, faultEpisodes, withEpisodes, type FaultEpisode } from '../../experiment/random-faults.js';
import type { SeedVerdict } from './seed-verdict.js';

/** Halving stops here: shorter runs hardly get past start-up. */
const MIN_DURATION_MS = 100;
/** Cutting the run after the failure keeps this much of it, rounded up to this step. */
const AFTER_FAILURE_STEP_MS = 100;
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
  /** When the check first failed in the seed's own run, if it could tell. */
  failedAtMs?: number | null;
}

/** The experiment a case stands for: faults that no longer fit the duration are dropped, ends after it as the drawing treats them. */
export function caseExperiment(base: Experiment, seed: number, shrinkCase: ShrinkCase): Experiment {
  const { durationMs } = shrinkCase;
  const episodes = shrinkCase.episodes
    .filter((e) => e.start.atMs < durationMs)
    .map((e) => (e.end && e.end.atMs > durationMs ? endAfterRun({ ...e }, durationMs) : e));
  return withEpisodes({ ...base, seed, seedWasRandom: false, durationMs }, episodes);
}

export async function shrinkFailure(experiment: Experiment, seed: number, check: string, options: ShrinkOptions): Promise<ShrinkResult> {
  const maxTrials = options.maxTrials ?? MAX_SHRINK_TRIALS;
  const stopped = options.stopped ?? (() => false);
  const seeded = { ...experiment, seed, seedWasRandom: false };
  let best: ShrinkCase = { episodes: faultEpisodes(seeded), durationMs: experiment.durationMs };
  const before = { faults: caseExperiment(seeded, seed, best).faults.length, durationMs: best.durationMs };
  let trials = 0;
  let failedAtMs = options.failedAtMs ?? null;
  const budgetLeft = () => trials < maxTrials && !stopped();

  /** Keeps the candidate when the same check still fails with this seed. */
  const tryCase = async (candidate: ShrinkCase): Promise<boolean> => {
    if (!budgetLeft()) return false;
    trials++;
    const verdict = await options.judge(caseExperiment(seeded, seed, candidate), seed);
    if (verdict.error !== null || !verdict.failing.includes(check)) return false;
    best = candidate;
    failedAtMs = verdict.firstFailureMs[check] ?? null;
    return true;
  };

  for (let changed = true; changed && budgetLeft(); ) {
    changed = false;
    const half = Math.floor(best.durationMs / 2);
    if (half >= MIN_DURATION_MS && (await tryCase({ ...best, durationMs: half }))) {
      changed = true;
      continue;
    }
    // Everything after the failure is more than the case needs.
    const afterFailure = failedAtMs === null ? null : Math.ceil((failedAtMs + 1) / AFTER_FAILURE_STEP_MS) * AFTER_FAILURE_STEP_MS;
    if (afterFailure !== null && afterFailure < best.durationMs && (await tryCase({ ...best, durationMs: afterFailure }))) changed = true;
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
    // A fault that never ends is simpler than one that does. (Not a loss burst: left on, it would
    // reach into the final reads and fail a check for that reason instead.)
    for (let i = best.episodes.length - 1; i >= 0 && budgetLeft(); i--) {
      const episode = best.episodes[i];
      if (!episode.end || episode.kind === 'loss') continue;
      const unhealed = { kind: episode.kind, start: episode.start };
      if (await tryCase({ ...best, episodes: best.episodes.map((e, j) => (j === i ? unhealed : e)) })) changed = true;
    }
  }
  const smallest = caseExperiment(seeded, seed, best);
  return { seed, check, before, after: { faults: smallest.faults.length, durationMs: best.durationMs }, experiment: smallest, trials };
}
