// One seed of a hunt, judged: which checks failed and when each first failed, or the
// exception that stopped it. Small enough to pass between threads.
import type { Experiment } from '../../experiment/types.js';
import type { Program } from '../../sdk/protocol.js';
import { loadProgram } from '../../programs/loaders.js';
import { simulateSeed, type ScratchStore } from '../simulate-seed.js';
import { withRandomFaults } from '../../experiment/random-faults.js';
import { firstFailureMs } from './first-failure.js';

export interface SeedVerdict {
  seed: number;
  /** The failing checks, in the summary's order. */
  failing: string[];
  /** Per failing check, the run ms at which it first fails (null when the check cannot tell). */
  firstFailureMs: Record<string, number | null>;
  /** Set when the run stopped on an exception: the protocol's error with the step that caused it. */
  error: string | null;
  virtualMs: number;
  /** How many faults the seed's concrete schedule had. */
  faults: number;
}

export async function judgeSeed(experiment: Experiment, seed: number, scratch: ScratchStore, load: (name: string) => Promise<Program> | undefined = loadProgram): Promise<SeedVerdict> {
  const outcome = await simulateSeed(experiment, seed, scratch, load);
  const db = scratch.current!;
  const runId = db.prepare('select max(id) from runs').pluck().get() as number;
  const faults = withRandomFaults({ ...experiment, seed }).faults.length;
  if (outcome.status === 'failed') {
    const error = outcome.problems.join('; ') || 'the run failed';
    return { seed, failing: outcome.failing, firstFailureMs: {}, error, virtualMs: outcome.virtualMs, faults };
  }
  const times: Record<string, number | null> = {};
  for (const check of outcome.failing) times[check] = firstFailureMs(check, outcome.checks[check], db, runId);
  return { seed, failing: outcome.failing, firstFailureMs: times, error: null, virtualMs: outcome.virtualMs, faults };
}
