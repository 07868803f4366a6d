// Run again: the same experiment with the same seed, linked to the run it repeats. The
// experiment is the text the run was started with when this lab still has it and it names
// that seed; otherwise the recorded experiment written back as YAML (which always does).
import type Database from 'better-sqlite3';
import type { Experiment } from '../experiment/types.js';
import { getRun } from '../store/queries.js';
import { experimentYaml } from './experiment-text.js';

/** How a new run relates to a recorded one. */
export interface RunLink {
  originRunId?: number;
  /** Overrides the experiment's seed (Run again keeps the origin's). */
  seed?: number;
}

export function runAgainText(db: Database.Database, runId: number, startedWith: string | undefined, parse: (text: string) => Experiment): [string, RunLink] {
  const detail = getRun(db, runId);
  const recorded = detail.experiment as Experiment;
  const seed = detail.seed ?? recorded.seed;
  let text = startedWith;
  if (text !== undefined) {
    try {
      const parsed = parse(text);
      if (parsed.seedWasRandom || parsed.seed !== seed) text = undefined;
    } catch {
      text = undefined;
    }
  }
  return [text ?? experimentYaml({ ...recorded, seed }), { originRunId: runId, seed }];
}
